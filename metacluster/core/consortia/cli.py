"""The `form-consortia` command:
`python -m metacluster.core.consortia INPUT.json --output OUTPUT.json [--time-limit S]`.

Reads needs and companies as JSON (a file, or - for standard input), writes proposals as
JSON. Malformed input exits with status 2 and one line on standard error saying what is wrong.
"""

from __future__ import annotations

import argparse
import sys

from ..cliutils import InputError, positive_seconds, read_json, write_json
from ..cliutils import main as cli_main
from .model import InvalidInput, instance_from_json
from .solve import METHODS, form_consortia

__all__ = ["InputError", "add_arguments", "main", "run"]


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, not {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options, shared with the `metacluster form-consortia` command."""
    parser.add_argument("input", help="needs and companies as JSON, or - for standard input")
    parser.add_argument("--output", help="write the proposals here instead of standard output")
    parser.add_argument(
        "--time-limit",
        type=positive_seconds,
        default=10.0,
        metavar="SECONDS",
        help="return the best answer found by then (default 10)",
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="auto (default): greedy, then CP-SAT; greedy: the greedy cover alone",
    )
    parser.add_argument(
        "--max-similarity",
        type=_share,
        default=0.5,
        metavar="J",
        help="alternatives of one need share at most this Jaccard index (default 0.5)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def run(options: dict, stdout=None) -> dict:
    """Form consortia for the input named by parsed `options` and write the result as JSON.

    Raises `InputError` with a one-line message when the input is unreadable or invalid."""
    data = read_json(options["input"])
    try:
        instance = instance_from_json(data)
    except InvalidInput as error:
        raise InputError(f"invalid input: {error}") from None
    result = form_consortia(
        instance,
        time_limit=options.get("time_limit") or 10.0,
        method=options.get("method") or "auto",
        max_similarity=options.get("max_similarity", 0.5),
        seed=options.get("seed") or 0,
    )
    data = result.to_json()
    write_json(data, options.get("output"), stdout=stdout)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.consortia",
        description="Propose consortia of companies that together cover each need: most "
        "needs covered, then quality; with alternatives, reasons and a bound.",
    )
    add_arguments(parser)
    return cli_main(parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
