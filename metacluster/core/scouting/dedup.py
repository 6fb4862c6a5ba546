"""Likely duplicates among company records: the same register code or VAT number first, then
similar names in the same town.

Fuzzy matching compares only records that share a blocking key (country, town and the first
or last three letters of the normalised name), so its cost grows with the size of the blocks,
not with the square of the register: a million records take seconds, not days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from .names import fold, name_key

# A pair scoring at least this (rapidfuzz token_sort_ratio of the normalised names, 0-100)
# is a likely duplicate. 92 keeps a one-letter typo in a ten-letter name and rejects
# "Nordic Data" / "Nordic Metal".
DEFAULT_THRESHOLD = 92.0
# Blocks larger than this (e.g. "ab" in Stockholm) are compared only within their first
# MAX_BLOCK records sorted by name key, which keeps the cost bounded on degenerate data.
MAX_BLOCK = 400


@dataclass(frozen=True)
class Record:
    id: int
    country: str
    name: str
    town: str = ""
    registry_code: str = ""
    vat_number: str = ""


@dataclass(frozen=True)
class Match:
    """Two records that are probably the same company, and why."""

    first: int
    second: int
    reason: str  # "registry_code", "vat_number" or "name_town"
    score: float  # 100 for an exact code, the name similarity otherwise

    @property
    def pair(self) -> tuple[int, int]:
        return (min(self.first, self.second), max(self.first, self.second))


def _blocking_keys(record: Record, key: str) -> list[tuple]:
    if len(key) < 3:
        return [(record.country, fold(record.town), key)]
    compact = key.replace(" ", "")
    return [
        (record.country, fold(record.town), "^" + compact[:3]),
        (record.country, fold(record.town), compact[-3:] + "$"),
    ]


def find_duplicates(
    records: Iterable[Record], *, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """Every likely duplicate pair, each once, strongest reason first (registry code, VAT
    number, then name and town). Records with different register codes in the same country
    are never matched by name: a register does not issue two codes to one company."""
    records = list(records)
    found: dict[tuple[int, int], Match] = {}

    def add(match: Match) -> None:
        if match.first != match.second and match.pair not in found:
            found[match.pair] = match

    for reason, attribute in (("registry_code", "registry_code"), ("vat_number", "vat_number")):
        seen: dict[tuple[str, str], int] = {}
        for record in records:
            value = getattr(record, attribute)
            if not value:
                continue
            key = (record.country, value)
            if key in seen:
                add(Match(seen[key], record.id, reason, 100.0))
            else:
                seen[key] = record.id

    keys = {record.id: name_key(record.name) for record in records}
    blocks: dict[tuple, list[Record]] = defaultdict(list)
    for record in records:
        for block in _blocking_keys(record, keys[record.id]):
            blocks[block].append(record)
    for members in blocks.values():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda r: keys[r.id])[:MAX_BLOCK]
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pair = (min(first.id, second.id), max(first.id, second.id))
                if pair in found or _distinct_codes(first, second):
                    continue
                score = fuzz.token_sort_ratio(keys[first.id], keys[second.id])
                if score >= threshold:
                    add(Match(first.id, second.id, "name_town", round(score, 1)))
    order = {"registry_code": 0, "vat_number": 1, "name_town": 2}
    return sorted(found.values(), key=lambda m: (order[m.reason], -m.score, m.pair))


def _distinct_codes(first: Record, second: Record) -> bool:
    return bool(
        first.registry_code
        and second.registry_code
        and first.country == second.country
        and first.registry_code != second.registry_code
    )


def precision_recall(found: Iterable[tuple[int, int]], truth: Iterable[tuple[int, int]]):
    """Precision and recall of found pairs against the true pairs (each as (low id, high id))."""
    found, truth = set(found), set(truth)
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall
