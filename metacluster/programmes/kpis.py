"""Indicator definitions: how an indicator's achieved value is computed from records.

A definition is stored on the indicator as JSON with a `kind` and its parameters, e.g.
``{"kind": "stage_reached", "stage": "supported"}``. Each kind turns the programme's records into
dated facts (see metacluster.core.kpis) and can list the records behind a figure.

Kinds:
- ``stage_reached``: distinct companies whose engagement is at or past a pipeline stage.
- ``service_units``: distinct companies that received at least ``min_units`` units of services
  of the given kinds (all kinds when none are given).
- ``deals``: deals (or distinct companies with deals) of given stages and agreement types,
  optionally only first sales, only outside the EU/EFTA, or only in given markets.
- ``consortia``: consortia formed (or their distinct member companies), optionally only those
  spanning at least ``min_countries`` countries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metacluster.companies.choices import Stage
from metacluster.companies.models import Company, Engagement, StageChange
from metacluster.consortia.models import Consortium
from metacluster.core.kpis import Fact, Figures, aggregate
from metacluster.countries import countries, eu_efta_codes
from metacluster.deals.choices import AgreementType, DealStage
from metacluster.deals.models import Deal
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery

from .windows import WINDOW_KEYS, parse_window


def reporting_date(moment: datetime) -> date:
    """The date a timestamp counts on. Figures must not depend on who looks at them, so every
    timestamp counts on its date in UTC, whatever the viewer's time zone."""
    return moment.astimezone(UTC).date()


class DefinitionError(ValueError):
    """An indicator definition that cannot be computed."""


def _choice_list(data: dict, key: str, allowed: list[str]) -> tuple[str, ...]:
    values = data.get(key, [])
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DefinitionError(_("%(key)s must be a list of names.") % {"key": key})
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise DefinitionError(
            _("Unknown %(key)s: %(values)s. Allowed: %(allowed)s.")
            % {"key": key, "values": ", ".join(unknown), "allowed": ", ".join(allowed)}
        )
    return tuple(values)


@dataclass(frozen=True)
class StageReached:
    stage: str

    kind = "stage_reached"
    record_label = "companies"

    def describe(self) -> str:
        return _("Companies at or past the stage “%(stage)s”") % {"stage": Stage(self.stage).label}

    def facts(self, programme) -> list[Fact]:
        threshold = Stage.rank(self.stage)
        engagements = {
            e.pk: e for e in Engagement.objects.filter(programme=programme).at_or_past(self.stage)
        }
        # The company counts from the last time it crossed the threshold: an engagement moved
        # back and forth counts from when it most recently came (back) to the stage.
        crossed: dict[int, date] = {}
        changes = StageChange.objects.filter(engagement_id__in=engagements).order_by(
            "changed_at", "pk"
        )
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

    def records(self, keys):
        return Company.objects.filter(pk__in=keys)


@dataclass(frozen=True)
class ServiceUnits:
    service_kinds: tuple[str, ...]
    min_units: Decimal

    kind = "service_units"
    record_label = "companies"

    def describe(self) -> str:
        kinds = ", ".join(str(ServiceKind(k).label) for k in self.service_kinds) or _("any service")
        units = f"{self.min_units.normalize():f}"
        return ngettext(
            "Companies with at least %(units)s unit of %(kinds)s",
            "Companies with at least %(units)s units of %(kinds)s",
            int(self.min_units) if self.min_units == int(self.min_units) else 2,
        ) % {"units": units, "kinds": kinds}

    def facts(self, programme) -> list[Fact]:
        deliveries = Delivery.objects.in_programme(programme)
        if self.service_kinds:
            deliveries = deliveries.filter(service__kind__in=self.service_kinds)
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
                if before < self.min_units <= total[key]:
                    facts.append(Fact(company_id, on, key[1]))
        return facts

    def records(self, keys):
        return Company.objects.filter(pk__in=keys)


@dataclass(frozen=True)
class DealCount:
    stages: tuple[str, ...]
    agreement_types: tuple[str, ...]
    first_sale: bool
    outside_eu_efta: bool
    markets: tuple[str, ...]
    count: str

    kind = "deals"

    @property
    def record_label(self) -> str:
        return "companies" if self.count == "companies" else "deals"

    def describe(self) -> str:
        parts = [_("First sales") if self.first_sale else _("Deals")]
        if self.stages:
            parts.append(
                _("at stage %(stages)s")
                % {"stages": "/".join(str(DealStage(s).label) for s in self.stages)}
            )
        if self.agreement_types:
            parts.append(
                _("of type %(types)s")
                % {"types": "/".join(str(AgreementType(t).label) for t in self.agreement_types)}
            )
        if self.outside_eu_efta:
            parts.append(_("outside the EU/EFTA"))
        if self.markets:
            parts.append(_("in %(markets)s") % {"markets": ", ".join(self.markets)})
        if self.count == "companies":
            parts.append(_("(distinct companies)"))
        return " ".join(parts)

    def queryset(self, programme):
        deals = Deal.objects.filter(programme=programme)
        if self.stages:
            deals = deals.filter(stage__in=self.stages)
        if self.agreement_types:
            deals = deals.filter(agreement_type__in=self.agreement_types)
        if self.first_sale:
            deals = deals.first_sales()
        if self.outside_eu_efta:
            deals = deals.exclude(market__in=eu_efta_codes())
        if self.markets:
            deals = deals.filter(market__in=self.markets)
        return deals

    def facts(self, programme) -> list[Fact]:
        facts = []
        for deal in self.queryset(programme).only(
            "pk", "company_id", "partner_id", "opened_on", "closed_on"
        ):
            key = deal.company_id if self.count == "companies" else deal.pk
            on = deal.closed_on or deal.opened_on
            facts += [Fact(key, on), Fact(key, on, deal.partner_id)]
        return facts

    def records(self, keys):
        if self.count == "companies":
            return Company.objects.filter(pk__in=keys)
        return Deal.objects.filter(pk__in=keys).select_related("company")


@dataclass(frozen=True)
class ConsortiumCount:
    count: str
    min_countries: int

    kind = "consortia"

    @property
    def record_label(self) -> str:
        return "companies" if self.count == "members" else "consortia"

    def describe(self) -> str:
        text = (
            _("Member companies of consortia") if self.count == "members" else _("Consortia formed")
        )
        if self.min_countries > 1:
            text += " " + _("spanning at least %(n)s countries") % {"n": self.min_countries}
        return text

    def facts(self, programme) -> list[Fact]:
        consortia = Consortium.objects.filter(programme=programme).prefetch_related("members")
        if self.min_countries > 1:
            consortia = consortia.annotate(
                countries=Count("members__country", distinct=True)
            ).filter(countries__gte=self.min_countries)
        facts = []
        for consortium in consortia:
            keys = (
                [m.pk for m in consortium.members.all()]
                if self.count == "members"
                else [consortium.pk]
            )
            for key in keys:
                facts += [
                    Fact(key, consortium.formed_on),
                    Fact(key, consortium.formed_on, consortium.coordinator_id),
                ]
        return facts

    def records(self, keys):
        if self.count == "members":
            return Company.objects.filter(pk__in=keys)
        return Consortium.objects.filter(pk__in=keys)


Definition = StageReached | ServiceUnits | DealCount | ConsortiumCount
KINDS = ("stage_reached", "service_units", "deals", "consortia")
ALLOWED_KEYS = {
    "stage_reached": {"kind", "stage"},
    "service_units": {"kind", "service_kinds", "min_units"},
    "deals": {
        "kind",
        "stages",
        "agreement_types",
        "first_sale",
        "outside_eu_efta",
        "markets",
        "count",
    },
    "consortia": {"kind", "count", "min_countries"},
}


def parse_definition(data) -> Definition:
    """Turn stored JSON into a definition, refusing anything it cannot compute."""
    if not isinstance(data, dict):
        raise DefinitionError(_("A definition is an object with a “kind”."))
    kind = data.get("kind")
    if kind not in KINDS:
        raise DefinitionError(
            _("Unknown kind %(kind)r; use one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(KINDS)}
        )
    extra = set(data) - ALLOWED_KEYS[kind] - WINDOW_KEYS
    parse_window(data, DefinitionError)  # the counting window (programmes.windows)
    if extra:
        raise DefinitionError(
            _("Unknown settings for %(kind)s: %(keys)s.")
            % {"kind": kind, "keys": ", ".join(sorted(extra))}
        )
    if kind == "stage_reached":
        if data.get("stage") not in Stage.values:
            raise DefinitionError(
                _("stage must be one of: %(stages)s.") % {"stages": ", ".join(Stage.values)}
            )
        return StageReached(stage=data["stage"])
    if kind == "service_units":
        try:
            min_units = Decimal(str(data.get("min_units", 1)))
        except InvalidOperation as error:
            raise DefinitionError(_("min_units must be a number.")) from error
        if not min_units.is_finite() or min_units <= 0:
            raise DefinitionError(_("min_units must be greater than zero."))
        return ServiceUnits(_choice_list(data, "service_kinds", ServiceKind.values), min_units)
    if kind == "deals":
        count = data.get("count", "deals")
        if count not in ("deals", "companies"):
            raise DefinitionError(_("count must be “deals” or “companies”."))
        for flag in ("first_sale", "outside_eu_efta"):
            if not isinstance(data.get(flag, False), bool):
                raise DefinitionError(_("%(flag)s must be true or false.") % {"flag": flag})
        return DealCount(
            stages=_choice_list(data, "stages", DealStage.values),
            agreement_types=_choice_list(data, "agreement_types", AgreementType.values),
            first_sale=data.get("first_sale", False),
            outside_eu_efta=data.get("outside_eu_efta", False),
            markets=_choice_list(data, "markets", list(countries())),
            count=count,
        )
    count = data.get("count", "consortia")
    if count not in ("consortia", "members"):
        raise DefinitionError(_("count must be “consortia” or “members”."))
    min_countries = data.get("min_countries", 1)
    if not isinstance(min_countries, int) or isinstance(min_countries, bool) or min_countries < 1:
        raise DefinitionError(_("min_countries must be a whole number of at least 1."))
    return ConsortiumCount(count=count, min_countries=min_countries)


def figures(indicator) -> Figures:
    """The indicator's achieved value, per partner and by month, computed from records now."""
    definition = parse_definition(indicator.definition)
    programme = indicator.programme
    window = parse_window(indicator.definition, DefinitionError)
    last = (window.bounds(programme) or (None, programme.end_date))[1]
    end = min(last, reporting_date(timezone.now()))
    facts = window.keep(definition.facts(programme), programme)
    return aggregate(facts, start=programme.start_date, end=max(end, programme.start_date))


def first_counted(indicator, *, partner_id=None) -> dict:
    """When each record behind the indicator first counts: {record pk: date}, in the programme
    total, or for one partner when `partner_id` is given. Period reports slice these dates."""
    facts = parse_definition(indicator.definition).facts(indicator.programme)
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
    objects = parse_definition(indicator.definition).records(dates.keys())
    return sorted(
        ((obj, dates[obj.pk]) for obj in objects), key=lambda pair: (pair[1], str(pair[0]))
    )


def records_behind(indicator, *, partner_id=None):
    """The records counted in a figure, each with the date it started to count."""
    return records_with_dates(indicator, first_counted(indicator, partner_id=partner_id))
