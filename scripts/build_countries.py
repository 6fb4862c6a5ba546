"""Rebuild metacluster/data/countries.csv from the ISO 3166 country-codes data package.

Usage: python scripts/build_countries.py ../shared/data/country-codes/country-codes.csv

Source: datasets/country-codes data package (ODC-PDDL; ISO code lists carry ISO's own terms).
EU and EFTA membership are public facts as of 2026 (EU: europa.eu/principles-countries-history;
EFTA: efta.int), kept here as lists because the data package does not carry them.
"""

import csv
import sys
from pathlib import Path

EU = set("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
EFTA = {"IS", "LI", "NO", "CH"}
# CLDR's display names are short and familiar, but for these two they are abbreviations.
SHORT_NAMES = {"GB": "United Kingdom", "US": "United States"}
OUTPUT = Path(__file__).resolve().parent.parent / "metacluster" / "data" / "countries.csv"


def main(source: str) -> None:
    rows = []
    with open(source, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            alpha2 = row["ISO3166-1-Alpha-2"].strip()
            name = (
                SHORT_NAMES.get(alpha2)
                or (row["CLDR display name"] or row["official_name_en"]).strip()
            )
            if len(alpha2) != 2 or not name:
                continue
            rows.append(
                {
                    "alpha2": alpha2,
                    "alpha3": row["ISO3166-1-Alpha-3"].strip(),
                    "name": name,
                    "region": row["Region Name"].strip(),
                    "eu": int(alpha2 in EU),
                    "efta": int(alpha2 in EFTA),
                }
            )
    rows.sort(key=lambda r: r["name"])
    with open(OUTPUT, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} countries to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/country-codes/country-codes.csv")
