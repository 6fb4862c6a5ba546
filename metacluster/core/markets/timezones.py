"""Shared office hours between two countries, from the IANA time-zone database (`zoneinfo`).

Each country is represented by one zone (chosen in scripts/build_market_data.py: the zone of
zone.tab whose principal city is nearest the capital, e.g. America/New_York for the United
States, Europe/Moscow for Russia). Office hours are 09:00–17:00 local time on weekdays. The
overlap is averaged over a winter and a summer weekday of the reference year, so that daylight
saving time (which starts and ends on different dates, or not at all, around the world) counts
for half the year each way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["OFFICE_HOURS", "business_hours_overlap"]

OFFICE_HOURS = (time(9), time(17))


def _reference_days(year: int) -> list[date]:
    # The third Wednesday of January and of July: ordinary working days, away from DST changes.
    days = []
    for month in (1, 7):
        first = date(year, month, 1)
        days.append(first + timedelta(days=(2 - first.weekday()) % 7 + 14))
    return days


def _office_hours_utc(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    start, end = OFFICE_HOURS
    return (
        datetime.combine(day, start, tzinfo=zone).astimezone(ZoneInfo("UTC")),
        datetime.combine(day, end, tzinfo=zone).astimezone(ZoneInfo("UTC")),
    )


@lru_cache(maxsize=4096)
def business_hours_overlap(home: str, market: str, year: int = 2025) -> float | None:
    """Hours a day that office hours in zone `home` and zone `market` overlap (0–8).

    Each side works 09:00–17:00 on its own local calendar day; a market ahead of or behind
    home by a day's worth still overlaps with the neighbouring local day (Auckland's Monday
    morning is Sunday evening in Stockholm, which does not count; its Tuesday morning is
    Monday evening, which does), so the overlap is taken against the market's day before,
    same day and day after and the best is kept. Returns None for an unknown zone.

    >>> business_hours_overlap("Europe/Stockholm", "Europe/Helsinki")
    7.0
    >>> business_hours_overlap("Europe/Stockholm", "America/New_York")
    2.0
    """
    try:
        home_zone, market_zone = ZoneInfo(home), ZoneInfo(market)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    total = 0.0
    days = _reference_days(year)
    for day in days:
        home_start, home_end = _office_hours_utc(home_zone, day)
        best = 0.0
        for shift in (-1, 0, 1):
            start, end = _office_hours_utc(market_zone, day + timedelta(days=shift))
            overlap = (min(home_end, end) - max(home_start, start)).total_seconds() / 3600
            best = max(best, overlap)
        total += best
    return round(total / len(days), 2)
