"""The `schedule` command: `python -m metacluster.core.scheduling EVENT.json --output OUT.json`.

Reads the event as JSON (a file, or - for standard input), writes the schedule as JSON.
Malformed input exits with status 2 and one line on standard error saying what is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys

from .model import InvalidEvent, event_from_json
from .solve import first_come_first_served, schedule

__all__ = ["InputError", "add_arguments", "main", "run"]


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options, shared with the `metacluster schedule` command."""
    parser.add_argument("input", help="the event as JSON, or - for standard input")
    parser.add_argument("--output", help="write the schedule here instead of standard output")
    parser.add_argument(
        "--time-limit",
        type=_positive,
        default=10.0,
        metavar="SECONDS",
        help="return the best schedule found by then (default 10)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--method",
        choices=["auto", "heuristic", "exact", "fcfs"],
        default="auto",
        help="auto (default): CP-SAT when the event is small enough; fcfs: the "
        "first-come-first-served baseline",
    )


class InputError(Exception):
    """The event file cannot be read or is not a valid event."""


def run(options: dict, stdout=None) -> dict:
    """Schedule the event named by parsed `options` and write the result as JSON.

    Raises `InputError` with a one-line message when the input is unreadable or invalid.
    """
    name = options["input"]
    try:
        if name == "-":
            data = json.load(sys.stdin)
        else:
            with open(name, encoding="utf-8") as f:
                data = json.load(f)
        event = event_from_json(data)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read event: {error}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"cannot read event: not valid JSON: {error}") from None
    except InvalidEvent as error:
        raise InputError(f"invalid event: {error}") from None
    if options.get("method") == "fcfs":
        result = first_come_first_served(event)
    else:
        result = schedule(
            event,
            time_limit=options.get("time_limit") or 10.0,
            seed=options.get("seed") or 0,
            method=options.get("method") or "auto",
        )
    data = result.to_json()
    text = json.dumps(data, indent=1, ensure_ascii=False)
    if options.get("output"):
        try:
            with open(options["output"], "w", encoding="utf-8") as f:
                f.write(text + "\n")
        except OSError as error:
            raise InputError(f"cannot write schedule: {error}") from None
    else:
        (stdout or sys.stdout).write(text + "\n")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.scheduling",
        description="Schedule the B2B meetings of an event: most weight, then fewest gaps.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run(vars(args))
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
