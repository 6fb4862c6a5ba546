"""The EU common output (RCO) and result (RCR) indicators a programme indicator can report as.

Transcribed from Annex I of Regulation (EU) 2021/1058 (ERDF and Cohesion Fund), the list Jems
and the Interreg programmes use; shipped in data/eu_common_indicators.csv. Only the indicators
an SME export programme can plausibly report are listed; see docs/REPORTING.md.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "eu_common_indicators.csv"


@dataclass(frozen=True)
class EuIndicator:
    code: str
    kind: str  # "output" or "result"
    name: str
    unit: str
    source: str


@cache
def eu_indicators() -> dict[str, EuIndicator]:
    with open(DATA, newline="", encoding="utf-8") as f:
        return {row["code"]: EuIndicator(**row) for row in csv.DictReader(f)}


def eu_indicator_choices() -> list[tuple[str, str]]:
    """(code, "code – name") for a select list, in catalogue order."""
    return [(code, f"{code} – {item.name}") for code, item in eu_indicators().items()]


def eu_indicator_name(code: str) -> str:
    item = eu_indicators().get(code)
    return item.name if item else ""
