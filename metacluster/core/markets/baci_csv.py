"""A compiled one-pass reader of numeric BACI CSV files, for the export-potential totals.

`export_potential` needs, per (year, market), four sums over every row of a trade file: all
imports, imports from the exporter, imports of the product, and imports of the product from
the exporter. General CSV readers (polars, pyarrow, DuckDB, pandas) spend most of their time
turning text into typed columns that are thrown away right after the sums; on 2 cores they all
need about 1–1.5 s for BACI's 11 million rows (365 MB). BACI's layout is fixed and plain — six
comma-separated fields, integer codes, decimal values, ``NA`` for unknown quantities — so this
module parses exactly that with a loop compiled by numba and adds each row straight into the
sums, splitting the file between threads at line boundaries (the compiled loop releases the
GIL). Nothing is materialised beyond a small array per thread.

Most rows are read eight bytes at a time (SWAR: "SIMD within a register"): one unaligned
64-bit load per field, bit arithmetic to find where its digits end, and three multiplications
to turn up to eight digits into an integer (the technique of Lemire, "Faster parsing of
integers", and simdjson). It replaces a branch per byte, mispredicted at every field's end,
and halves the time per row. A row it cannot take that way (a value of eight or more integer
digits, a minus sign, the end of the file) is read byte by byte.

It is an accelerator, never an authority: `totals` returns None for anything outside the
layout (another header, letter country codes, exponents, quotes, padding, a market code over
999, a year outside 1900–2099, a value with more significant digits than a double holds
exactly, numba missing) and the caller reads the file with polars instead, which words the
errors. Values are parsed exactly as a correctly rounded reader does: an integer mantissa of at
most 2^53 divided by a power of ten up to 10^22, both exact in binary, is one correctly
rounded IEEE division.
"""

from __future__ import annotations

import mmap
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

__all__ = ["FIRST_YEAR", "HEADERS", "SUMS", "totals"]

HEADERS = (b"t,i,j,k,v,q", b"t,i,j,k,v")
FIRST_YEAR, YEARS, CODES = 1900, 200, 1000
# The sums kept per (year, market); "rows" tells which (year, market) pairs occur at all.
SUMS = ("imports", "bilateral", "demand", "actual", "rows")
# A row read eight bytes at a time may look this far ahead; closer to the end of the buffer,
# rows are read byte by byte (no BACI row is half as long).
LOOKAHEAD = 128

try:
    from llvmlite import ir
    from numba import njit, types
    from numba.extending import intrinsic
except ImportError:  # the reader is an accelerator: without numba, polars reads every file
    njit = None

