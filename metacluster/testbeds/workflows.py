"""Booking a testbed, cancelling, and turning a used booking into a delivery (exactly once)."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.companies.models import Company
from metacluster.services.choices import Unit
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery

from .choices import BookingStatus
from .models import FULLY_BOOKED, Booking, Testbed
from .slots import slot_at

WORKING_DAY_MINUTES = 8 * 60


def may_book_for(user, testbed: Testbed, company: Company) -> bool:
    """SME users book for their own company; advisors and managers of the programme for a
    company they can see."""
    if user.is_sme:
        return company.pk == user.company_id
    return testbed.programme.is_recordable_by(user) and (
        Company.objects.visible_to(user).filter(pk=company.pk).exists()
    )


def may_cancel(user, booking: Booking) -> bool:
    if user.is_sme:
        return booking.company_id == user.company_id
    return booking.booked_by_id == user.pk or booking.testbed.is_managed_by(user)


def book(testbed: Testbed, company: Company, starts_at: datetime, *, by, purpose="") -> Booking:
    """Reserve the slot that starts at `starts_at` for `company`, on the lowest free seat.

    Raises ValidationError when the testbed is not bookable (field `testbed`), or (field
    `starts_at`) when the time is not one of the testbed's slots, the slot cannot be booked
    (`Testbed.slot_refusal`: begun, outside the programme) or is full, including when someone
    else took its last seat at the same moment."""
    if not may_book_for(by, testbed, company):
        raise PermissionDenied(_("You cannot book for this company."))
    slot = slot_at(testbed.hours, starts_at)
    if slot is None:
        raise ValidationError(
            {
                "starts_at": _(
                    "This is not one of the testbed's slots; choose one from its calendar."
                )
            }
        )
    if refusal := testbed.slot_refusal(slot):
        raise refusal
    full = ValidationError({"starts_at": FULLY_BOOKED})
    try:
        with transaction.atomic():
            # Bookings of one testbed queue here (PostgreSQL); the seat constraint below is the
            # guarantee on every database.
            Testbed.objects.select_for_update().filter(pk=testbed.pk).first()
            taken = set(
                Booking.objects.holding_a_seat()
                .filter(testbed=testbed, starts_at=slot.starts_at)
                .values_list("seat", flat=True)
            )
            free = [seat for seat in range(1, testbed.capacity + 1) if seat not in taken]
            if not free:
                raise full
            return Booking.objects.create(
                testbed=testbed,
                company=company,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                seat=free[0],
                purpose=purpose,
                booked_by=by,
            )
    except IntegrityError:
        # Another booking took the same seat between our read and our write.
        raise full from None


def cancel(booking: Booking, *, by) -> Booking:
    """Free the seat. Only a booking not yet begun can be cancelled."""
    if not may_cancel(by, booking):
        raise PermissionDenied(_("Only the company, whoever booked, or the facility can cancel."))
    if booking.starts_at <= timezone.now():
        raise ValidationError(_("A booking that has begun cannot be cancelled."))
    now = timezone.now()
    changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
        status=BookingStatus.CANCELLED, cancelled_at=now
    )
    if changed != 1:
        raise ValidationError(_("This booking is no longer open."))
    booking.refresh_from_db()
    return booking


def units_used(booking: Booking) -> Decimal:
    """The quantity of the testbed service one slot is: its hours, its share of an eight-hour
    day, or one session, report or participant."""
    minutes = Decimal((booking.ends_at - booking.starts_at).total_seconds() / 60)
    unit = booking.testbed.service.unit
    if unit == Unit.HOURS:
        quantity = minutes / 60
    elif unit == Unit.DAYS:
        quantity = minutes / WORKING_DAY_MINUTES
    else:
        return Decimal(1)
    return max(quantity.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), Decimal("0.01"))


def mark_used(booking: Booking, *, by, aid_override: str = "") -> Delivery:
    """Record that the company used its slot: one delivery of the testbed service, never two.

    The claim (booked → used) and the delivery commit together; if the delivery is refused
    (for instance past the company's state-aid ceiling) the booking stays open."""
    testbed = booking.testbed
    if not testbed.is_managed_by(by):
        raise PermissionDenied(_("Only the facility's partner records that a slot was used."))
    if booking.starts_at > timezone.now():
        raise ValidationError(_("A slot can be marked as used once it has begun."))
    already = ValidationError(_("This booking was already recorded as used, or cancelled."))
    with transaction.atomic():
        # Lock the booking (PostgreSQL) so a second click waits rather than builds a delivery.
        current = Booking.objects.select_for_update().filter(pk=booking.pk).first()
        if current is None or current.status != BookingStatus.BOOKED:
            raise already
        service = testbed.service
        local = booking.local_start
        delivery = Delivery(
            service=service,
            company=booking.company,
            provider=service.provider,
            advisor=by if by and by.organisation_id == service.provider_id else None,
            date=local.date(),
            quantity=units_used(booking),
            notes=_("%(testbed)s, %(when)s (%(zone)s)")
            % {
                "testbed": testbed.name,
                "when": local.strftime("%Y-%m-%d %H:%M"),
                "zone": testbed.time_zone,
            },
        )
        record_delivery(delivery, by=by, aid_override=aid_override)
        # The claim: only a still-open booking takes the delivery, so it happens once on every
        # database; if it was taken meanwhile, the delivery just made is rolled back.
        claimed = Booking.objects.filter(
            pk=booking.pk, status=BookingStatus.BOOKED, delivery__isnull=True
        ).update(status=BookingStatus.USED, delivery=delivery)
        if claimed != 1:
            raise already
    booking.refresh_from_db()
    return delivery
