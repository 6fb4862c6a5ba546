"""What the core command-line entries share: JSON in, JSON out, one-line errors.

Every core CLI reads its input from a file or standard input (`-`), writes its result to a file
or standard output, and reports unusable input as one line on standard error with exit status 2,
so that scripts can tell bad input (2) from a crash (1)."""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager

from .errors import CoreError, InputError

__all__ = [
    "CoreError",
    "InputError",
    "command",
    "command_started",
    "fail",
    "main",
    "positive_seconds",
    "process_started",
    "read_json",
    "skip_final_collection",
    "write_json",
]

# When the running command started, as a time.perf_counter() value; None outside a command.
_started: float | None = None


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
    often) becomes one line on standard error and exit status 2. Run from the shell
    (`argv` None), the command's clock starts when the process did."""
    with command(from_process_start=argv is None):
        options = vars(parser.parse_args(argv))
        try:
            run(options)
        except CoreError as error:
            return fail(error)
    if argv is None:
        skip_final_collection()
    return 0


def process_started() -> float:
    """When this process started, as a `time.perf_counter()` value: read from /proc on
    Linux (so the interpreter's own start-up and every import count), else when this module
    was imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            # the command name (field 2) may hold spaces; fields after it are plain
            fields = f.read().rpartition(")")[2].split()
        ticks = int(fields[19])  # field 22, starttime, in clock ticks since boot
        elapsed = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED
    if not 0 <= elapsed < 24 * 3600:
        return _IMPORTED
    return time.perf_counter() - elapsed


_IMPORTED = time.perf_counter()


@contextmanager
def command(*, from_process_start: bool):
    """Mark the start of a command for `command_started`: now, or when the process started
    (for a command run from the shell, whose time limit covers start-up)."""
    global _started
    outer = _started
    _started = process_started() if from_process_start else time.perf_counter()
    try:
        yield
    finally:
        _started = outer


def skip_final_collection() -> None:
    """Call when the process ends next, its output written: its last garbage collection,
    over every object of Django, SciPy and OR-Tools, would take a quarter of a second to a
    whole second; the objects alive now are left to the exit instead (files are closed and
    standard streams flushed as usual)."""
    gc.freeze()


def command_started() -> float | None:
    """When the running command started (a `time.perf_counter()` value), None outside one.
    A command's time limit counts from here: start-up, reading and writing included."""
    return _started


def fail(error: CoreError) -> int:
    """Report `error` as one line on standard error; the exit status for it, 2."""
    message = " ".join(str(error).split()) or type(error).__name__
    print(f"error: {message}", file=sys.stderr)
    return 2
