"""The `schedule` command: `python -m metacluster.core.scheduling EVENT.json --output OUT.json`.

Reads the event as JSON (a file, or - for standard input), writes the schedule as JSON.
Malformed input exits with status 2 and one line on standard error saying what is wrong.
"""

from __future__ import annotations

import argparse
import sys

from ..cliutils import InputError, positive_seconds, read_json, write_json
from ..cliutils import main as cli_main
from .model import InvalidEvent, event_from_json
from .solve import first_come_first_served, schedule

__all__ = ["InputError", "add_arguments", "main", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options, shared with the `metacluster schedule` command."""
    parser.add_argument("input", help="the event as JSON, or - for standard input")
    parser.add_argument("--output", help="write the schedule here instead of standard output")
    parser.add_argument(
        "--time-limit",
        type=positive_seconds,
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


def run(options: dict, stdout=None) -> dict:
    """Schedule the event named by parsed `options` and write the result as JSON.

    Raises `InputError` with a one-line message when the input is unreadable or invalid.
    """
    data = read_json(options["input"], what="event")
    try:
        event = event_from_json(data)
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
    write_json(data, options.get("output"), stdout=stdout, what="schedule")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.scheduling",
        description="Schedule the B2B meetings of an event: most weight, then fewest gaps.",
    )
    add_arguments(parser)
    return cli_main(parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
