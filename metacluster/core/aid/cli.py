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
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

from ..cliutils import InputError, read_json, write_json
from ..cliutils import main as cli_main
from .assess import DEFAULT_WARNING_SHARE, Assessment, Grant, assess_de_minimis

__all__ = ["InputError", "main", "parse", "to_json"]


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


def run(options: dict, stdout=None) -> dict:
    """Assess the check named by `options["input"]` and write the standing as JSON."""
    check = parse(read_json(options["input"], what="check"))
    assessment = assess_de_minimis(
        check["grants"],
        check["amount"],
        check["granted_on"],
        fiscal_year_start_month=check["fiscal_year_start_month"],
        warning_share=check["warning_share"],
    )
    data = to_json(assessment)
    write_json(data, options.get("output"), stdout=stdout)
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metacluster.core.aid", description=__doc__)
    parser.add_argument("input", help="the check as JSON, or - for standard input")
    parser.add_argument("--output", help="write the standing here instead of standard output")
    return cli_main(parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