if njit is not None:
    U64 = np.uint64
    HIGH_NIBBLES, ZEROS, SIXES = (
        U64(0xF0F0F0F0F0F0F0F0),
        U64(0x3030303030303030),
        U64(0x0606060606060606),
    )
    LOW_NIBBLES, LOW_BYTES, LOW_PAIRS = (
        U64(0x0F0F0F0F0F0F0F0F),
        U64(0x00FF00FF00FF00FF),
        U64(0x0000FFFF0000FFFF),
    )
    ONES, HIGH_BITS = U64(0x0101010101010101), U64(0x8080808080808080)
    NEWLINES, QUOTES = U64(0x0A0A0A0A0A0A0A0A), U64(0x2222222222222222)
    POWERS_OF_TEN = np.array([10**n for n in range(9)], dtype=np.int64)  # to shift digits
    # Every power of ten a double holds exactly: the divisors of the exact parse.
    EXACT_POWERS = 10.0 ** np.arange(23)

    @intrinsic
    def _load_word(typingctx, buf, pos):
        """The eight bytes at buf[pos:] as a little-endian integer (one unaligned load)."""

        def codegen(context, builder, signature, args):
            array = context.make_array(signature.args[0])(context, builder, args[0])
            pointer = builder.gep(array.data, [args[1]])
            return builder.load(builder.bitcast(pointer, ir.IntType(64).as_pointer()), align=1)

        return types.uint64(buf, pos), codegen

    @intrinsic
    def _trailing_zeros(typingctx, word):
        """The number of zero bits below the lowest set bit; 64 for 0."""

        def codegen(context, builder, signature, args):
            return builder.cttz(args[0], ir.Constant(ir.IntType(1), 0))

        return types.int64(types.uint64), codegen

    @njit(inline="always")
    def _leading_digits(word):
        """How many of the word's first bytes are digits (0–8). A byte is a digit when both it
        and it plus 6 have the high nibble 3; a carry out of a non-digit byte only disturbs
        the bytes after it."""
        off = ((word & HIGH_NIBBLES) ^ ZEROS) | (((word + SIXES) & HIGH_NIBBLES) ^ ZEROS)
        return _trailing_zeros(off) >> 3

    @njit(inline="always")
    def _digits_value(word, n):
        """The integer the word's first n (1–8) digit bytes spell: shifted so that they are the
        last of eight digits (the rest reads as leading zeros), then combined pairwise."""
        x = word << U64(64 - 8 * n)
        x = ((x & LOW_NIBBLES) * U64(2561)) >> U64(8)  # 10 * even digit + odd digit
        x = ((x & LOW_BYTES) * U64(6553601)) >> U64(16)  # 100 * pair + next pair
        x = ((x & LOW_PAIRS) * U64(42949672960001)) >> U64(32)
        return np.int64(x)

    @njit(inline="always")
    def _first_byte(word, pattern):
        """The index of the first byte of the word equal to the pattern's bytes, 8 if none."""
        x = word ^ pattern
        return _trailing_zeros((x - ONES) & ~x & HIGH_BITS) >> 3

    @njit(inline="always")
    def _field_by_word(buf, pos):
        """A code of 1–7 digits and its comma: (value, position after the comma), value -1
        for anything else."""
        word = _load_word(buf, pos)
        n = _leading_digits(word)
        if n == 0 or n == 8 or buf[pos + n] != 44:
            return -1, pos
        return _digits_value(word, n), pos + n + 1

    @njit(inline="always")
    def _row_by_word(buf, pos, has_q):
        """One row read a word per field: (ok, t, i, j, k, value, position of the next row).
        Needs LOOKAHEAD bytes after pos. Not ok for a row that has to be read byte by byte."""
        t, pos = _field_by_word(buf, pos)
        i, pos = _field_by_word(buf, pos)
        j, pos = _field_by_word(buf, pos)
        k, pos = _field_by_word(buf, pos)
        if t < 0 or i < 0 or j < 0 or k < 0:
            return False, 0, 0, 0, 0, 0.0, pos
        value = 0.0
        if buf[pos] == 78 and buf[pos + 1] == 65:  # NA: unknown, adds nothing
            pos += 2
        elif buf[pos] != 44 and buf[pos] != 10 and buf[pos] != 13:  # empty: the same
            word = _load_word(buf, pos)
            n = _leading_digits(word)
            if n == 0 or n == 8:
                return False, 0, 0, 0, 0, 0.0, pos
            mantissa, pos, decimals = _digits_value(word, n), pos + n, 0
            if buf[pos] == 46:
                word = _load_word(buf, pos + 1)
                decimals = _leading_digits(word)
                if decimals == 8:
                    return False, 0, 0, 0, 0, 0.0, pos
                if decimals:
                    mantissa = mantissa * POWERS_OF_TEN[decimals] + _digits_value(word, decimals)
                pos += 1 + decimals
            value = mantissa / EXACT_POWERS[decimals]  # exact over exact: correctly rounded
        if not has_q:
            pos += buf[pos] == 13
            return buf[pos] == 10, t, i, j, k, value, pos + 1
        if buf[pos] != 44:
            return False, 0, 0, 0, 0, 0.0, pos
        pos += 1
        for _ in range(4):  # the quantity is not needed: find the newline after it
            word = _load_word(buf, pos)
            newline = _first_byte(word, NEWLINES)
            if _first_byte(word, QUOTES) < newline:  # a quote: not plain BACI
                return False, 0, 0, 0, 0, 0.0, pos
            if newline < 8:
                return True, t, i, j, k, value, pos + newline + 1
            pos += 8
        return False, 0, 0, 0, 0, 0.0, pos

    @njit(inline="always")
    def _field_by_byte(buf, pos, end):
        """A code of 1–9 digits and its comma, read byte by byte."""
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

    @njit
    def _row_by_byte(buf, pos, end, has_q):
        """One row read byte by byte, for any row of the layout: as `_row_by_word`."""
        t, pos = _field_by_byte(buf, pos, end)
        i, pos = _field_by_byte(buf, pos, end) if t >= 0 else (-1, pos)
        j, pos = _field_by_byte(buf, pos, end) if i >= 0 else (-1, pos)
        k, pos = _field_by_byte(buf, pos, end) if j >= 0 else (-1, pos)
        if k < 0:
            return False, 0, 0, 0, 0, 0.0, pos
        value = 0.0
        if pos + 1 < end and buf[pos] == 78 and buf[pos + 1] == 65:  # NA
            pos += 2
        elif pos < end and buf[pos] != 44 and buf[pos] != 10 and buf[pos] != 13:
            negative = buf[pos] == 45
            pos += negative
            mantissa, digits, decimals, point = 0, 0, 0, False
            while pos < end:
                c = buf[pos]
                if 48 <= c <= 57:
                    mantissa = mantissa * 10 + (c - 48)
                    digits += 1
                    decimals += point
                elif c == 46 and not point:
                    point = True
                else:
                    break
                pos += 1
            if digits == 0 or digits > 17 or mantissa > 2**53 or decimals > 22:
                return False, 0, 0, 0, 0, 0.0, pos
            value = mantissa / EXACT_POWERS[decimals]  # both exact: correctly rounded
            if negative:
                value = -value
        if has_q:
            if pos >= end or buf[pos] != 44:
                return False, 0, 0, 0, 0, 0.0, pos
            while pos < end and buf[pos] != 10:  # skip the quantity
                if buf[pos] == 34:  # a quote: not plain BACI, a newline may be quoted
                    return False, 0, 0, 0, 0, 0.0, pos
                pos += 1
        else:
            pos += pos < end and buf[pos] == 13
            if pos < end and buf[pos] != 10:
                return False, 0, 0, 0, 0, 0.0, pos
        return True, t, i, j, k, value, pos + 1

    # Compiled when the module is imported (from numba's cache after the first time, which
    # takes a few seconds), like any library's start-up, rather than in the first call.
    _BYTES, _FLOATS, _INT = (
        types.Array(types.uint8, 1, "C", readonly=True),
        types.float64[::1],
        types.int64,
    )
    _SIGNATURE = _INT(_BYTES, _INT, _INT, types.boolean, _INT, _INT, _FLOATS, types.boolean)

    @njit(_SIGNATURE, nogil=True, cache=True)
    def _sum_rows(buf, start, end, has_q, exporter, product, out, by_word):
        """Add the rows of buf[start:end] (whole lines) into out, flat [year, market, SUMS].
        Returns -1 when every row was read, else the position of the first row it cannot."""
        pos, size = start, len(buf)
        while pos < end:
            ok = False
            if by_word and pos + LOOKAHEAD <= size:
                ok, t, i, j, k, value, after = _row_by_word(buf, pos, has_q)
            if not ok:
                ok, t, i, j, k, value, after = _row_by_byte(buf, pos, end, has_q)
            if not ok or t < FIRST_YEAR or t >= FIRST_YEAR + YEARS or j >= CODES:
                return pos
            pos = after
            cell = ((t - FIRST_YEAR) * CODES + j) * len(SUMS)
            out[cell] += value
            out[cell + 4] += 1.0
            if i == exporter:
                out[cell + 1] += value
            if k == product:
                out[cell + 2] += value
                if i == exporter:
                    out[cell + 3] += value
        return -1


def totals(
    path, exporter: int, product: int, threads: int | None = None, by_word: bool = True
) -> np.ndarray | None:
    """The sums per (year − FIRST_YEAR, market code, SUMS) over a numeric BACI CSV file, or
    None when the file is not in that plain layout (read it with a general reader then).
    by_word=False reads every row byte by byte (the tests check both ways agree)."""
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
    has_q = header == HEADERS[0]
    by_word = by_word and sys.byteorder == "little"  # the word arithmetic assumes it
    parts = [np.zeros(YEARS * CODES * len(SUMS)) for _ in range(max(len(bounds) - 1, 1))]
    if len(bounds) < 2:  # a header and nothing else
        return parts[0].reshape(YEARS, CODES, len(SUMS))

    def run(n: int) -> int:
        return _sum_rows(buf, bounds[n], bounds[n + 1], has_q, exporter, product, parts[n], by_word)

    with ThreadPoolExecutor(len(parts)) as pool:
        failures = list(pool.map(run, range(len(parts))))
    if any(failure >= 0 for failure in failures):
        return None
    return np.sum(parts, axis=0).reshape(YEARS, CODES, len(SUMS))


def _map(path: Path) -> np.ndarray:
    """The file's bytes, mapped read-only (the threads fault its pages in as they read)."""
    with path.open("rb") as file:
        return np.frombuffer(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ), np.uint8)


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
