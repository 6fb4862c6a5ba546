"""Registering for an activity, the waiting list, and attendance recorded as deliveries."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.services.workflows import record_attendance

from .choices import RegistrationMode, RegistrationStatus
from .models import Activity, Registration

# --- Who may do what (the pages and the API both call these) ------------------------------------


def check_recordable(user, programme) -> None:
    """Recording (activities, registrations for others, attendance) is for the programme's
    advisors and managers."""
    if not programme.is_recordable_by(user):
        raise PermissionDenied(_("Only the programme's advisors and managers do this."))


def registrable_companies(programme):
    """The companies that can take part in a programme's activities: those engaged in it."""
    from metacluster.companies.models import Company

    return Company.objects.filter(engagements__programme=programme).distinct().order_by("name")


def check_may_register(user, activity: Activity) -> None:
    """An SME user registers its own company for a public activity; the programme's advisors
    and managers register any company of the programme, also for invitation-only ones."""
    if user.is_sme:
        if activity.registration != RegistrationMode.PUBLIC:
            raise PermissionDenied(_("This activity is by invitation."))
    else:
        check_recordable(user, activity.programme)


def check_may_cancel(user, registration: Registration) -> None:
    """An SME user cancels its own company's place; staff who record in the programme any."""
    if not (user.is_sme and user.company_id == registration.company_id):
        check_recordable(user, registration.activity.programme)


def registrations_visible_to(user, activity: Activity):
    """An SME user sees its own place only, not which other companies take part."""
    registrations = activity.registrations.select_related("company", "delivery")
    if user.is_sme:
        return registrations.filter(company_id=user.company_id)
    return registrations


class RegistrationError(Exception):
    """A registration this activity cannot take."""


def register(activity: Activity, company) -> Registration:
    """A place if one is free, else a place on the waiting list. Registering twice changes
    nothing; a cancelled company registers again at the back of the queue."""
    with transaction.atomic():
        # Lock the activity row so two registrations cannot both take the last seat.
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        existing = Registration.objects.filter(activity=activity, company=company).first()
        if existing and existing.status != RegistrationStatus.CANCELLED:
            return existing
        status = (
            RegistrationStatus.REGISTERED
            if activity.seats_taken() < activity.capacity
            else RegistrationStatus.WAITING
        )
        if existing:
            existing.delete()  # back of the queue
        return Registration.objects.create(activity=activity, company=company, status=status)


def cancel(registration: Registration) -> Registration | None:
    """Cancel a registration; the first company on the waiting list takes the freed seat.
    Returns that company's registration, if any moved up."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.attended:
            raise RegistrationError(_("An attendance already recorded cannot be cancelled."))
        had_seat = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status"])
        if not had_seat:
            return None
        waiting = activity.registrations.filter(status=RegistrationStatus.WAITING).first()
        if waiting and activity.seats_taken() < activity.capacity:
            waiting.status = RegistrationStatus.REGISTERED
            waiting.save(update_fields=["status"])
            return waiting
    return None


def mark_attendance(activity: Activity, registrations, *, by, aid_override: str = "") -> int:
    """Record who attended: one delivery of the activity's service per attendee (through the
    services workflow, with its state-aid check), all or nothing. Returns deliveries made."""
    attendees = [
        r for r in registrations if r.status == RegistrationStatus.REGISTERED and not r.attended
    ]
    if not attendees:
        return 0
    with transaction.atomic():
        deliveries = record_attendance(
            service=activity.service,
            companies=[r.company for r in attendees],
            date=timezone.localdate(activity.starts_at),
            quantity=activity.units_per_participant,
            provider=activity.service.provider,
            advisor=by if by and by.organisation_id == activity.service.provider_id else None,
            notes=activity.title,
            by=by,
            aid_override=aid_override,
        )
        for registration, delivery in zip(attendees, deliveries, strict=True):
            registration.attended = True
            registration.delivery = delivery
            registration.save(update_fields=["attended", "delivery"])
    return len(deliveries)
