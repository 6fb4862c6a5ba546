"""A compiled one-pass reader of numeric BACI CSV files, for the export-potential totals.

`export_potential` needs, per (year, market), four sums over every row of a trade file: all
imports, imports from the exporter, imports of the product, and imports of the product from
the exporter. General CSV readers (polars, pyarrow, DuckDB, pandas) spend most of their time
turning text into typed columns that are thrown away right after the sums; on 2 cores they all
need about 1.4 s for BACI's 11 million rows (365 MB). BACI's layout is fixed and plain — six
comma-separated fields, integer codes, decimal values, ``NA`` for unknown quantities — so this
module parses exactly that with a loop compiled by numba and adds each row straight into the
sums, splitting the file between threads at line boundaries (the compiled loop releases the
GIL). Nothing is materialised beyond a small array per thread.

It is an accelerator, never an authority: `totals` returns None for anything outside that
layout (another header, letter country codes, exponents, quotes, a code over 999, a year
outside 1900–2099, a value with more significant digits than a double holds exactly, numba
missing) and the caller reads the file with polars instead, which gives the error messages.
Values are parsed exactly as a correctly rounded reader does: an integer mantissa of at most
2^53 divided by a power of ten up to 10^22, both exact in binary, is one correctly rounded
IEEE division.
"""

from __future__ import annotations

import mmap
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

__all__ = ["FIRST_YEAR", "HEADERS", "SUMS", "totals"]

HEADERS = (b"t,i,j,k,v,q", b"t,i,j,k,v")
FIRST_YEAR, YEARS, CODES = 1900, 200, 1000
# The sums kept per (year, market); "rows" tells which (year, market) pairs occur at all.
SUMS = ("imports", "bilateral", "demand", "actual", "rows")

try:
    from numba import njit
except ImportError:  # the reader is an accelerator: without numba, polars reads every file
    njit = None

if njit is not None:

    @njit(nogil=True, cache=True, inline="always")
    def _integer(buf, pos, end):
        """A field of 1–9 digits ended by a comma: its value and the position after the
        comma, or -1 when the field is anything else."""
        value, begin = 0, pos
        while pos < end:
            digit = buf[pos] - 48
            if digit < 0 or digit > 9:
                break
            value = value * 10 + digit
            pos += 1
        if pos == begin or pos - begin > 9 or pos >= end or buf[pos] != 44:
            return -1, pos
        return value, pos + 1

    @njit(nogil=True, cache=True)
    def _sum_rows(buf, start, end, has_q, exporter, product, out, powers):
        """Add the rows of buf[start:end] (whole lines) into out, flat [year, market, SUMS].
        Returns -1 when every row was read, else the position of the first row it cannot.

        Written for speed: one pass, no allocation, each field parsed where it stands."""
        pos = start
        while pos < end:
            line = pos
            t, pos = _integer(buf, pos, end)
            if t < FIRST_YEAR or t >= FIRST_YEAR + YEARS:
                return line
            i, pos = _integer(buf, pos, end)
            if i < 0:
                return line
            j, pos = _integer(buf, pos, end)
            if j < 0 or j >= CODES:
                return line
            k, pos = _integer(buf, pos, end)
            if k < 0:
                return line
            # The value: NA or empty (unknown, adds nothing, as a null does), or
            # [-]digits[.digits] with at most 17 significant digits.
            value = 0.0
            if pos + 1 < end and buf[pos] == 78 and buf[pos + 1] == 65:  # NA
                pos += 2
            elif pos < end and buf[pos] != 44 and buf[pos] != 10 and buf[pos] != 13:
                negative = buf[pos] == 45
                if negative:
                    pos += 1
                # The digits are read in place rather than by a helper: that is 10% faster.
                mantissa, begin = 0, pos
                while pos < end:
                    c = buf[pos] - 48
                    if c > 9 or c < 0:
                        break
                    mantissa = mantissa * 10 + c
                    pos += 1
                digits = pos - begin
                decimals = 0
                if pos < end and buf[pos] == 46:
                    pos += 1
                    begin = pos
                    while pos < end:
                        c = buf[pos] - 48
                        if c > 9 or c < 0:
                            break
                        mantissa = mantissa * 10 + c
                        pos += 1
                    decimals = pos - begin
                    digits += decimals
                if digits == 0 or digits > 17 or mantissa > 2**53 or decimals > 22:
                    return line
                value = mantissa / powers[decimals]  # both exact: one correctly rounded division
                if negative:
                    value = -value
            if has_q:
                if pos >= end or buf[pos] != 44:
                    return line
                while pos < end and buf[pos] != 10:  # the quantity is not needed: skip it
                    if buf[pos] == 34:  # a quote: not plain BACI, a newline may be quoted
                        return line
                    pos += 1
            else:
                pos += pos < end and buf[pos] == 13
                if pos < end and buf[pos] != 10:
                    return line
            pos += 1
            cell = ((t - FIRST_YEAR) * CODES + j) * 5
            out[cell] += value
            out[cell + 4] += 1.0
            if i == exporter:
                out[cell + 1] += value
            if k == product:
                out[cell + 2] += value
                if i == exporter:
                    out[cell + 3] += value
        return -1


