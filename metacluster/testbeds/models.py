"""Testbeds: facilities a partner offers in a programme (a fibre-optic lab, a smart-city pilot
area), with opening hours cut into slots that SMEs or advisors book."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.accounts.models import time_zone_choices
from metacluster.countries import CountryField
from metacluster.services.choices import ServiceKind
from metacluster.versioning import Versioned

from .choices import BookingStatus, TestbedKind
from .slots import OpeningHours, Slot, slots_between

WEEKDAYS = "1234567"
FULLY_BOOKED = _("This slot is fully booked; choose another.")


def validate_weekdays(value: str) -> None:
    if not value or any(day not in WEEKDAYS for day in value) or len(set(value)) != len(value):
        raise ValidationError(
            _("Give the opening days as ISO weekday digits, 1 = Monday to 7 = Sunday, e.g. 12345.")
        )


class TestbedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        return self.filter(service__programme__in=Programme.objects.visible_to(user))

    def managed_by(self, user):
        """Facilities this user runs: their organisation's (advisors and managers), or any in a
        programme they manage."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_sme or not user.can_edit_records:
            return self.none()
        return self.visible_to(user).filter(
            Q(service__provider_id=user.organisation_id)
            | Q(service__programme__in=Programme.objects.managed_by(user))
        )


@dataclass(frozen=True)
class SlotOffer:
    """A slot as the calendar (page and API) offers it."""

    slot: Slot
    free: int  # seats that can be booked now: 0 when the slot is full or cannot be booked
    full: bool  # every seat taken
    refusal: str  # why it cannot be booked now; "" when it can

    @property
    def bookable(self) -> bool:
        return not self.refusal


