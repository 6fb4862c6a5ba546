"""`python -m metacluster.core.aid CHECK.json`: assess one new grant against the ceiling.

Input (a file, or - for standard input)::

    {"granted_on": "2024-06-01", "amount": "60000",
     "grants": [{"granted_on": "2024-01-10", "amount": "250000"}],
     "fiscal_year_start_month": 1, "warning_share": "0.8"}

Output: the assessment as JSON (status ok/near/over, the tightest period, totals, ceiling).
Malformed input exits with status 2 and one line on standard error saying what is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

from .assess import DEFAULT_WARNING_SHARE, Assessment, Grant, assess_de_minimis

__all__ = ["InputError", "main", "parse", "to_json"]


class InputError(Exception):
    """The input is not a valid check."""


def _date(value, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: expected a date as YYYY-MM-DD, got {value!r}") from None


def _amount(value, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"{where}: expected an amount in EUR, got {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(f"{where}: expected an amount of 0 or more, got {value!r}")
    return amount


def parse(data) -> dict:
    if not isinstance(data, dict):
        raise InputError("expected a JSON object")
    grants = data.get("grants", [])
    if not isinstance(grants, list):
        raise InputError("grants: expected a list")
    month = data.get("fiscal_year_start_month", 1)
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise InputError(f"fiscal_year_start_month: expected 1 to 12, got {month!r}")
    parsed = []
    for index, grant in enumerate(grants):
        if not isinstance(grant, dict):
            raise InputError(f"grants[{index}]: expected an object")
        parsed.append(
            Grant(
                _date(grant.get("granted_on"), f"grants[{index}].granted_on"),
                _amount(grant.get("amount"), f"grants[{index}].amount"),
            )
        )
    return {
        "grants": parsed,
        "amount": _amount(data.get("amount"), "amount"),
        "granted_on": _date(data.get("granted_on"), "granted_on"),
        "fiscal_year_start_month": month,
        "warning_share": _amount(data.get("warning_share", DEFAULT_WARNING_SHARE), "warning_share"),
    }


def to_json(assessment: Assessment) -> dict:
    def day(value):
        return value.isoformat() if value else None

    return {
        "status": str(assessment.status),
        "regulation": assessment.regulation,
        "amount": str(assessment.amount),
        "before": str(assessment.before),
        "total": str(assessment.total),
        "ceiling": str(assessment.ceiling),
        "headroom": str(assessment.headroom),
        "window_start": day(assessment.window_start),
        "window_end": day(assessment.window_end),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metacluster.core.aid", description=__doc__)
    parser.add_argument("input", help="the check as JSON, or - for standard input")
    options = parser.parse_args(argv)
    try:
        if options.input == "-":
            data = json.load(sys.stdin)
        else:
            with open(options.input, encoding="utf-8") as handle:
                data = json.load(handle)
        check = parse(data)
    except (OSError, json.JSONDecodeError, InputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    assessment = assess_de_minimis(
        check["grants"],
        check["amount"],
        check["granted_on"],
        fiscal_year_start_month=check["fiscal_year_start_month"],
        warning_share=check["warning_share"],
    )
    json.dump(to_json(assessment), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
