"""Sector codes as prefix features, so that overlap is one sparse product.

A NACE Rev. 2 code stands for itself and every coarser level above it: "62.01" for "62.01",
"62.0" and "62". A CPV code ("72212000-4": the check digit and trailing zeros carry no
meaning) for its significant digits from the division down: "72", "722", "7221", "72212".
The share of an opportunity's features that a company has is its sector overlap: the same
class is 1, a sibling class in the same group 2/3, the same division only 1/3.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["common_level", "sector_features"]

_CPV = re.compile(r"^(\d{8})(-\d)?$")
_NACE = re.compile(r"^(\d{2})(\.(\d{1,2}))?$")


@lru_cache(maxsize=100_000)
def _features(code: str) -> tuple[str, ...]:
    return tuple(_compute(code))


def sector_features(code: str) -> list[str]:
    """The prefix features of one NACE or CPV code (unknown shapes stand for themselves)."""
    return list(_features(code))


def _compute(code: str) -> list[str]:
    """The prefix features of one NACE or CPV code (unknown shapes stand for themselves)."""
    code = code.strip().upper()
    cpv = _CPV.match(code)
    if cpv:
        digits = cpv.group(1).rstrip("0")
        digits = digits if len(digits) >= 2 else cpv.group(1)[:2]
        return [f"cpv:{digits[:n]}" for n in range(2, len(digits) + 1)]
    nace = _NACE.match(code)
    if nace:
        division, rest = nace.group(1), nace.group(3) or ""
        return [f"nace:{division}"] + [
            f"nace:{division}.{rest[:n]}" for n in range(1, len(rest) + 1)
        ]
    return [f"code:{code}"]


def common_level(opportunity_code: str, company_codes) -> str | None:
    """The most specific feature an opportunity's code shares with any of a company's codes,
    as people write it ("62.01", "62.0", "62", "CPV 722"); None if none."""
    wanted = _features(opportunity_code)
    have = {f for code in company_codes for f in _features(code)}
    shared = [f for f in wanted if f in have]
    if not shared:
        return None
    kind, value = shared[-1].split(":", 1)
    return f"CPV {value}" if kind == "cpv" else value
