"""Export markets: rank countries for an offering, and ITC-style export potential from trade.

- `scoring.rank` scores every country 0–100 for an offering type ("ict-services", "goods")
  from public indicators (World Bank WDI and LPI, CEPII GeoDist, IANA time zones) with default
  weights per offering and the user's own; each market carries its breakdown: raw value, year,
  source and points per indicator, and which figures were missing and how they were treated.
- `potential.export_potential` computes supply × demand × ease of trade, the potential and
  the untapped potential per market from trade in the CEPII BACI layout (polars, lazily).
- `data.load` reads the processed country table shipped in metacluster/data/.

Pure Python over plain data; no Django. From the command line::

    python -m metacluster.core.markets rank --home SE --offering ict-services
    python -m metacluster.core.markets potential --trade baci.csv --exporter SWE --product 851712
    python -m metacluster.core.markets.generate --rows 1000000 --output trade.csv

or, in an installed project, `metacluster rank-markets ...` and `metacluster export-potential ...`.
Formulas, sources and references: docs/MARKETS.md.
"""

from .data import Country, MarketData, Observation, load
from .indicators import INDICATORS, OFFERINGS, Indicator, default_weights
from .potential import ExportPotential, MarketPotential, TradeFileError, export_potential
from .scoring import (
    MISSING_POLICIES,
    Component,
    InvalidRanking,
    RankedMarket,
    Ranking,
    points,
    rank,
    validate_weights,
)
from .timezones import business_hours_overlap

__all__ = [
    "INDICATORS",
    "MISSING_POLICIES",
    "OFFERINGS",
    "Component",
    "Country",
    "ExportPotential",
    "Indicator",
    "InvalidRanking",
    "MarketData",
    "MarketPotential",
    "Observation",
    "RankedMarket",
    "Ranking",
    "TradeFileError",
    "business_hours_overlap",
    "default_weights",
    "export_potential",
    "load",
    "points",
    "rank",
    "validate_weights",
]
