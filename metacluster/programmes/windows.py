"""Counting windows: which records an indicator counts, by when they happened.

A window is part of an indicator's definition, beside its kind:

- no ``window`` key: every record counts, whenever it is dated (how indicators always counted);
- ``"window": "period"``: only records dated within the programme's period;
- ``"window": "period", "follow_up_months": 24``: the period plus a follow-up after its end,
  for results that come "during or shortly (1–2 years) after" the programme (SME2GO's sales).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WINDOW_KEYS = {"window", "follow_up_months"}
MAX_FOLLOW_UP_MONTHS = 120


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Window:
    period_only: bool = False
    follow_up_months: int = 0

    def bounds(self, programme) -> tuple[date, date] | None:
        """The first and last day a record may be dated to count; None: any day."""
        if not self.period_only:
            return None
        return programme.start_date, add_months(programme.end_date, self.follow_up_months)

    def keep(self, facts, programme) -> list:
        bounds = self.bounds(programme)
        if bounds is None:
            return list(facts)
        first, last = bounds
        return [fact for fact in facts if first <= fact.on <= last]

    def describe(self) -> str:
        if not self.period_only:
            return _("Counts records whenever they happened.")
        if not self.follow_up_months:
            return _("Counts records within the programme period.")
        return ngettext(
            "Counts records within the programme period and %(months)s month after it.",
            "Counts records within the programme period and %(months)s months after it.",
            self.follow_up_months,
        ) % {"months": self.follow_up_months}


def parse_window(data: dict, error=ValueError) -> Window:
    """The window of a definition; raises `error` with a message when it is not one."""
    scope = data.get("window")
    months = data.get("follow_up_months", 0)
    if scope not in (None, "period"):
        raise error(_("window must be “period” (or left out to count every record)."))
    if (
        not isinstance(months, int)
        or isinstance(months, bool)
        or not (0 <= months <= MAX_FOLLOW_UP_MONTHS)
    ):
        raise error(
            _("follow_up_months must be a whole number from 0 to %(max)s.")
            % {"max": MAX_FOLLOW_UP_MONTHS}
        )
    if months and scope is None:
        raise error(_("follow_up_months needs “window”: “period”."))
    return Window(period_only=scope == "period", follow_up_months=months)
