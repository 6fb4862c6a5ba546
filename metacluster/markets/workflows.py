"""Feasibility studies: a decided study counts as a feasibility-analysis delivery, and the
help its requirements need is requested through the one-stop shop's service requests."""

import shutil
import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.core.markets.potential import build_store
from metacluster.core.markets.tariffs import TariffRate
from metacluster.countries import country_name
from metacluster.servicerequests.choices import RequestOrigin
from metacluster.servicerequests.flow import request_service
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service
from metacluster.services.workflows import record_delivery

from .choices import Decision
from .models import FeasibilityStudy, Tariff, TradeDataset


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


# The catalogue services that help with each requirement of the checklist, best first.
HELP_FOR_NEED = {
    "certification_needed": (
        ServiceKind.TESTBED,
        ServiceKind.PRODUCT_ADAPTATION,
        ServiceKind.COUNSELLING,
    ),
    "localisation_needed": (ServiceKind.PRODUCT_ADAPTATION, ServiceKind.MARKET_SUPPORT),
    "legal_entity_needed": (ServiceKind.MARKET_SUPPORT, ServiceKind.COUNSELLING),
    "partner_needed": (
        ServiceKind.MATCHMAKING,
        ServiceKind.MARKET_SUPPORT,
        ServiceKind.EXPORT_MISSION,
    ),
}


def helping_services(study: FeasibilityStudy, need: str):
    """The programme's active services, from any partner, that help with `need`."""
    return (
        Service.objects.filter(
            programme=study.programme, kind__in=HELP_FOR_NEED.get(need, ()), active=True
        )
        .select_related("provider")
        .order_by("kind", "provider__name", "name")
    )


def request_help(study: FeasibilityStudy, service: Service, *, by, need: str):
    """Request `service` for the study's company through the one-stop shop's request flow
    (`servicerequests.flow.request_service`, origin *feasibility study*), and link the request
    to the study. Returns (request, created): an open request for the same service and
    company is linked instead of asking again. Raises ValidationError when the service does not help with a requirement
    the study has ticked, or the request flow refuses it."""
    if need not in study.needs:
        raise ValidationError(_("The study does not list this requirement as needed."))
    if not helping_services(study, need).filter(pk=service.pk).exists():
        raise ValidationError(_("This service does not help with that requirement."))
    label = study._meta.get_field(need).verbose_name
    message = _("Feasibility study of %(market)s (no. %(id)s) for %(company)s: %(need)s.") % {
        "market": country_name(study.market),
        "id": study.pk,
        "company": study.company,
        "need": label,
    }
    if study.requirements:
        message = f"{message}\n\n{study.requirements}"
    with transaction.atomic():
        # One open request per service and company: the study links to one made elsewhere
        # (e.g. from a readiness assessment) rather than asking the partner twice.
        existing = (
            ServiceRequest.objects.open()
            .select_for_update()
            .filter(service=service, company=study.company)
            .first()
        )
        if existing is not None:
            study.service_requests.add(existing)
            return existing, False
        request = request_service(
            service=service,
            company=study.company,
            by=by,
            origin=RequestOrigin.FEASIBILITY,
            message=message,
        )
        study.service_requests.add(request)
    return request, True


def load_trade(path, *, name: str, source: str, by=None, file_name: str = "") -> TradeDataset:
    """Convert a BACI-layout trade file once into a trade store under
    settings.TRADE_DATA_DIR and register it as a dataset that export potentials read.

    Raises ValidationError for a name already taken or an empty source, TradeFileError for a
    file that cannot be read; nothing is kept then."""
    dataset = TradeDataset(
        name=name.strip(),
        source=source.strip(),
        file_name=file_name or Path(str(path)).name,
        store=f"{uuid.uuid4().hex}",
        loaded_by=by,
    )
    dataset.full_clean(exclude=["store"])
    directory = dataset.store_path()
    meta = build_store(path, directory)
    dataset.rows, dataset.years = meta["rows"], meta["years"]
    dataset.exporters, dataset.products = meta["exporters"], meta["products"]
    try:
        with transaction.atomic():
            dataset.save()
    except IntegrityError:
        # Someone loaded a dataset of the same name while this one was being converted.
        shutil.rmtree(directory, ignore_errors=True)
        raise ValidationError({"name": _("A trade dataset with this name exists.")}) from None
    except Exception:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return dataset


def delete_trade(dataset: TradeDataset) -> None:
    """Remove a dataset and its store."""
    directory = dataset.store_path()
    dataset.delete()
    shutil.rmtree(directory, ignore_errors=True)


def load_tariffs(rates: list[TariffRate], *, replace: bool = False) -> tuple[int, list[str]]:
    """Store tariff rates (one per market, product and year; a new figure replaces the old).

    `replace` first removes every stored tariff. Returns (rows stored, the codes of markets
    that are not ISO 3166 countries, skipped). All rows are stored or none."""
    from . import adapters

    rows, unknown = [], []
    for rate in rates:
        market = adapters.iso2(rate.market)
        if market is None:
            unknown.append(rate.market)
            continue
        rows.append(
            Tariff(
                market=market,
                product=rate.product,
                year=rate.year,
                rate=rate.rate,
                source=rate.source[:300],
            )
        )
    with transaction.atomic():
        if replace:
            Tariff.objects.all().delete()
        for row in rows:
            Tariff.objects.update_or_create(
                market=row.market,
                product=row.product,
                year=row.year,
                defaults={"rate": row.rate, "source": row.source, "loaded_at": timezone.now()},
            )
    return len(rows), sorted(set(unknown))
