"""Access and portability (GDPR Art. 15 and 20): everything the platform holds about a person
or a company, as plain data — rendered as JSON and as a readable HTML page."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from . import holds as legal_holds

# Never exported: secrets and their hashes.
SECRET_FIELDS = {"password", "key_hash", "token_hash", "token_prefix"}


def _value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent >= -2 else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _value(item) for key, item in value.items()}
    return str(value)


def as_data(record) -> dict:
    """Every concrete field of `record` (a related record by its name), without secrets."""
    data = {"id": record.pk}
    for model_field in record._meta.concrete_fields:
        if model_field.name in SECRET_FIELDS or model_field.primary_key:
            continue
        if model_field.is_relation:
            related = getattr(record, model_field.name)
            data[model_field.name] = str(related) if related is not None else None
        else:
            data[model_field.name] = _value(getattr(record, model_field.attname))
    return data


def _document(kind: str, subject, records: dict, holds=()) -> dict:
    return {
        "kind": kind,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "subject": as_data(subject),
        "holds": [{"reason": hold.reason, "until": hold.until.isoformat()} for hold in holds],
        "records": {name: [as_data(r) for r in rows] for name, rows in records.items()},
    }


def company_document(company, user) -> dict:
    """The company and every record about it; notes as far as `user` may read them."""
    from metacluster.companies.models import Note
    from metacluster.deals.models import Deal
    from metacluster.servicerequests.models import ServiceRequest
    from metacluster.services.models import Delivery
    from metacluster.stateaid.models import AidRecord
    from metacluster.testbeds.models import Booking

    records = {
        "contacts": company.contacts.all(),
        "notes": Note.objects.visible_to(user).filter(company=company),
        "engagements": company.engagements.select_related("programme", "partner"),
        "deliveries": Delivery.objects.filter(company=company).select_related("service"),
        "deals": Deal.objects.filter(company=company),
        "aid_records": AidRecord.objects.filter(company=company),
        "service_requests": ServiceRequest.objects.filter(company=company),
        "bookings": Booking.objects.filter(company=company),
        "users": company.users.all(),
    }
    return _document("company", company, records, legal_holds.for_company(company))


def contact_document(contact) -> dict:
    return _document("contact", contact, {"deliveries": contact.deliveries.all()})


def user_document(user) -> dict:
    """The user's profile, API tokens (without their hashes), service requests and the audit
    entries naming them as the one who made a change."""
    from auditlog.models import LogEntry

    from metacluster.accounts.models import ApiToken
    from metacluster.servicerequests.models import ServiceRequest

    return _document(
        "user",
        user,
        {
            "api_tokens": ApiToken.objects.filter(user=user),
            "service_requests": ServiceRequest.objects.filter(requested_by=user),
            "audit_entries": LogEntry.objects.filter(actor=user).order_by("timestamp", "pk"),
        },
    )


def participant_document(participant) -> dict:
    """An event participant: contact person, e-mail, time zone and profile; the meeting
    requests they sent or received, their meetings and marketplace entries."""
    from django.db.models import Q

    from metacluster.events.models import Meeting, MeetingRequest

    sides = Q(sender=participant) | Q(recipient=participant)
    return _document(
        "participant",
        participant,
        {
            "meeting_requests": MeetingRequest.objects.filter(sides).order_by("created_at"),
            "meetings": Meeting.objects.filter(
                Q(request__sender=participant) | Q(request__recipient=participant)
            ).select_related("slot"),
            "marketplace_entries": participant.entries.all(),
        },
        legal_holds.for_participant(participant),
    )
