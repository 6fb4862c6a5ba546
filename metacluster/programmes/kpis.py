"""How an indicator's achieved value is computed from records.

A definition (see `programmes.definitions`, which parses and checks the stored JSON) is turned
here into the programme's dated facts (see metacluster.core.kpis), and the records behind a
figure are listed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from metacluster.companies.choices import Stage
from metacluster.companies.models import Company, Engagement, StageChange
from metacluster.consortia.models import Consortium
from metacluster.core.kpis import Fact, Figures, aggregate
from metacluster.countries import eu_efta_codes
from metacluster.deals.models import Deal
from metacluster.services.models import Delivery

from .definitions import (  # noqa: F401  (re-exported: the names callers know kpis by)
    KINDS,
    ConsortiumCount,
    DealCount,
    Definition,
    DefinitionError,
    ServiceUnits,
    StageReached,
    parse_definition,
)
from .windows import parse_window


def reporting_date(moment: datetime) -> date:
    """The date a timestamp counts on. Figures must not depend on who looks at them, so every
    timestamp counts on its date in UTC, whatever the viewer's time zone."""
    return moment.astimezone(UTC).date()


def _stage_reached_facts(definition: StageReached, programme) -> list[Fact]:
    threshold = Stage.rank(definition.stage)
    engagements = {
        e.pk: e for e in Engagement.objects.filter(programme=programme).at_or_past(definition.stage)
    }
    # The company counts from the last time it crossed the threshold: an engagement moved
    # back and forth counts from when it most recently came (back) to the stage.
    crossed: dict[int, date] = {}
    changes = StageChange.objects.filter(engagement_id__in=engagements).order_by("changed_at", "pk")
    for change in changes:
        before = Stage.rank(change.from_stage) if change.from_stage else -1
        if before < threshold <= Stage.rank(change.to_stage):
            crossed[change.engagement_id] = reporting_date(change.changed_at)
    facts = []
    for pk, engagement in engagements.items():
        on = crossed.get(pk) or reporting_date(engagement.stage_changed_at)
        facts.append(Fact(engagement.company_id, on))
        facts.append(Fact(engagement.company_id, on, engagement.partner_id))
    return facts


def _stage_reached_records(definition: StageReached, keys):
    return Company.objects.filter(pk__in=keys)


def _service_units_facts(definition: ServiceUnits, programme) -> list[Fact]:
    deliveries = Delivery.objects.in_programme(programme)
    if definition.service_kinds:
        deliveries = deliveries.filter(service__kind__in=definition.service_kinds)
    total: dict = defaultdict(Decimal)
    facts = []
    # Walk deliveries in date order; a company (or a company per partner) starts to count on
    # the day its running total of units reaches the threshold.
    rows = deliveries.order_by("date", "pk").values_list(
        "company_id", "provider_id", "date", "quantity"
    )
    for company_id, provider_id, on, quantity in rows:
        for key in ((company_id, None), (company_id, provider_id)):
            before = total[key]
            total[key] += quantity
            if before < definition.min_units <= total[key]:
                facts.append(Fact(company_id, on, key[1]))
    return facts


def _service_units_records(definition: ServiceUnits, keys):
    return Company.objects.filter(pk__in=keys)


def deals_counted(definition: DealCount, programme):
    deals = Deal.objects.filter(programme=programme)
    if definition.stages:
        deals = deals.filter(stage__in=definition.stages)
    if definition.agreement_types:
        deals = deals.filter(agreement_type__in=definition.agreement_types)
    if definition.first_sale:
        deals = deals.first_sales()
    if definition.outside_eu_efta:
        deals = deals.exclude(market__in=eu_efta_codes())
    if definition.markets:
        deals = deals.filter(market__in=definition.markets)
    return deals


def _deal_count_facts(definition: DealCount, programme) -> list[Fact]:
    facts = []
    for deal in deals_counted(definition, programme).only(
        "pk", "company_id", "partner_id", "opened_on", "closed_on"
    ):
        key = deal.company_id if definition.count == "companies" else deal.pk
        on = deal.closed_on or deal.opened_on
        facts += [Fact(key, on), Fact(key, on, deal.partner_id)]
    return facts


def _deal_count_records(definition: DealCount, keys):
    if definition.count == "companies":
        return Company.objects.filter(pk__in=keys)
    return Deal.objects.filter(pk__in=keys).select_related("company")


def _consortium_count_facts(definition: ConsortiumCount, programme) -> list[Fact]:
    consortia = Consortium.objects.filter(programme=programme).prefetch_related("members")
    if definition.min_countries > 1:
        consortia = consortia.annotate(countries=Count("members__country", distinct=True)).filter(
            countries__gte=definition.min_countries
        )
    facts = []
    for consortium in consortia:
        keys = (
            [m.pk for m in consortium.members.all()]
            if definition.count == "members"
            else [consortium.pk]
        )
        for key in keys:
            facts += [
                Fact(key, consortium.formed_on),
                Fact(key, consortium.formed_on, consortium.coordinator_id),
            ]
    return facts


def _consortium_count_records(definition: ConsortiumCount, keys):
    if definition.count == "members":
        return Company.objects.filter(pk__in=keys)
    return Consortium.objects.filter(pk__in=keys)


_FACTS = {
    StageReached: _stage_reached_facts,
    ServiceUnits: _service_units_facts,
    DealCount: _deal_count_facts,
    ConsortiumCount: _consortium_count_facts,
}
_RECORDS = {
    StageReached: _stage_reached_records,
    ServiceUnits: _service_units_records,
    DealCount: _deal_count_records,
    ConsortiumCount: _consortium_count_records,
}


def facts_of(definition: Definition, programme) -> list[Fact]:
    """The programme's dated facts that `definition` counts."""
    return _FACTS[type(definition)](definition, programme)


def records_of(definition: Definition, keys):
    """The records (companies, deals or consortia) named by the facts' keys."""
    return _RECORDS[type(definition)](definition, keys)


def figures(indicator) -> Figures:
    """The indicator's achieved value, per partner and by month, computed from records now."""
    definition = parse_definition(indicator.definition)
    programme = indicator.programme
    window = parse_window(indicator.definition, DefinitionError)
    last = (window.bounds(programme) or (None, programme.end_date))[1]
    end = min(last, reporting_date(timezone.now()))
    facts = window.keep(facts_of(definition, programme), programme)
    return aggregate(facts, start=programme.start_date, end=max(end, programme.start_date))


def first_counted(indicator, *, partner_id=None) -> dict:
    """When each record behind the indicator first counts: {record pk: date}, in the programme
    total, or for one partner when `partner_id` is given. Period reports slice these dates."""
    facts = facts_of(parse_definition(indicator.definition), indicator.programme)
    window = parse_window(indicator.definition, DefinitionError)
    facts = window.keep(facts, indicator.programme)
    if partner_id is None:
        return aggregate(facts, start=date.min, end=date.min).first_counted
    dates: dict = {}
    for fact in facts:
        if fact.partner == partner_id and (fact.key not in dates or fact.on < dates[fact.key]):
            dates[fact.key] = fact.on
    return dates


def records_with_dates(indicator, dates: dict):
    """The records named by `dates` (pk → date they count from), sorted by that date."""
    objects = records_of(parse_definition(indicator.definition), dates.keys())
    return sorted(
        ((obj, dates[obj.pk]) for obj in objects), key=lambda pair: (pair[1], str(pair[0]))
    )


def records_behind(indicator, *, partner_id=None):
    """The records counted in a figure, each with the date it started to count."""
    return records_with_dates(indicator, first_counted(indicator, partner_id=partner_id))
