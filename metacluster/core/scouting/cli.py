"""`python -m metacluster.core.scouting COMMAND INPUT.json [--output OUT.json]`.

- `check`: INPUT is {"default_country": "EE", "rows": [{field: text, ...}, ...]}; writes
  {"rows": [clean values...], "errors": [{"line", "field", "kind", "message"}, ...]}
  (lines count from 2, the first data line under the header).
- `dedup`: INPUT is [{"id", "country", "name", "town", "registry_code", "vat_number"}, ...];
  writes [{"first", "second", "reason", "score"}, ...].
- `score`: INPUT is {"profile": {...Profile fields}, "year": 2026, "companies": [{...}]};
  writes [{"total", "criteria": [{"key", "points", "max", "reason", "params", "why"}]}, ...]
  (`reason` a key of `score.REASONS`, `why` its English sentence).
Malformed input exits with status 2 and one line on standard error.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from decimal import Decimal

from .dedup import Record, find_duplicates
from .rows import clean_row
from .score import Company, Profile, score


def _check(data) -> dict:
    rows, errors = [], []
    for index, raw in enumerate(data["rows"]):
        row, problems = clean_row(index + 2, raw, default_country=data.get("default_country", ""))
        if row:
            rows.append(row.values)
        errors.extend(problem.as_dict() for problem in problems)
    return {"rows": rows, "errors": errors}


def _dedup(data) -> list:
    records = [Record(**item) for item in data]
    return [dataclasses.asdict(match) for match in find_duplicates(records)]


def _score(data) -> list:
    def tuples(values: dict) -> dict:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}

    profile = Profile(**tuples(data.get("profile", {})))
    year = data.get("year") or date.today().year
    return [score(Company(**tuples(c)), profile, year=year).as_dict() for c in data["companies"]]


COMMANDS = {"check": _check, "dedup": _dedup, "score": _score}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metacluster.core.scouting")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("input", help="JSON file, or - for standard input")
    parser.add_argument("--output", help="write here instead of standard output")
    options = parser.parse_args(argv)
    try:
        if options.input == "-":
            data = json.load(sys.stdin)
        else:
            with open(options.input, encoding="utf-8") as file:
                data = json.load(file)
        result = COMMANDS[options.command](data)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = json.dumps(result, indent=2, ensure_ascii=False, default=_json_default)
    if options.output:
        with open(options.output, "w", encoding="utf-8") as file:
            file.write(text + "\n")
    else:
        print(text)
    return 0


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
