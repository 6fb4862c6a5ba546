"""Rank export markets for an offering: a 0–100 score per country with its breakdown.

The score of market m is the weighted mean of its indicator points::

    score(m) = Σ_i w_i · p_i(m) / Σ_i w_i        (0–100)

where p_i(m) are the indicator's points on its scale (see `indicators`) and w_i ≥ 0 the
weights (the offering's defaults, overridden by the user's). This is the construction of the
US ITA Market Diversification Tool and of globalEDGE's Market Potential Index (weighted sum of
rescaled indicators); references in docs/MARKETS.md.

Scales are fixed over *every* country with a figure, before filters, so a market's points do
not change when a filter removes other markets.

Missing figures are never silently scored well. `missing` says how:

- ``"zero"`` (default): the indicator scores 0 points — a market gains nothing from a figure
  it lacks;
- ``"median"``: it scores the median points of the countries that have the figure;
- ``"exclude"``: a market missing any weighted figure is left out of the ranking.

Whatever the policy, a market backed by figures for less than `min_coverage` of the weight
(default a half) is left out, and every left-out market is listed with the reason. Each
market's breakdown names the figures it lacked and how they were treated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import median

from ..errors import InputError
from .data import Country, MarketData, Observation
from .indicators import INDICATORS, OFFERINGS, Indicator, default_weights

__all__ = [
    "MISSING_POLICIES",
    "Component",
    "InvalidRanking",
    "RankedMarket",
    "Ranking",
    "points",
    "rank",
    "validate_weights",
]

MISSING_POLICIES = ("zero", "median", "exclude")
EU_EFTA_FILTERS = ("only", "exclude")
MAX_WEIGHT = 1000.0


class InvalidRanking(InputError):
    """The ranking's parameters are not valid; `errors` maps a parameter to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


@dataclass(frozen=True)
class Component:
    indicator: str
    value: float | None
    year: int | None
    source: str | None
    points: float
    weight: float
    missing: bool = False
    treatment: str = ""

    def to_json(self, details: bool = False) -> dict:
        data = {"value": self.value, "year": self.year, "points": self.points}
        if details:
            data |= {
                "source": self.source,
                "weight": self.weight,
                "missing": self.missing,
                "treatment": self.treatment,
            }
        return data


@dataclass(frozen=True)
class RankedMarket:
    country: Country
    score: float
    rank: int
    components: dict[str, Component]
    coverage: float  # share of the weight backed by figures

    @property
    def missing(self) -> list[str]:
        return [code for code, c in self.components.items() if c.missing]

    def to_json(self, details: bool = False) -> dict:
        data = {
            "country": self.country.iso3,
            "name": self.country.name,
            "score": self.score,
            "components": {code: c.to_json(details) for code, c in self.components.items()},
        }
        if details:
            data |= {
                "iso2": self.country.iso2,
                "rank": self.rank,
                "region": self.country.region,
                "eu_efta": self.country.in_eu_or_efta,
                "coverage": self.coverage,
                "missing": self.missing,
            }
        return data


@dataclass
class Ranking:
    home: Country
    offering: str
    weights: dict[str, float]
    missing_policy: str
    markets: list[RankedMarket]
    excluded: list[tuple[Country, str]] = field(default_factory=list)

    def to_json(self, details: bool = False) -> dict:
        data = {
            "home": self.home.iso2,
            "offering": self.offering,
            "markets": [m.to_json(details) for m in self.markets],
        }
        if details:
            data |= {
                "weights": self.weights,
                "missing_policy": self.missing_policy,
                "excluded": [
                    {"country": c.iso3, "name": c.name, "reason": r} for c, r in self.excluded
                ],
            }
        return data

    def market(self, iso3: str) -> RankedMarket | None:
        return next((m for m in self.markets if m.country.iso3 == iso3), None)


