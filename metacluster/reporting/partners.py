"""A partner's share of a programme: its deliveries, budget use and indicator contributions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum

from metacluster.programmes.kpis import DefinitionError, first_counted
from metacluster.services.models import Delivery
from metacluster.translations import translated_text

ZERO = Decimal("0.00")


@dataclass
class PeriodUse:
    period: object
    deliveries: int
    value: Decimal


@dataclass
class Contribution:
    indicator: object
    total: int | None
    by_period: list[int] = field(default_factory=list)
    error: str = ""


@dataclass
class PartnerView:
    partnership: object
    deliveries: object  # a queryset of the partner's deliveries, newest first
    delivered_value: Decimal
    budget: Decimal | None
    by_period: list[PeriodUse]
    by_service: list[dict]
    contributions: list[Contribution]

    @property
    def budget_percent(self) -> int | None:
        if not self.budget:
            return None
        return round(self.delivered_value * 100 / self.budget)

    @property
    def bar_width(self) -> int:
        return min(self.budget_percent or 0, 100)


def _value():
    # A delivery's value: quantity × the service's value per unit (see Delivery.value).
    return ExpressionWrapper(
        F("quantity") * F("service__value_per_unit"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )


def delivered_values(programme) -> dict[int, Decimal]:
    """The value of each partner's deliveries in the programme: {organisation id: value}."""
    rows = (
        Delivery.objects.in_programme(programme)
        .values("provider_id")
        .annotate(value=Sum(_value()))
        .order_by()
    )
    return {row["provider_id"]: row["value"].quantize(ZERO) for row in rows}


def partner_view(partnership, periods) -> PartnerView:
    programme = partnership.programme
    organisation_id = partnership.organisation_id
    deliveries = (
        Delivery.objects.in_programme(programme)
        .filter(provider_id=organisation_id)
        .select_related("service", "company")
    )
    total = deliveries.aggregate(value=Sum(_value()))["value"] or ZERO
    by_period = []
    for period in periods:
        in_period = deliveries.filter(date__gte=period.start, date__lte=period.end)
        by_period.append(
            PeriodUse(
                period,
                in_period.count(),
                (in_period.aggregate(value=Sum(_value()))["value"] or ZERO).quantize(ZERO),
            )
        )
    by_service = list(
        deliveries.values("service__name", "service__unit", "service__translations")
        .annotate(units=Sum("quantity"), value=Sum(_value()))
        .order_by("service__name")
    )
    for item in by_service:
        item["label"] = translated_text(
            item["service__translations"], "name", item["service__name"]
        )
    contributions = []
    for indicator in programme.indicators.all():
        try:
            dates = first_counted(indicator, partner_id=organisation_id)
        except DefinitionError as error:
            contributions.append(Contribution(indicator, None, error=str(error)))
            continue
        contributions.append(
            Contribution(
                indicator,
                len(dates),
                [sum(1 for on in dates.values() if p.start <= on <= p.end) for p in periods],
            )
        )
    return PartnerView(
        partnership=partnership,
        deliveries=deliveries.order_by("-date", "-pk"),
        delivered_value=total.quantize(ZERO),
        budget=partnership.budget,
        by_period=by_period,
        by_service=by_service,
        contributions=contributions,
    )
