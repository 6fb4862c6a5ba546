"""NACE Rev. 2 activity codes: the official list and the national five-digit extensions
(Estonian EMTAK, Swedish SNI 2007, Finnish TOL 2008 and Latvian/Lithuanian codes start with
the four NACE digits)."""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "nace_rev2.csv"


@cache
def _sections() -> dict[str, str]:
    with DATA.open(newline="") as file:
        return {row["code"]: row["section"] for row in csv.DictReader(file)}


def nace_codes() -> frozenset[str]:
    """Every NACE Rev. 2 section letter, division, group and class ("J", "62", "62.0",
    "62.01")."""
    return frozenset(_sections())


def section_of(code: str) -> str:
    return _sections().get(code, "")


def divisions_of(section: str) -> list[str]:
    """The divisions of a section, in order ("B" → ["05", "06", "07", "08", "09"]).

    >>> divisions_of("B")
    ['05', '06', '07', '08', '09']
    """
    return sorted(c for c, s in _sections().items() if s == section and len(c) == 2 and c.isdigit())


def parse_nace(value: str) -> tuple[list[str], list[str]]:
    """Split a cell into NACE codes; return (codes, unknown entries).

    Accepts "62.01", "6201", "62010" (a national five-digit code: the NACE class is its first
    four digits), "62.010", lists separated by commas, semicolons or spaces, and section
    letters. Codes are returned in NACE notation without duplicates."""
    codes, unknown = _parse_nace((value or "").strip())
    return list(codes), list(unknown)


@lru_cache(maxsize=4096)  # a register repeats a few hundred activity codes a million times
def _parse_nace(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes, unknown = [], []
    for raw in re.split(r"[,;|\s]+", value):
        if not raw:
            continue
        code = canonical(raw)
        if code is None or code not in _sections():
            unknown.append(raw)
        elif code not in codes:
            codes.append(code)
    return tuple(codes), tuple(unknown)


def canonical(raw: str) -> str | None:
    """A code written as registers write it ("6201", "62010", "62.010", "j") in NACE notation
    ("62.01", "J"), whether or not the code exists; None when it is not shaped like one."""
    raw = raw.strip().upper()
    if re.fullmatch(r"[A-U]", raw):
        return raw
    digits = raw.replace(".", "")
    if not digits.isdigit() or not 2 <= len(digits) <= 5:
        return None
    if len(digits) == 2:
        return digits
    if len(digits) == 3:
        return f"{digits[:2]}.{digits[2]}"
    return f"{digits[:2]}.{digits[2:4]}"


def matches(code: str, prefixes) -> bool:
    """Whether `code` is one of `prefixes` or lies under one ("62.01" under "62", "62.0" and
    the section "J")."""
    return any(
        code.startswith(prefix) if len(prefix) > 1 else section_of(code) == prefix
        for prefix in prefixes
    )
