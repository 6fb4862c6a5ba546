"""ISO 3166 countries with EU/EFTA membership, from the table shipped in data/countries.csv.

The table is rebuilt by scripts/build_countries.py; see docs/DATA.md for sources and licences.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "countries.csv"


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    name: str
    region: str
    eu: bool
    efta: bool

    @property
    def in_eu_or_efta(self) -> bool:
        return self.eu or self.efta


@cache
def countries() -> dict[str, Country]:
    with open(DATA, newline="", encoding="utf-8") as f:
        return {
            row["alpha2"]: Country(
                alpha2=row["alpha2"],
                alpha3=row["alpha3"],
                name=row["name"],
                region=row["region"],
                eu=row["eu"] == "1",
                efta=row["efta"] == "1",
            )
            for row in csv.DictReader(f)
        }


def country_choices() -> list[tuple[str, str]]:
    return [(c.alpha2, c.name) for c in countries().values()]


def eu_efta_codes() -> set[str]:
    return {code for code, c in countries().items() if c.in_eu_or_efta}


def country_name(code: str) -> str:
    country = countries().get(code)
    return country.name if country else code
