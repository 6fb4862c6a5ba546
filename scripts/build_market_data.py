"""Rebuild the market tables in metacluster/data/ from the raw public files in /work/shared/data.

    python scripts/build_market_data.py [--source /work/shared/data] [--out metacluster/data]

Writes three tables (sources and licences: docs/MARKETS.md and /work/shared/data/SOURCES.md):

- ``market_countries.csv``: one row per ISO 3166 country: ISO3, ISO2, ISO numeric, name, UN
  region and sub-region, continent, capital coordinates, a representative IANA time zone,
  landlocked flag.
- ``market_indicators.csv``: long table ``iso3,indicator,year,value,source``: every figure with
  the year it is for and where it comes from (World Bank WDI and LPI), 2000 onwards.
- ``market_distances.csv``: CEPII GeoDist pairs ``origin,destination,distw,contig,comlang``.

Only ISO 3166 countries (the alpha-3 codes of metacluster/data/countries.csv) are kept, so World
Bank aggregates such as WLD (World), EUU (European Union) or AFE never become markets.
The project reads only these processed tables at run time, never /work/shared.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_YEAR = 2000

WDI = "World Bank WDI"
LPI = "World Bank LPI"
# (indicator, file, source) for the World Bank files in DataBank's wide layout.
WIDE_FILES = [
    ("gdp_per_capita", "worldbank/gdp_per_capita_usd.csv", f"{WDI} NY.GDP.PCAP.CD"),
    ("gdp_growth", "worldbank/gdp_growth_pct.csv", f"{WDI} NY.GDP.MKTP.KD.ZG"),
    ("trade_openness", "worldbank/trade_pct_gdp.csv", f"{WDI} NE.TRD.GNFS.ZS"),
    ("internet_users", "worldbank/internet_users_pct.csv", f"{WDI} IT.NET.USER.ZS"),
]
LONG_FILES = [
    ("gdp", "worldbank/gdp_current_usd.csv", f"{WDI} NY.GDP.MKTP.CD"),
    ("population", "worldbank/population.csv", f"{WDI} SP.POP.TOTL"),
]
# LPI names the World Bank spells differently in its WDI files (the LPI file has no codes).
LPI_NAMES = {
    "Bahamas": "BHS",
    "Czech Republic": "CZE",
    "Hong Kong": "HKG",
    "Venezuela": "VEN",
    "Vietnam": "VNM",
}
# The growth indicator a ranking uses: the mean of the last five annual rates, so one crisis
# year (2020 is the last in the extract) does not decide a market's growth score alone.
GROWTH_WINDOW = 5


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def number(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip()
    if text in ("", "NA", "..", "."):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def iso_countries() -> dict[str, dict]:
    """ISO3 → the project's own country row (alpha2, name, region, EU/EFTA flags)."""
    rows = read_csv(ROOT / "metacluster" / "data" / "countries.csv")
    return {row["alpha3"]: row for row in rows}


def representative_zones(zone_tab: Path) -> dict[str, list[tuple[str, float, float]]]:
    """ISO2 → [(zone, lat, lon)] from the IANA zone.tab (coordinates as ±DDMM[SS]±DDDMM[SS])."""

    def coordinate(text: str, degree_digits: int) -> float:
        sign = -1 if text[0] == "-" else 1
        digits = text[1:]
        degrees = int(digits[:degree_digits])
        minutes = int(digits[degree_digits : degree_digits + 2])
        seconds = int(digits[degree_digits + 2 :] or 0)
        return sign * (degrees + minutes / 60 + seconds / 3600)

    zones: dict[str, list] = {}
    for line in zone_tab.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, coords, zone = line.split("\t")[:3]
        split = max(coords.rfind("+"), coords.rfind("-"))
        lat_text, lon_text = coords[:split], coords[split:]
        zones.setdefault(code, []).append((zone, coordinate(lat_text, 2), coordinate(lon_text, 3)))
    return zones


def nearest_zone(candidates, lat: float | None, lon: float | None) -> str:
    """The zone whose principal city is nearest the capital (great-circle distance); without a
    capital, zone.tab's first zone (the most populous region by IANA convention)."""
    if lat is None or lon is None or len(candidates) == 1:
        return candidates[0][0]

    def distance(candidate) -> float:
        _, zlat, zlon = candidate
        p1, p2 = math.radians(lat), math.radians(zlat)
        dl = math.radians(zlon - lon)
        return math.acos(
            max(
                -1.0,
                min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)),
            )
        )

    return min(candidates, key=distance)[0]


