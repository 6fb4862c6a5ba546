"""Does a new grant fit under the ceiling? Sums over every period the grant falls in."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .windows import GBER_20A_LIMIT, add_years, regime_for, window_start

__all__ = ["Assessment", "Grant", "Status", "assess_de_minimis", "assess_project_limit"]

DEFAULT_WARNING_SHARE = Decimal("0.8")


@dataclass(frozen=True)
class Grant:
    """Aid already granted to the single undertaking: its day and gross amount in EUR."""

    granted_on: date
    amount: Decimal


class Status(StrEnum):
    OK = "ok"
    NEAR = "near"  # within the ceiling, but at or past the warning share of it
    OVER = "over"  # the ceiling would be exceeded: the new aid cannot be granted (Art. 3(7))


@dataclass(frozen=True)
class Assessment:
    """The period in which the new aid leaves the least room, and what it comes to there."""

    status: Status
    amount: Decimal  # the new aid
    before: Decimal  # aid already granted in that period
    ceiling: Decimal
    window_start: date | None  # None for a per-project limit, which has no period
    window_end: date | None
    regulation: str

    @property
    def total(self) -> Decimal:
        return self.before + self.amount

    @property
    def headroom(self) -> Decimal:
        """What could still be granted in that period before the new aid (never negative)."""
        return max(self.ceiling - self.before, Decimal(0))

    @property
    def share(self) -> Decimal:
        """The total as a share of the ceiling (1 = at the ceiling)."""
        return self.total / self.ceiling if self.ceiling else Decimal(0)


def _status(total: Decimal, ceiling: Decimal, warning_share: Decimal) -> Status:
    if total > ceiling:
        return Status.OVER
    if total >= ceiling * warning_share:
        return Status.NEAR
    return Status.OK


def assess_de_minimis(
    grants: list[Grant],
    amount: Decimal,
    granted_on: date,
    *,
    fiscal_year_start_month: int = 1,
    warning_share: Decimal = DEFAULT_WARNING_SHARE,
) -> Assessment:
    """Assess new de minimis aid of `amount` granted on `granted_on` to an undertaking that
    has already received `grants` (its own and its linked companies', from every grantor).

    The ceiling must hold over every period, not just the one ending on the new grant: aid
    recorded after the fact (a delivery dated last month) also falls into the periods of the
    grants made since, so each of those is checked too, and the tightest one is returned.

    Notes
    -----
    O(n log n) for n grants: one sort, then prefix sums and a binary search per period (one
    per later grant within three years).

    >>> from datetime import date
    >>> a = assess_de_minimis([Grant(date(2024, 1, 10), Decimal(250_000))], Decimal(60_000),
    ...                       date(2024, 6, 1))
    >>> a.status, a.before, a.ceiling
    (<Status.OVER: 'over'>, Decimal('250000'), Decimal('300000'))
    """
    ordered = sorted(grants, key=lambda grant: grant.granted_on)
    days = [grant.granted_on for grant in ordered]
    prefix = [Decimal(0)]
    for grant in ordered:
        prefix.append(prefix[-1] + grant.amount)

    def window_total(start: date, end: date) -> Decimal:
        low = bisect.bisect_left(days, start)
        high = bisect.bisect_right(days, end)
        return prefix[high] - prefix[low]

    # The period ending on the new grant, then every later grant whose period reaches back to it:
    # no period is three years long or more, so grants three years on are out of reach.
    reach = add_years(granted_on, 3)
    ends = [granted_on] + sorted({day for day in days if granted_on < day < reach})
    worst = None
    for end in ends:
        start = window_start(end, fiscal_year_start_month=fiscal_year_start_month)
        if start > granted_on:
            continue
        ceiling = regime_for(end).ceiling
        before = window_total(start, end)
        room = ceiling - before - amount
        if worst is None or room < worst[0]:
            worst = (room, start, end, before, ceiling)
    _room, start, end, before, ceiling = worst
    return Assessment(
        status=_status(before + amount, ceiling, warning_share),
        amount=amount,
        before=before,
        ceiling=ceiling,
        window_start=start,
        window_end=end,
        regulation=regime_for(end).regulation,
    )


def assess_project_limit(
    before: Decimal,
    amount: Decimal,
    *,
    limit: Decimal = GBER_20A_LIMIT,
    warning_share: Decimal = DEFAULT_WARNING_SHARE,
) -> Assessment:
    """Assess new aid under GBER Art. 20a: at most `limit` per undertaking per project, over
    the whole project rather than a period of years. `before` is what the undertaking has
    already received under Art. 20a in this project.

    >>> assess_project_limit(Decimal(20_000), Decimal(3_000)).status
    <Status.OVER: 'over'>
    """
    return Assessment(
        status=_status(before + amount, limit, warning_share),
        amount=amount,
        before=before,
        ceiling=limit,
        window_start=None,
        window_end=None,
        regulation="Regulation (EU) No 651/2014, Art. 20a",
    )
