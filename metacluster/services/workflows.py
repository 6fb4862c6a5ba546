"""Recording support: the workflows that touch deliveries and engagements together."""

from datetime import UTC, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction

from metacluster.companies.models import engage
from metacluster.stateaid import ledger as stateaid

from .models import Delivery, new_batch


def record_delivery(delivery: Delivery, *, by=None, aid_override: str = "") -> Delivery:
    """Validate and save one delivery. A company that receives a service takes part in the
    programme from then on, so it is engaged (at 'identified') if it was not already.

    The delivery is aid in kind: its aid record is written with it, and a delivery that would
    take the company's undertaking past its state-aid ceiling is refused (ValidationError on
    `aid_override_reason`) unless a programme manager gives `aid_override`, the reason."""
    delivery.full_clean()
    with transaction.atomic():
        stateaid.lock_undertaking(delivery.company)
        check = stateaid.check_delivery(delivery)
        stateaid.enforce(check, override=aid_override, by=by)
        delivery.created_by = by
        delivery.save()
        stateaid.record_aid(delivery, check, override=aid_override, by=by)
        # Recorded after the fact, the company still took part from the day it was served.
        served_on = datetime.combine(delivery.date, time.min, tzinfo=UTC)
        engage(delivery.company, delivery.service.programme, delivery.provider, by=by, at=served_on)
    return delivery


def record_attendance(
    *,
    service,
    companies,
    date,
    quantity,
    provider,
    advisor=None,
    notes="",
    by=None,
    aid_override: str = "",
):
    """Bulk entry for a training session: one delivery per attending company, all or none.

    Every delivery is validated before any is saved, so a bad row changes nothing. A company
    whose aid would pass its ceiling is reported as `companies.N` (N its position in
    `companies`); linked companies in the same batch count together."""
    batch = new_batch()
    deliveries = [
        Delivery(
            service=service,
            company=company,
            provider=provider,
            advisor=advisor,
            date=date,
            quantity=quantity,
            notes=notes,
            batch=batch,
        )
        for company in companies
    ]
    for delivery in deliveries:
        delivery.full_clean()
    with transaction.atomic():
        for delivery in deliveries:
            stateaid.lock_undertaking(delivery.company)
        check_batch(deliveries, override=aid_override, by=by)
        for delivery in deliveries:
            record_delivery(delivery, by=by, aid_override=aid_override)
    return deliveries


def check_batch(deliveries, *, override: str, by) -> None:
    """Refuse the whole batch, naming every company that cannot receive its aid."""
    errors = {}
    for index, check in enumerate(stateaid.check_deliveries(deliveries)):
        problem = stateaid.refusal(check, override, by)
        if problem:
            errors[f"companies.{index}"] = [problem]
    if errors:
        raise ValidationError(errors, code="aid_ceiling")