def build_countries(source: Path, zone_tab: Path) -> list[dict]:
    iso = iso_countries()
    codes = {
        row["ISO3166-1-Alpha-3"]: row
        for row in read_csv(source / "country-codes/country-codes.csv")
    }
    geo = {}
    for row in read_csv(source / "cepii/geo_cepii.csv"):
        # CEPII lists several cities for some countries; the capital row has cap == 1.
        if row["iso3"] not in geo or row.get("cap") == "1":
            geo[row["iso3"]] = row
    zones = representative_zones(zone_tab)
    rows = []
    for iso3, country in sorted(iso.items()):
        code_row = codes.get(iso3, {})
        geo_row = geo.get(iso3, {})
        lat, lon = number(geo_row.get("lat")), number(geo_row.get("lon"))
        candidates = zones.get(country["alpha2"])
        rows.append(
            {
                "iso3": iso3,
                "iso2": country["alpha2"],
                "numeric": code_row.get("ISO3166-1-numeric", ""),
                "name": country["name"],
                "region": code_row.get("Region Name") or country["region"],
                "subregion": code_row.get("Sub-region Name", ""),
                "capital": code_row.get("Capital", ""),
                "lat": "" if lat is None else f"{lat:.4f}",
                "lon": "" if lon is None else f"{lon:.4f}",
                "time_zone": nearest_zone(candidates, lat, lon) if candidates else "",
                "landlocked": geo_row.get("landlocked", ""),
            }
        )
    return rows


def build_indicators(source: Path, iso3_codes: set[str]) -> list[dict]:
    rows: list[dict] = []

    def add(iso3, indicator, year, value, origin):
        if iso3 in iso3_codes and value is not None and year >= FIRST_YEAR:
            rows.append(
                {
                    "iso3": iso3,
                    "indicator": indicator,
                    "year": year,
                    "value": value,
                    "source": origin,
                }
            )

    names_to_iso3 = dict(LPI_NAMES)
    for indicator, name, origin in LONG_FILES:
        for row in read_csv(source / name):
            names_to_iso3.setdefault(row["Country Name"], row["Country Code"])
            add(row["Country Code"], indicator, int(row["Year"]), number(row["Value"]), origin)
    for indicator, name, origin in WIDE_FILES:
        for row in read_csv(source / name):
            iso3 = (row.get("Country Code") or "").strip()
            if not iso3:
                continue  # DataBank's footer lines
            names_to_iso3.setdefault(row["Country Name"], iso3)
            for column, text in row.items():
                if column and column[:4].isdigit() and "[YR" in column:
                    add(iso3, indicator, int(column[:4]), number(text), origin)
    unmatched = set()
    for row in read_csv(source / "worldbank/lpi_2012_2023.csv"):
        iso3 = names_to_iso3.get(row["country"])
        if iso3 is None:
            unmatched.add(row["country"])
            continue
        add(iso3, "lpi", int(row["year"]), number(row["lpi_score"]), f"{LPI} overall score")
    if unmatched:
        sys.exit(f"LPI countries without an ISO3 code: {sorted(unmatched)}; add them to LPI_NAMES")
    rows.extend(growth_means(rows))
    rows.sort(key=lambda r: (r["iso3"], r["indicator"], r["year"]))
    return rows


def growth_means(rows: list[dict]) -> list[dict]:
    by_country: dict[str, dict[int, float]] = {}
    for row in rows:
        if row["indicator"] == "gdp_growth":
            by_country.setdefault(row["iso3"], {})[row["year"]] = row["value"]
    means = []
    for iso3, series in by_country.items():
        last = max(series)
        window = [series[y] for y in range(last - GROWTH_WINDOW + 1, last + 1) if y in series]
        if len(window) >= 3:  # fewer than three of five years is too thin to call a trend
            means.append(
                {
                    "iso3": iso3,
                    "indicator": "gdp_growth_5y",
                    "year": last,
                    "value": sum(window) / len(window),
                    "source": f"{WDI} NY.GDP.MKTP.KD.ZG, mean of {last - GROWTH_WINDOW + 1}–{last}",
                }
            )
    return means


def build_distances(source: Path, iso3_codes: set[str]) -> list[dict]:
    rows = []
    for row in read_csv(source / "cepii/dist_cepii.csv"):
        origin, destination = row["iso_o"], row["iso_d"]
        if origin == destination or origin not in iso3_codes or destination not in iso3_codes:
            continue
        distw = number(row["distw"]) or number(row["dist"])
        rows.append(
            {
                "origin": origin,
                "destination": destination,
                "distw": "" if distw is None else f"{distw:.0f}",
                "contig": row["contig"],
                # A language spoken by at least 9% in both (comlang_ethno) or official in both.
                "comlang": "1" if "1" in (row["comlang_off"], row["comlang_ethno"]) else "0",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: (f"{v:.10g}" if isinstance(v, float) else v) for k, v in row.items()}
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--out", type=Path, default=ROOT / "metacluster" / "data")
    parser.add_argument("--zone-tab", type=Path, default=Path("/usr/share/zoneinfo/zone.tab"))
    args = parser.parse_args(argv)
    countries = build_countries(args.source, args.zone_tab)
    iso3_codes = {row["iso3"] for row in countries}
    indicators = build_indicators(args.source, iso3_codes)
    distances = build_distances(args.source, iso3_codes)
    write_csv(args.out / "market_countries.csv", countries)
    write_csv(args.out / "market_indicators.csv", indicators)
    write_csv(args.out / "market_distances.csv", distances)
    print(
        f"{len(countries)} countries, {len(indicators)} indicator figures, "
        f"{len(distances)} distance pairs → {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