class Testbed(Versioned, models.Model):
    """A facility a partner offers in a programme, booked slot by slot; using it is a delivery
    of the partner's testbed service."""

    __test__ = False  # not a test class, though pytest would collect it by its name

    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("testbed service"),
        on_delete=models.PROTECT,
        related_name="testbeds",
        limit_choices_to={"kind": ServiceKind.TESTBED},
        help_text=_("The catalogue service a use is recorded as; its partner runs the facility."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=TestbedKind.choices, default=TestbedKind.LABORATORY
    )
    description = models.TextField(_("description"), blank=True)
    town = models.CharField(_("town"), max_length=100)
    country = CountryField(_("country"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="Europe/Stockholm",
        help_text=_("Opening hours are in the facility's local time."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many bookings one slot takes (benches, test sites)."),
    )
    weekdays = models.CharField(
        _("open on"),
        max_length=7,
        default="12345",
        validators=[validate_weekdays],
        help_text=_("ISO weekdays, 1 = Monday: 12345 is Monday to Friday."),
    )
    opens_at = models.TimeField(_("opens at"), default=time(8))
    closes_at = models.TimeField(_("closes at"), default=time(16))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=240,
        validators=[MinValueValidator(15), MaxValueValidator(1440)],
    )
    active = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = TestbedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("testbed")
        verbose_name_plural = _("testbeds")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_opens_before_closing",
                condition=Q(closes_at__gt=F("opens_at")),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_capacity_positive", condition=Q(capacity__gte=1)
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_slot_length",
                condition=Q(slot_minutes__gte=15, slot_minutes__lte=1440),
            ),
            models.UniqueConstraint(
                fields=["service", "name"], name="%(app_label)s_%(class)s_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def programme(self):
        return self.service.programme

    @property
    def owner(self):
        return self.service.provider

    @property
    def hours(self) -> OpeningHours:
        return OpeningHours(
            self.time_zone,
            frozenset(int(day) for day in self.weekdays),
            self.opens_at,
            self.closes_at,
            self.slot_minutes,
        )

    def is_managed_by(self, user) -> bool:
        return Testbed.objects.managed_by(user).filter(pk=self.pk).exists()

    def slot_refusal(self, slot: Slot, *, now: datetime | None = None) -> ValidationError | None:
        """Why `slot` cannot be booked, whatever its seats: the testbed is not bookable, the
        slot has begun, or its local day lies outside the programme's period. None when it can.

        The one rule for bookability: the calendar (`offers`) and `workflows.book` both ask
        it, so the calendar never offers a slot that booking then refuses."""
        if not self.active:
            return ValidationError({"testbed": _("This testbed is not bookable at the moment.")})
        if slot.starts_at <= (now or timezone.now()):
            return ValidationError({"starts_at": _("This slot has already begun.")})
        programme = self.programme
        if (
            not programme.start_date
            <= slot.local_start(self.time_zone).date()
            <= programme.end_date
        ):
            return ValidationError(
                {
                    "starts_at": _(
                        "Testbeds of %(programme)s are booked within its period "
                        "(%(start)s – %(end)s)."
                    )
                    % {
                        "programme": programme,
                        "start": programme.start_date,
                        "end": programme.end_date,
                    }
                }
            )
        return None

    def offers(self, first: date, last: date, *, now: datetime | None = None) -> list[SlotOffer]:
        """Every slot on the local days `first` to `last`, with its free seats and, when it
        cannot be booked now, why (`slot_refusal`, or fully booked)."""
        now = now or timezone.now()
        zone = zoneinfo.ZoneInfo(self.time_zone)
        taken = dict(
            Booking.objects.holding_a_seat()
            .filter(
                testbed=self,
                starts_at__gte=datetime.combine(first, time.min, tzinfo=zone),
                starts_at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
            )
            .values("starts_at")
            .annotate(n=Count("pk"))
            .values_list("starts_at", "n")
        )
        offers = []
        for slot in slots_between(self.hours, first, last):
            seats = max(self.capacity - taken.get(slot.starts_at, 0), 0)
            refusal = self.slot_refusal(slot, now=now)
            if refusal is None and not seats:
                refusal = ValidationError({"starts_at": FULLY_BOOKED})
            offers.append(
                SlotOffer(
                    slot=slot,
                    free=0 if refusal else seats,
                    full=not seats,
                    refusal=refusal.messages[0] if refusal else "",
                )
            )
        return offers

    def clean(self) -> None:
        errors = {}
        if self.service_id and self.service.kind != ServiceKind.TESTBED:
            errors["service"] = _("Choose a testbed-access service of the catalogue.")
        if self.opens_at and self.closes_at:
            if self.closes_at <= self.opens_at:
                errors["closes_at"] = _("The facility must close after it opens.")
            elif self.slot_minutes:
                open_minutes = (self.closes_at.hour * 60 + self.closes_at.minute) - (
                    self.opens_at.hour * 60 + self.opens_at.minute
                )
                if self.slot_minutes > open_minutes:
                    errors["slot_minutes"] = _("A slot cannot be longer than the opening hours.")
        if self.time_zone:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors["time_zone"] = _("Unknown time zone.")
        if errors:
            raise ValidationError(errors)


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user, programme="testbed__service__programme")

    def holding_a_seat(self):
        return self.exclude(status=BookingStatus.CANCELLED)


class Booking(models.Model):
    """One slot of a testbed reserved for a company. A slot holds up to the testbed's
    capacity; each booking holds one numbered seat, and the database refuses two live bookings
    of the same seat, so the last seat goes to exactly one of two people booking it at once."""

    testbed = models.ForeignKey(
        Testbed, verbose_name=_("testbed"), on_delete=models.PROTECT, related_name="bookings"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="testbed_bookings",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    seat = models.PositiveSmallIntegerField(_("seat"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    purpose = models.TextField(_("what will be tested"), blank=True)
    booked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    delivery = models.OneToOneField(
        "services.Delivery",
        verbose_name=_("delivery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="testbed_booking",
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "testbed", "seat"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["testbed", "starts_at", "seat"],
                condition=~Q(status="cancelled"),
                name="%(app_label)s_%(class)s_one_per_seat",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_used_has_delivery",
                condition=~Q(status="used") | Q(delivery__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.testbed} · {self.company} · {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def local_start(self):
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.testbed.time_zone))

    @property
    def local_end(self):
        return self.ends_at.astimezone(zoneinfo.ZoneInfo(self.testbed.time_zone))
