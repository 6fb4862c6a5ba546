"""The indicators a ranking can weigh, how each becomes 0–100 points, and the default weights
per offering type.

Every indicator is scored on one of three scales (see `scoring.points`):

- ``fixed``: a natural range, ``points = 100 · clip((x − low) / (high − low), 0, 1)``: a share
  of the population online (0–100 %), the LPI score (1–5), hours of overlap (0–8);
- ``log``: log min–max over every country with a figure,
  ``points = 100 · (ln x − ln min) / (ln max − ln min)``: GDP, population and income span five
  orders of magnitude, so a linear scale would give every market but the largest nearly 0
  (the Market Potential Index of globalEDGE and the ITA tool scale size the same way);
- ``binary``: 100 if true, else 0 (shared border, common language).

``higher_is_better=False`` turns the scale round (distance: nearer is better).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["INDICATORS", "OFFERINGS", "WITH_DATA", "Indicator", "default_weights"]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    scale: str  # "fixed" | "log" | "binary"
    low: float | None = None
    high: float | None = None
    higher_is_better: bool = True
    bilateral: bool = False  # depends on the home country as well as the market
    description: str = ""


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "gdp",
            "Market size (GDP)",
            "current US$",
            "log",
            description="Gross domestic product, current US$.",
        ),
        Indicator("population", "Population", "people", "log"),
        Indicator(
            "gdp_per_capita",
            "Income (GDP per capita)",
            "current US$",
            "log",
            description="Purchasing power of buyers.",
        ),
        Indicator(
            "gdp_growth_5y",
            "Growth (GDP, 5-year mean)",
            "% a year",
            "fixed",
            low=-2.0,
            high=8.0,
            description="Mean annual real GDP growth over the last five years with data; "
            "−2 % or less scores 0, 8 % or more scores 100.",
        ),
        Indicator(
            "internet_users",
            "Digital maturity (internet use)",
            "% of population",
            "fixed",
            low=0.0,
            high=100.0,
        ),
        Indicator("trade_openness", "Trade openness", "% of GDP", "log"),
        Indicator(
            "lpi",
            "Logistics (LPI)",
            "score 1–5",
            "fixed",
            low=1.0,
            high=5.0,
            description="World Bank Logistics Performance Index, overall score.",
        ),
        Indicator(
            "distance",
            "Distance",
            "km",
            "log",
            higher_is_better=False,
            bilateral=True,
            description="Population-weighted distance between home and market (CEPII distw).",
        ),
        Indicator("contiguity", "Shared border", "yes/no", "binary", bilateral=True),
        Indicator(
            "common_language",
            "Common language",
            "yes/no",
            "binary",
            bilateral=True,
            description="A language official in both, or spoken by at least 9 % in both (CEPII).",
        ),
        Indicator(
            "time_zone_overlap",
            "Time-zone overlap",
            "hours",
            "fixed",
            low=0.0,
            high=8.0,
            bilateral=True,
            description="Shared office hours (09:00–17:00 local) between home and market.",
        ),
        Indicator(
            "tariff",
            "Tariff (applied, simple average)",
            "%",
            "fixed",
            low=0.0,
            high=20.0,
            higher_is_better=False,
            description="The market's simple-average applied tariff from a loaded tariff file "
            "(none ships); 0 % scores 100, 20 % or more scores 0.",
        ),
    ]
}

# Default weights per offering type. They sum to 100 so that a weight reads as a percentage;
# any non-negative weights work (the score divides by their sum).
OFFERINGS: dict[str, dict[str, float]] = {
    # Software and ICT services travel over the network: buyers must be online, reachable in
    # office hours and able to work in a shared language; transport costs do not matter.
    "ict-services": {
        "internet_users": 20,
        "gdp": 20,
        "gdp_per_capita": 15,
        "gdp_growth_5y": 10,
        "time_zone_overlap": 15,
        "common_language": 10,
        "distance": 5,
        "trade_openness": 5,
    },
    # Goods move physically: logistics, distance, a shared border and an open economy weigh
    # as much as size. Tariffs join them when tariff data is loaded (`WITH_DATA`).
    "goods": {
        "lpi": 20,
        "distance": 20,
        "contiguity": 5,
        "trade_openness": 15,
        "gdp": 15,
        "gdp_per_capita": 10,
        "gdp_growth_5y": 10,
        "common_language": 5,
    },
}


# Indicators whose data does not ship and that weigh by default only when the country table
# holds figures for them: no tariff file loaded, no tariff column in the ranking.
WITH_DATA: dict[str, dict[str, float]] = {"goods": {"tariff": 10}}


def default_weights(offering: str, available: frozenset[str] = frozenset()) -> dict[str, float]:
    """Every indicator's default weight for `offering` (0 for those it does not use);
    `available` names the optional indicators (`WITH_DATA`) that have data."""
    weights = OFFERINGS[offering] | {
        code: weight for code, weight in WITH_DATA.get(offering, {}).items() if code in available
    }
    return {code: float(weights.get(code, 0)) for code in INDICATORS}
