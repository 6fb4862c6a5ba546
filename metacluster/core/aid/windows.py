"""The periods the de minimis regulations sum aid over, and how long records are kept.

Two regulations apply, by the date aid is granted (Art. 3(4) of both: the day the legal right to
the aid is conferred):

- Regulation (EU) No 1407/2013, for aid granted up to 31 December 2023: at most EUR 200,000 to
  a single undertaking "over any period of three fiscal years" (Art. 3(2)), assessed for each
  new grant over the fiscal year of the grant and the two previous fiscal years (recital 10).
- Regulation (EU) 2023/2831, for aid granted from 1 January 2024 (Art. 8): at most EUR 300,000
  "over any period of three years" (Art. 3(2)), a rolling period of three calendar years
  ending on the day of the new grant (recital 10), whatever the undertaking's fiscal year.

Records of individual aid are kept for ten years from the day the aid was granted (Art. 6(4)
of Regulation 2023/2831); records of a scheme ten years from its last grant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..errors import InputError

__all__ = [
    "DE_MINIMIS_2013",
    "DE_MINIMIS_2023",
    "GBER_20A_LIMIT",
    "Regime",
    "add_years",
    "fiscal_year_start",
    "regime_for",
    "retention_until",
    "window_start",
]

RETENTION_YEARS = 10


@dataclass(frozen=True)
class Regime:
    """A de minimis regulation: its ceiling and how its three-year period is counted."""

    regulation: str
    ceiling: Decimal
    fiscal_years: bool  # True: three fiscal years; False: a rolling three years
    applies_from: date
    applies_to: date


DE_MINIMIS_2013 = Regime(
    "Regulation (EU) No 1407/2013", Decimal(200_000), True, date(2014, 1, 1), date(2023, 12, 31)
)
DE_MINIMIS_2023 = Regime(
    "Regulation (EU) 2023/2831", Decimal(300_000), False, date(2024, 1, 1), date(2030, 12, 31)
)

# GBER (Regulation (EU) No 651/2014) Art. 20a(2), as amended by Regulation (EU) 2023/1315:
# aid to an undertaking for taking part in an Interreg project, per undertaking per project.
GBER_20A_LIMIT = Decimal(22_000)


def regime_for(granted_on: date) -> Regime:
    """The de minimis regulation under which aid granted on this day is assessed.

    Aid granted before 2014 is assessed as under Regulation 1407/2013, whose Art. 7 took such
    aid in where it met its conditions."""
    return DE_MINIMIS_2023 if granted_on >= DE_MINIMIS_2023.applies_from else DE_MINIMIS_2013


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier); 29 February becomes 28 February.
    Beyond the calendar's range (before year 1, after 9999) it stops at its first or last day."""
    year = day.year + years
    if year < 1:
        return date.min
    if year > 9999:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def fiscal_year_start(day: date, start_month: int = 1) -> date:
    """The first day of the fiscal year that `day` falls in, for fiscal years that begin on
    the first of `start_month` (1 = the calendar year)."""
    if not 1 <= start_month <= 12:
        raise InputError(f"a fiscal year starts in month 1 to 12, not {start_month}")
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)


def window_start(granted_on: date, *, fiscal_year_start_month: int = 1) -> date:
    """The first day of the period whose aid counts against the ceiling for a grant made on
    `granted_on`; the period ends on `granted_on` itself.

    >>> window_start(date(2024, 3, 15))  # rolling: after 15 March 2021
    datetime.date(2021, 3, 16)
    >>> window_start(date(2019, 3, 15), fiscal_year_start_month=7)  # FY 2018/19 and two before
    datetime.date(2016, 7, 1)
    """
    regime = regime_for(granted_on)
    if regime.fiscal_years:
        if granted_on < date(1, 12, 31):  # no fiscal year can start before the calendar does
            return date.min
        current = fiscal_year_start(granted_on, fiscal_year_start_month)
        return add_years(current, -2)
    # Any period of three years: the three years that end on the day of the grant.
    return min(add_years(granted_on, -3) + timedelta(days=1), granted_on)


def retention_until(granted_on: date) -> date:
    """The last day the record of aid granted on `granted_on` must be kept (Art. 6(4))."""
    return add_years(granted_on, RETENTION_YEARS)
