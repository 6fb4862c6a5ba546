"""The country table a ranking reads: countries, indicator series and bilateral pairs.

Loaded from the processed CSV files shipped in metacluster/data/ (rebuilt by
scripts/build_market_data.py). Only ISO 3166 countries are in them, so aggregates such as WLD
or EUU cannot be markets; `MarketData.from_rows` checks that again for data built elsewhere.
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import InputError
from .timezones import business_hours_overlap

__all__ = ["DATA_DIR", "Country", "MarketData", "Observation", "load"]

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CEPII = "CEPII GeoDist"
CEPII_YEAR = 2011  # GeoDist's vintage (Mayer & Zignago 2011); distances do not change
TZ_SOURCE = "IANA tz database (zoneinfo), office hours 09–17"
TZ_YEAR = 2025


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    region: str
    subregion: str = ""
    numeric: int | None = None
    time_zone: str = ""
    eu: bool = False
    efta: bool = False

    @property
    def in_eu_or_efta(self) -> bool:
        return self.eu or self.efta


@dataclass(frozen=True)
class Observation:
    value: float
    year: int
    source: str


@dataclass(frozen=True)
class Pair:
    distance: float | None
    contiguity: bool
    common_language: bool


@dataclass
class MarketData:
    countries: dict[str, Country]
    # (iso3, indicator) → observations sorted by year
    series: dict[tuple[str, str], list[Observation]] = field(default_factory=dict)
    pairs: dict[tuple[str, str], Pair] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = {iso3 for iso3, _ in self.series} - set(self.countries)
        if unknown:
            raise InputError(f"figures for codes that are not countries: {sorted(unknown)[:5]}")

    def latest(self, iso3: str, indicator: str, year: int | None = None) -> Observation | None:
        """The newest figure (at or before `year`, if given); None when there is none."""
        observations = self.series.get((iso3, indicator))
        if not observations:
            return None
        if year is None:
            return observations[-1]
        at = bisect_right([o.year for o in observations], year)
        return observations[at - 1] if at else None

    def optional_indicators(self) -> frozenset[str]:
        """The indicators that weigh only when figures exist (tariffs) and have some here."""
        return frozenset(code for _iso3, code in self.series if code == "tariff")

    def with_series(self, indicator: str, figures: dict[str, Observation]) -> MarketData:
        """A copy with one figure per market (ISO3) for `indicator`, e.g. loaded tariffs;
        the shipped table itself is never changed."""
        series = {key: obs for key, obs in self.series.items() if key[1] != indicator}
        for iso3, observation in figures.items():
            if iso3 in self.countries:
                series[(iso3, indicator)] = [observation]
        return MarketData(countries=self.countries, series=series, pairs=self.pairs)

    def trend(self, iso3: str, indicator: str) -> list[Observation]:
        return list(self.series.get((iso3, indicator), ()))

    def observation(self, home: str, market: str, indicator: str) -> Observation | None:
        """A market's figure for `indicator`, bilateral ones measured from `home`."""
        if indicator in ("distance", "contiguity", "common_language"):
            pair = self.pairs.get((home, market))
            if pair is None:
                return None
            value = {
                "distance": pair.distance,
                "contiguity": float(pair.contiguity),
                "common_language": float(pair.common_language),
            }[indicator]
            return None if value is None else Observation(value, CEPII_YEAR, CEPII)
        if indicator == "time_zone_overlap":
            zones = self.countries[home].time_zone, self.countries[market].time_zone
            if not all(zones):
                return None
            hours = business_hours_overlap(*zones, TZ_YEAR)
            if hours is None:
                return None
            return Observation(hours, TZ_YEAR, f"{TZ_SOURCE}: {zones[0]} / {zones[1]}")
        return self.latest(market, indicator)

    def by_iso2(self, code: str) -> Country | None:
        code = code.upper()
        for country in self.countries.values():
            if country.iso2 == code:
                return country
        return None

    def resolve(self, code: str) -> Country | None:
        """A country by ISO3 or ISO2 code, in any case."""
        code = code.strip().upper()
        return self.countries.get(code) or (self.by_iso2(code) if len(code) == 2 else None)


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(directory: Path = DATA_DIR) -> MarketData:
    """Read the processed tables from `directory` (the shipped ones by default)."""
    if directory == DATA_DIR:
        return _load_shipped()
    return _load(directory)


@cache
def _load_shipped() -> MarketData:
    return _load(DATA_DIR)


def _load(directory: Path) -> MarketData:
    membership = {row["alpha3"]: row for row in _read(directory / "countries.csv")}
    countries = {}
    for row in _read(directory / "market_countries.csv"):
        member = membership.get(row["iso3"], {})
        countries[row["iso3"]] = Country(
            iso3=row["iso3"],
            iso2=row["iso2"],
            name=row["name"],
            region=row["region"],
            subregion=row["subregion"],
            numeric=int(row["numeric"]) if row["numeric"].isdigit() else None,
            time_zone=row["time_zone"],
            eu=member.get("eu") == "1",
            efta=member.get("efta") == "1",
        )
    series: dict[tuple[str, str], list[Observation]] = {}
    for row in _read(directory / "market_indicators.csv"):
        series.setdefault((row["iso3"], row["indicator"]), []).append(
            Observation(float(row["value"]), int(row["year"]), row["source"])
        )
    for observations in series.values():
        observations.sort(key=lambda o: o.year)
    pairs = {
        (row["origin"], row["destination"]): Pair(
            distance=float(row["distw"]) if row["distw"] else None,
            contiguity=row["contig"] == "1",
            common_language=row["comlang"] == "1",
        )
        for row in _read(directory / "market_distances.csv")
    }
    return MarketData(countries=countries, series=series, pairs=pairs)