def points(indicator: Indicator, value: float, low: float | None, high: float | None) -> float:
    """The 0–100 points of `value` on `indicator`'s scale; `low` and `high` bound the log scale
    (the smallest and largest figure of any country).

    >>> points(INDICATORS["internet_users"], 80.0, None, None)
    80.0
    >>> points(INDICATORS["gdp"], 1e10, 1e8, 1e12)
    50.0
    >>> points(INDICATORS["distance"], 1e3, 1e2, 1e4)  # nearer is better
    50.0
    """
    if indicator.scale == "binary":
        share = 1.0 if value else 0.0
    elif indicator.scale == "fixed":
        share = (value - indicator.low) / (indicator.high - indicator.low)
    elif indicator.scale == "log":
        if low is None or high is None or value <= 0 or high <= low:
            share = 1.0 if value > 0 else 0.0
        else:
            share = (math.log(value) - math.log(low)) / (math.log(high) - math.log(low))
    else:  # pragma: no cover - the indicator table is fixed
        raise InputError(f"unknown scale {indicator.scale}")
    share = min(1.0, max(0.0, share))
    if not indicator.higher_is_better:
        share = 1.0 - share
    return round(100.0 * share, 1)


def validate_weights(
    offering: str, weights: dict | None = None, available: frozenset[str] = frozenset()
) -> dict[str, float]:
    """The offering's default weights with `weights` applied on top, checked.

    Raises InvalidRanking naming each bad weight: an unknown indicator, a value that is not a
    finite number from 0 to 1000, or weights that are all zero.
    """
    if offering not in OFFERINGS:
        raise InvalidRanking(
            {"offering": [f"Unknown offering {offering!r}; one of {', '.join(OFFERINGS)}."]}
        )
    merged = default_weights(offering, available)
    errors: dict[str, list[str]] = {}
    for code, value in (weights or {}).items():
        if code not in INDICATORS:
            errors.setdefault("weights", []).append(
                f"Unknown indicator {code!r}; one of {', '.join(INDICATORS)}."
            )
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.setdefault(f"weights.{code}", []).append("A weight is a number.")
        elif not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            errors.setdefault(f"weights.{code}", []).append(
                f"A weight is a number from 0 to {MAX_WEIGHT:g}."
            )
        else:
            merged[code] = float(value)
    if not errors and not any(merged.values()):
        errors["weights"] = ["Give at least one indicator a weight above zero."]
    if errors:
        raise InvalidRanking(errors)
    return merged


def _bounds(data: MarketData, home: str, indicator: Indicator) -> tuple[float | None, float | None]:
    if indicator.scale != "log":
        return None, None
    values = []
    for iso3 in data.countries:
        if iso3 == home:
            continue
        found = data.observation(home, iso3, indicator.code)
        if found is not None and found.value > 0:
            values.append(found.value)
    return (min(values), max(values)) if values else (None, None)


