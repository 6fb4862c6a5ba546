"""Saving a feasibility study: a decided study counts as a feasibility-analysis delivery."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metacluster.countries import country_name
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service
from metacluster.services.workflows import record_delivery

from .choices import Decision
from .models import FeasibilityStudy


def feasibility_service(study: FeasibilityStudy) -> Service | None:
    """The programme's feasibility-analysis service, the responsible partner's own first."""
    services = Service.objects.filter(
        programme=study.programme, kind=ServiceKind.FEASIBILITY, active=True
    )
    return services.filter(provider_id=study.partner_id).first() or services.first()


def save_study(study: FeasibilityStudy, *, by, expected_version: int | None = None):
    """Validate and save a study; when it is decided (go or no-go) and has no delivery yet,
    record one of the programme's feasibility-analysis service on the decision date, in the
    same transaction, so the study and the delivery are saved together or not at all.

    Raises ValidationError (on `decision` when the programme offers no such service, on
    `decided_on` when the delivery's date is refused) or StaleEdit."""
    study.full_clean()
    delivery = None
    if study.decision != Decision.PENDING and study.delivery_id is None:
        service = feasibility_service(study)
        if service is None:
            raise ValidationError(
                {
                    "decision": _(
                        "The programme offers no feasibility-analysis service to record this "
                        "study as; a programme manager adds one to the catalogue first."
                    )
                }
            )
        delivery = Delivery(
            service=service,
            company=study.company,
            # The partner that offers the service delivers it (the responsible partner's own
            # service when it has one), as for every other delivery.
            provider=service.provider,
            advisor=study.advisor,
            date=study.decided_on,
            quantity=1,
            notes=_("Feasibility study of %(market)s: %(decision)s")
            % {"market": country_name(study.market), "decision": study.get_decision_display()},
        )
        try:
            delivery.full_clean()
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {}
            raise ValidationError(
                {
                    "decided_on": [m for values in messages.values() for m in values]
                    or error.messages
                }
            ) from None
    with transaction.atomic():
        if study.pk is None:
            study.created_by = by
            study.save()
        else:
            study.save_versioned(study.version if expected_version is None else expected_version)
        if delivery is not None:
            record_delivery(delivery, by=by)
            study.delivery = delivery
            FeasibilityStudy.objects.filter(pk=study.pk).update(delivery=delivery)
    return study
