"""Likely duplicates among company records: the same register code or VAT number first, then
similar names in the same town.

Names are compared twice: whole (normalised, rapidfuzz token_sort_ratio ≥ 92) and by their
distinctive words only, leaving out words that many names share ("consulting", "software",
"nordic"), which must be at least 90 similar. Without the second test "Kira Consulting" and
"Kiraka Consulting" look alike because "consulting" outweighs what tells them apart.

Fuzzy matching compares only records that share a blocking key (country, town and the first
or last three letters of the distinctive words), so its cost grows with the size of the
blocks, not with the square of the register.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .names import fold, name_key

# A pair scoring at least this (rapidfuzz token_sort_ratio of the normalised names, 0-100)
# is a likely duplicate. 92 keeps a one-letter typo in a ten-letter name and rejects
# "Nordic Data" / "Nordic Metal".
DEFAULT_THRESHOLD = 92.0
DISTINCTIVE_THRESHOLD = 90.0
# A word in at least this share of the names (and at least GENERIC_MIN of them) is generic.
GENERIC_SHARE = 0.001
GENERIC_MIN = 50
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
    key: str = ""  # the normalised name, when already known (Company.name_key)


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


def _distinctive(keys: dict[int, str]) -> dict[int, str]:
    """Each name key without the words that many names share (the whole key if nothing is
    left)."""
    counts = Counter(word for key in keys.values() for word in set(key.split()))
    limit = max(GENERIC_MIN, len(keys) * GENERIC_SHARE)
    generic = {word for word, count in counts.items() if count >= limit}
    result = {}
    for pk, key in keys.items():
        kept = [word for word in key.split() if word not in generic]
        result[pk] = " ".join(kept) if kept else key
    return result


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
    from rapidfuzz import fuzz, process  # imported here: only imports need it, not the pages

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

    keys = {record.id: record.key or name_key(record.name) for record in records}
    distinctive = _distinctive(keys)
    blocks: dict[tuple, list[Record]] = defaultdict(list)
    for record in records:
        for block in _blocking_keys(record, distinctive[record.id]):
            blocks[block].append(record)
    for members in blocks.values():
        if len(members) < 2 or all(member.registry_code for member in members):
            continue
        members = sorted(members, key=lambda r: distinctive[r.id])[:MAX_BLOCK]
        choices = [keys[r.id] for r in members]
        # Two records with register codes of one country are two companies: only pairs
        # with at least one code-less record are compared (in C, a row at a time).
        for i, first in enumerate(members):
            if first.registry_code:
                continue
            hits = process.extract(
                keys[first.id], choices, scorer=fuzz.token_sort_ratio,
                score_cutoff=threshold, limit=None,
            )  # fmt: skip
            for _key, score, j in hits:
                second = members[j]
                if j == i or (min(first.id, second.id), max(first.id, second.id)) in found:
                    continue
                own = fuzz.token_sort_ratio(distinctive[first.id], distinctive[second.id])
                if own >= DISTINCTIVE_THRESHOLD:
                    add(Match(first.id, second.id, "name_town", round(score, 1)))
    order = {"registry_code": 0, "vat_number": 1, "name_town": 2}
    return sorted(found.values(), key=lambda m: (order[m.reason], -m.score, m.pair))


def precision_recall(found: Iterable[tuple[int, int]], truth: Iterable[tuple[int, int]]):
    """Precision and recall of found pairs against the true pairs (each as (low id, high id))."""
    found, truth = set(found), set(truth)
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall
