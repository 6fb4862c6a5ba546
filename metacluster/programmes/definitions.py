"""Indicator definitions: what an indicator counts, parsed and checked from its stored JSON.

Pure data: no model is imported here, so that the Indicator model can check a definition
without importing the records it counts. How each kind is computed from records is in
`programmes.kpis`.

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

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metacluster.companies.choices import Stage
from metacluster.countries import countries
from metacluster.deals.choices import AgreementType, DealStage
from metacluster.services.choices import ServiceKind

from .windows import WINDOW_KEYS, parse_window


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
