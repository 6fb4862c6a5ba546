"""Reporting-period maths as plain dates: no Django, no time zones.

A reporting period is a closed date range [start, end]. Periods of n months are counted from
the programme's start date, each one from the original start (not from the previous period),
so a programme starting on 31 January gets periods starting 31 July, 31 January, ... and a
short month clips a start to its last day without the error carrying over.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clipped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def split_into_periods(start: date, end: date, months: int) -> list[tuple[date, date]]:
    """[start, end] cut into consecutive periods of `months` months; the last one ends on
    `end`, however short it is. Consecutive periods neither overlap nor leave a gap."""
    if months < 1:
        raise ValueError("a period lasts at least one month")
    if end < start:
        return []
    periods = []
    number = 0
    while True:
        period_start = add_months(start, months * number)
        if period_start > end:
            break
        next_start = add_months(start, months * (number + 1))
        periods.append((period_start, min(next_start - timedelta(days=1), end)))
        number += 1
    return periods