def totals(path, exporter: int, product: int, threads: int | None = None) -> np.ndarray | None:
    """The sums per (year − FIRST_YEAR, market code, SUMS) over a numeric BACI CSV file, or
    None when the file is not in that plain layout (read it with a general reader then)."""
    if njit is None or not isinstance(path, str | Path):
        return None
    if not all(isinstance(code, int) and 0 <= code < 2**31 for code in (exporter, product)):
        return None  # a code no row can have (or a letter code): polars says what is wrong
    path = Path(path)
    if path.suffix.lower() == ".parquet" or not path.is_file() or path.stat().st_size == 0:
        return None
    buf = _map(path)
    first_line = bytes(buf[: min(len(buf), 64)]).split(b"\n", 1)[0]
    header = first_line.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r").replace(b'"', b"")
    if header not in HEADERS:
        return None
    start = len(first_line) + 1
    # A thread per core, but not for a small file, where starting one costs more than it saves.
    threads = threads or min(os.cpu_count() or 1, 1 + len(buf) // (1 << 20))
    threads = max(1, min(threads, 16))
    bounds = _line_bounds(buf, start, threads)
    has_q, powers = header == HEADERS[0], 10.0 ** np.arange(23)
    parts = [np.zeros(YEARS * CODES * len(SUMS)) for _ in range(max(len(bounds) - 1, 1))]
    if len(bounds) < 2:  # a header and nothing else
        return parts[0].reshape(YEARS, CODES, len(SUMS))

    def run(n: int) -> int:
        return _sum_rows(buf, bounds[n], bounds[n + 1], has_q, exporter, product, parts[n], powers)

    with ThreadPoolExecutor(len(parts)) as pool:
        failures = list(pool.map(run, range(len(parts))))
    if any(failure >= 0 for failure in failures):
        return None
    return np.sum(parts, axis=0).reshape(YEARS, CODES, len(SUMS))


def _map(path: Path) -> np.ndarray:
    """The file's bytes, mapped read-only."""
    with path.open("rb") as file:
        if hasattr(mmap, "MAP_POPULATE"):
            # Populating the map up front reads the file (from the page cache, usually) in one
            # go instead of taking a page fault per 4 KiB inside the compiled loop.
            flags = mmap.MAP_SHARED | mmap.MAP_POPULATE
            mapped = mmap.mmap(file.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
        else:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(mapped, np.uint8)


def _line_bounds(buf, start: int, parts: int) -> list[int]:
    """Split buf[start:] into `parts` runs of whole lines (fewer for a small file)."""
    size = len(buf)
    bounds = [min(start, size)]
    for n in range(1, parts):
        cut = max(start + (size - start) * n // parts, bounds[-1])
        newline = _find_newline(buf, cut)
        if newline < 0:
            break
        bounds.append(max(newline + 1, bounds[-1]))
    bounds.append(size)
    return sorted(set(bounds))


def _find_newline(buf, position: int, window: int = 1 << 16) -> int:
    """The position of the first newline at or after `position`, or -1."""
    while position < len(buf):
        hits = np.flatnonzero(buf[position : position + window] == 10)
        if len(hits):
            return position + int(hits[0])
        position += window
    return -1
