"""Indicator figures from dated facts: totals, per partner, and a cumulative monthly series.

A *fact* says that one record (a company, a deal, a consortium) counts towards an indicator
from a given date on, either in the programme total or for one partner. An indicator's achieved
value is the number of distinct records among its facts, so a company supported by two partners
counts once in the total and once for each partner: per-partner figures need not add up to the
total, and that is what funders expect.

Run as a command to compute figures from a JSON file::

    python -m metacluster.core.kpis facts.json --start 2015-09-01 --end 2019-02-28
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date

__all__ = ["Fact", "Figures", "aggregate", "months_between"]


@dataclass(frozen=True)
class Fact:
    """`key` counts from `on`; `partner` is None for the programme total."""

    key: Hashable
    on: date
    partner: Hashable | None = None


@dataclass
class Figures:
    achieved: int
    by_partner: dict = field(default_factory=dict)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    first_counted: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["by_partner"] = {str(k): v for k, v in self.by_partner.items()}
        data["by_month"] = [list(point) for point in self.by_month]
        data.pop("first_counted")
        return data


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """The calendar months from `start` to `end`, both included, as (year, month)."""
    if end < start:
        return []
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def aggregate(facts: Iterable[Fact], *, start: date, end: date) -> Figures:
    """Count distinct keys in total, per partner, and cumulatively by month.

    Facts dated before `start` count from the first month, those after `end` in the last one,
    so the series always ends at the achieved value. Cost: O(n + months).

    Example
    -------
    >>> facts = [Fact("a", date(2020, 1, 5)), Fact("a", date(2020, 3, 1)),
    ...          Fact("b", date(2020, 2, 9)), Fact("a", date(2020, 1, 5), partner="SE")]
    >>> figures = aggregate(facts, start=date(2020, 1, 1), end=date(2020, 3, 31))
    >>> figures.achieved, figures.by_partner, figures.by_month
    (2, {'SE': 1}, [('2020-01', 1), ('2020-02', 2), ('2020-03', 2)])
    """
    first_counted: dict[Hashable, date] = {}
    partner_keys: dict[Hashable, set] = {}
    for fact in facts:
        if fact.partner is None:
            seen = first_counted.get(fact.key)
            if seen is None or fact.on < seen:
                first_counted[fact.key] = fact.on
        else:
            partner_keys.setdefault(fact.partner, set()).add(fact.key)

    months = months_between(start, end)
    new_per_month = dict.fromkeys(months, 0)
    for on in first_counted.values():
        month = (on.year, on.month)
        if months:
            month = min(max(month, months[0]), months[-1])
            new_per_month[month] += 1
    by_month, running = [], 0
    for year, month in months:
        running += new_per_month[(year, month)]
        by_month.append((f"{year:04d}-{month:02d}", running))

    return Figures(
        achieved=len(first_counted),
        by_partner={partner: len(keys) for partner, keys in partner_keys.items()},
        by_month=by_month,
        first_counted=first_counted,
    )


def _plain(value):
    """Keys and partners in a JSON file must be strings, numbers or null, never lists or objects."""
    if value is not None and not isinstance(value, str | int | float):
        raise TypeError(f"a key or partner must be a string or a number, not {value!r}")
    return value


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Indicator figures from facts: a JSON list of {key, on, partner?}."
    )
    parser.add_argument("input", help="JSON file, or - for standard input")
    parser.add_argument("--start", required=True, type=date.fromisoformat)
    parser.add_argument("--end", required=True, type=date.fromisoformat)
    parser.add_argument("--output", help="write JSON here instead of standard output")
    args = parser.parse_args(argv)
    try:
        raw = json.load(sys.stdin if args.input == "-" else open(args.input, encoding="utf-8"))
        facts = [
            Fact(
                key=_plain(item["key"]),
                on=date.fromisoformat(item["on"]),
                partner=_plain(item.get("partner")),
            )
            for item in raw
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"error: cannot read facts: {error}", file=sys.stderr)
        return 2
    result = json.dumps(aggregate(facts, start=args.start, end=args.end).to_json(), indent=2)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(result + "\n")
    else:
        print(result)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