def rank(
    data: MarketData,
    home: str,
    offering: str,
    weights: dict | None = None,
    *,
    eu_efta: str | None = None,
    regions: list[str] | None = None,
    markets: list[str] | None = None,
    missing: str = "zero",
    min_coverage: float = 0.5,
) -> Ranking:
    """Score every country but `home` for `offering` and return them best first.

    Parameters
    ----------
    data : the country table (`data.load()`).
    home : the exporter's country, ISO3 or ISO2.
    offering : a key of `OFFERINGS` ("ict-services", "goods").
    weights : indicator → weight (0–1000), applied over the offering's defaults.
    eu_efta : "only" for EU/EFTA markets, "exclude" for markets outside them, None for all.
    regions : keep markets in these UN regions (e.g. "Asia", "Americas") only.
    markets : keep these markets (ISO3 or ISO2) only, e.g. for a comparison.
    missing : "zero", "median" or "exclude" (see the module docstring).
    min_coverage : leave out markets whose figures back less than this share of the weight.

    Notes
    -----
    O(countries × indicators); about 250 × 11 figures, a few milliseconds
    (benchmarks/bench_markets.py).
    """
    errors: dict[str, list[str]] = {}
    home_country = data.resolve(home) if isinstance(home, str) else None
    if home_country is None:
        errors["home"] = [f"Unknown country {home!r}; give an ISO 3166 code such as SE or SWE."]
    if missing not in MISSING_POLICIES:
        errors["missing"] = [f"One of {', '.join(MISSING_POLICIES)}."]
    if eu_efta not in (None, "", *EU_EFTA_FILTERS):
        errors["eu_efta"] = [f"One of {', '.join(EU_EFTA_FILTERS)}, or none."]
    known_regions = {c.region for c in data.countries.values()}
    bad_regions = [r for r in regions or [] if r not in known_regions]
    if bad_regions:
        errors["regions"] = [
            f"Unknown region {', '.join(bad_regions)}; one of {', '.join(sorted(known_regions))}."
        ]
    wanted = None
    if markets:
        resolved = {code: data.resolve(code) for code in markets}
        unknown = [code for code, country in resolved.items() if country is None]
        if unknown:
            errors["markets"] = [f"Unknown countries: {', '.join(unknown)}."]
        wanted = {c.iso3 for c in resolved.values() if c is not None}
    if not 0 <= min_coverage <= 1:
        errors["min_coverage"] = ["A share from 0 to 1."]
    try:
        merged = validate_weights(offering, weights, data.optional_indicators())
    except InvalidRanking as error:
        errors |= error.errors
    if errors:
        raise InvalidRanking(errors)

    home_iso3 = home_country.iso3
    used = {code: w for code, w in merged.items() if w > 0}
    total_weight = sum(used.values())
    bounds = {code: _bounds(data, home_iso3, INDICATORS[code]) for code in used}

    # Every candidate's figures and points first: the median policy needs them all.
    figures: dict[str, dict[str, Observation | None]] = {}
    for iso3 in data.countries:
        if iso3 != home_iso3:
            figures[iso3] = {code: data.observation(home_iso3, iso3, code) for code in used}
    medians = {}
    if missing == "median":
        for code in used:
            scored = [
                points(INDICATORS[code], f[code].value, *bounds[code])
                for f in figures.values()
                if f[code] is not None
            ]
            medians[code] = round(median(scored), 1) if scored else 0.0

    ranked: list[tuple[float, Country, dict, float]] = []
    excluded: list[tuple[Country, str]] = []
    for iso3, found in figures.items():
        country = data.countries[iso3]
        if wanted is not None and iso3 not in wanted:
            continue
        if eu_efta == "only" and not country.in_eu_or_efta:
            continue
        if eu_efta == "exclude" and country.in_eu_or_efta:
            continue
        if regions and country.region not in regions:
            continue
        components = {}
        for code, weight in used.items():
            observation = found[code]
            if observation is None:
                score = medians.get(code, 0.0)
                treatment = (
                    f"no figure: scored at the median of countries with one ({score:g} points)"
                    if missing == "median"
                    else "no figure: scored 0 points (worst)"
                )
                components[code] = Component(code, None, None, None, score, weight, True, treatment)
            else:
                components[code] = Component(
                    code,
                    observation.value,
                    observation.year,
                    observation.source,
                    points(INDICATORS[code], observation.value, *bounds[code]),
                    weight,
                )
        lacking = [code for code, c in components.items() if c.missing]
        coverage = round(1 - sum(used[code] for code in lacking) / total_weight, 3)
        if missing == "exclude" and lacking:
            excluded.append((country, f"no figure for {', '.join(lacking)}"))
            continue
        if coverage < min_coverage:
            excluded.append(
                (
                    country,
                    f"figures for only {coverage:.0%} of the weight (missing {', '.join(lacking)})",
                )
            )
            continue
        score = sum(c.points * c.weight for c in components.values()) / total_weight
        ranked.append((round(score, 1), country, components, coverage))

    ranked.sort(key=lambda row: (-row[0], -row[3], row[1].name))
    results = [
        RankedMarket(country, score, position, components, coverage)
        for position, (score, country, components, coverage) in enumerate(ranked, start=1)
    ]
    excluded.sort(key=lambda row: row[0].name)
    return Ranking(home_country, offering, merged, missing, results, excluded)
