"""What the core command-line entries share: JSON in, JSON out, one-line errors.

Every core CLI reads its input from a file or standard input (`-`), writes its result to a file
or standard output, and reports unusable input as one line on standard error with exit status 2,
so that scripts can tell bad input (2) from a crash (1)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable

from .errors import CoreError, InputError

__all__ = ["CoreError", "InputError", "fail", "main", "positive_seconds", "read_json", "write_json"]


def read_json(name: str, *, what: str = "input"):
    """The JSON document in file `name` (`-` for standard input)."""
    try:
        if name == "-":
            return json.load(sys.stdin)
        with open(name, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {what}: {error}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"cannot read {what}: not valid JSON: {error}") from None


def write_json(data, output: str | None, *, stdout=None, what: str = "output") -> None:
    """Write `data` as indented UTF-8 JSON to the file `output`, or to `stdout` when none."""
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if not output:
        (stdout or sys.stdout).write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as error:
        raise InputError(f"cannot write {what}: {error}") from None


def positive_seconds(text: str) -> float:
    """An argparse type for a time limit: a finite number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def main(parser: argparse.ArgumentParser, run: Callable[[dict], object], argv=None) -> int:
    """Parse `argv`, call `run` with the options as a dict; a `CoreError` (bad input, most
    often) becomes one line on standard error and exit status 2."""
    options = vars(parser.parse_args(argv))
    try:
        run(options)
    except CoreError as error:
        return fail(error)
    return 0


def fail(error: CoreError) -> int:
    """Report `error` as one line on standard error; the exit status for it, 2."""
    message = " ".join(str(error).split()) or type(error).__name__
    print(f"error: {message}", file=sys.stderr)
    return 2
