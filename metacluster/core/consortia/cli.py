"""The `form-consortia` command:
`python -m metacluster.core.consortia INPUT.json --output OUTPUT.json [--time-limit S]`.

Reads needs and companies as JSON (a file, or - for standard input), writes proposals as
JSON. Malformed input exits with status 2 and one line on standard error saying what is wrong.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from .model import InvalidInput, instance_from_json
from .solve import METHODS, form_consortia

__all__ = ["InputError", "add_arguments", "main", "run"]


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


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
        type=_positive,
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


class InputError(Exception):
    """The input file cannot be read or is not valid."""


def run(options: dict, stdout=None) -> dict:
    """Form consortia for the input named by parsed `options` and write the result as JSON.

    Raises `InputError` with a one-line message when the input is unreadable or invalid."""
    name = options["input"]
    try:
        if name == "-":
            data = json.load(sys.stdin)
        else:
            with open(name, encoding="utf-8") as f:
                data = json.load(f)
        instance = instance_from_json(data)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read input: {error}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"cannot read input: not valid JSON: {error}") from None
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
    text = json.dumps(data, indent=1, ensure_ascii=False)
    if options.get("output"):
        try:
            with open(options["output"], "w", encoding="utf-8") as f:
                f.write(text + "\n")
        except OSError as error:
            raise InputError(f"cannot write output: {error}") from None
    else:
        (stdout or sys.stdout).write(text + "\n")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.consortia",
        description="Propose consortia of companies that together cover each need: most "
        "needs covered, then quality; with alternatives, reasons and a bound.",
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
