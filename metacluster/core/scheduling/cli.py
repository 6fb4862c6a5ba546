"""The `schedule` command: `python -m metacluster.core.scheduling EVENT.json --output OUT.json`.

Reads the event as JSON (a file, or - for standard input), writes the schedule as JSON.
Malformed input exits with status 2 and one line on standard error saying what is wrong.
`--time-limit` is the whole command's: run from the shell, it counts from the start of the
process (the interpreter, imports and reading the event) to the schedule written, so the
solver gets what is left after start-up and a reserve for writing the output.
"""

from __future__ import annotations

import argparse
import sys
import time

from ..cliutils import InputError, command_started, positive_seconds, read_json, write_json
from ..cliutils import main as cli_main
from .model import InvalidEvent, event_from_json
from .solve import first_come_first_served, schedule

__all__ = ["InputError", "add_arguments", "main", "run", "solver_budget"]

# Seconds kept back from the time limit for turning the schedule into JSON and writing it:
# a fixed part, and a part per request (measured: 90,000 requests take about 0.4 s).
OUTPUT_RESERVE = 0.05
OUTPUT_SECONDS_PER_REQUEST = 5e-6


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
    started = command_started() or time.perf_counter()
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
            time_limit=solver_budget(options.get("time_limit") or 10.0, started, event),
            seed=options.get("seed") or 0,
            method=options.get("method") or "auto",
        )
    data = result.to_json()
    write_json(data, options.get("output"), stdout=stdout, what="schedule")
    return data


def solver_budget(time_limit: float, started: float, event) -> float:
    """The seconds the solver may take so that the command ends within `time_limit` of
    `started` (a `time.perf_counter()` value): what is left, less the output's reserve.
    Never less than a twentieth of the limit, so that a start-up that ate the whole limit
    still gets a schedule (late, rather than none)."""
    spent = time.perf_counter() - started
    reserve = OUTPUT_RESERVE + OUTPUT_SECONDS_PER_REQUEST * len(event.requests)
    return max(time_limit - spent - reserve, time_limit / 20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.scheduling",
        description="Schedule the B2B meetings of an event: most weight, then fewest gaps.",
    )
    add_arguments(parser)
    return cli_main(parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
