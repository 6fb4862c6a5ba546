"""Scores, stage, gaps and recommended service kinds of one assessment.

Formulas (every figure below is on the 0–100 scale):

- Each item *i* is answered on the 0–5 scale, or not (missing: not yet answered, or "don't
  know"). Its **effective weight** is ``e_i = W_d · w_i / Σ_{j∈d} w_j``: the weight ``W_d`` of
  its dimension split over the dimension's items by item weight ``w_i``.
- The **score** of any set of items (a dimension, an axis, the whole instrument) is the
  weighted mean of the answered ones, scaled to 100::

      S = 100 · Σ_{answered} e_i · a_i / (5 · Σ_{answered} e_i)

  Missing answers are left out of both sums, so they neither count as 0 nor as average: the
  score says how ready the company is on what it answered. A set with no answer has no score
  (None), never 0. The overall score equals the mean of dimension scores weighted by
  ``W_d · c_d``: a dimension with half its items unanswered counts half.
- The **completeness** of a set is ``c = Σ_{answered} e_i / Σ_{all} e_i``: how much of the
  set's weight the score rests on. Below the instrument's ``min_completeness`` the result is
  not reliable, and no stage is given.
- The **stage** is the last stage whose minimum the overall score reaches (Cavusgil's
  domestic → pre-export → experimental → active → committed, thresholds in the instrument).
- The **gap** of an answered item is ``e_i · (5 − a_i)``: the score points the whole
  assessment would gain if the item were answered 5, times 5/100 · Σ e. The three largest
  are the biggest gaps.
- **Recommendations**: every item answered at or below ``low_answer`` asks for its service
  kind; a kind's priority is the sum of the gaps of the items that ask for it.
- **Percentile** among peers: the mid-rank ``100 · (below + equal / 2) / n``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from .model import ANSWER_VALUES, AXES, Instrument, Item

__all__ = [
    "DimensionScore",
    "Gap",
    "InvalidAnswers",
    "Recommendation",
    "Result",
    "change",
    "clean_answers",
    "percentile_rank",
    "percentile_ranks",
    "score",
    "stage_for",
]


class InvalidAnswers(InputError):
    """Some answers are not valid; `errors` maps each item id to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{item}: {message}" for item, message in errors.items()))


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    score: float | None
    completeness: float
    answered: int
    items: int


@dataclass(frozen=True)
class Gap:
    item: str
    answer: int
    gap: float


@dataclass(frozen=True)
class Recommendation:
    service: str
    priority: float
    items: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    version: str
    overall: float | None
    completeness: float
    reliable: bool
    stage: str | None
    dimensions: dict[str, DimensionScore]
    axes: dict[str, float | None]
    gaps: list[Gap] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def r(value):
            return None if value is None else round(value, 1)

        return {
            "version": self.version,
            "overall": r(self.overall),
            "completeness": round(self.completeness, 3),
            "reliable": self.reliable,
            "stage": self.stage,
            "dimensions": {
                key: {
                    "score": r(d.score),
                    "completeness": round(d.completeness, 3),
                    "answered": d.answered,
                    "items": d.items,
                }
                for key, d in self.dimensions.items()
            },
            "axes": {key: r(value) for key, value in self.axes.items()},
            "gaps": [
                {"item": g.item, "answer": g.answer, "gap": round(g.gap, 4)} for g in self.gaps
            ],
            "recommendations": [
                {
                    "service": rec.service,
                    "priority": round(rec.priority, 4),
                    "items": list(rec.items),
                }
                for rec in self.recommendations
            ],
        }


def clean_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, int | None]:
    """The answers as {item id: 0–5 or None}, with every item of the instrument present.

    None (or an absent item) is a missing answer. Raises `InvalidAnswers` for an unknown item
    or a value that is not a whole number from 0 to 5; booleans are refused, as is 2.5."""
    if not isinstance(answers, Mapping):
        raise InvalidAnswers({"answers": "must be an object of item id to answer"})
    known = instrument.order
    errors = {}
    for key, value in answers.items():
        if key not in known:
            errors[str(key)] = f"not an item of instrument {instrument.version}"
        elif value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value not in ANSWER_VALUES
        ):
            errors[key] = "the answer must be a whole number from 0 to 5, or null"
    if errors:
        raise InvalidAnswers(errors)
    return {item.id: answers.get(item.id) for item in instrument.items}


def _weighted(items: Iterable[Item], answers: Mapping[str, int | None], weights):
    """(score or None, completeness, answered count) of a set of items."""
    total = answered_weight = points = 0.0
    answered = 0
    for item in items:
        weight = weights[item.id]
        total += weight
        answer = answers.get(item.id)
        if answer is not None:
            answered += 1
            answered_weight += weight
            points += weight * answer
    if answered_weight == 0:
        return None, 0.0, 0
    return 100.0 * points / (5.0 * answered_weight), answered_weight / total, answered


def stage_for(instrument: Instrument, overall: float | None) -> str | None:
    """The last stage whose minimum `overall` reaches; None for no score."""
    if overall is None:
        return None
    reached = instrument.stages[0]
    for stage in instrument.stages:
        # A tiny tolerance: 60 computed as 59.99999999 must still reach a minimum of 60.
        if overall + 1e-9 >= stage.minimum:
            reached = stage
    return reached.id


def score(instrument: Instrument, answers: Mapping[str, Any], *, gaps: int = 3) -> Result:
    """Score one assessment; see the module docstring for the formulas.

    Raises `InvalidAnswers` if an answer is not valid. O(items)."""
    answers = clean_answers(instrument, answers)
    weights = instrument.effective_weights
    overall, completeness, _ = _weighted(instrument.items, answers, weights)
    dimensions = {}
    for dimension in instrument.dimensions:
        items = instrument.by_dimension[dimension.id]
        value, share, answered = _weighted(items, answers, weights)
        dimensions[dimension.id] = DimensionScore(dimension.id, value, share, answered, len(items))
    axes = {axis: _weighted(instrument.by_axis[axis], answers, weights)[0] for axis in AXES}
    reliable = overall is not None and completeness + 1e-9 >= instrument.min_completeness

    shortfalls = [
        Gap(item.id, answers[item.id], weights[item.id] * (5 - answers[item.id]))
        for item in instrument.items
        if answers[item.id] is not None and answers[item.id] < 5
    ]
    # Largest gap first; on a tie, the item that comes first in the instrument.
    order = instrument.order
    shortfalls.sort(key=lambda g: (-g.gap, order[g.item]))

    return Result(
        version=instrument.version,
        overall=overall,
        completeness=completeness,
        reliable=reliable,
        stage=stage_for(instrument, overall) if reliable else None,
        dimensions=dimensions,
        axes=axes,
        gaps=shortfalls[:gaps],
        recommendations=recommend(instrument, answers),
    )


def recommend(instrument: Instrument, answers: Mapping[str, int | None]) -> list[Recommendation]:
    """Service kinds for the items answered at or below the instrument's `low_answer`, most
    needed first (priority: the summed gaps of the items asking for the kind)."""
    weights = instrument.effective_weights
    by_kind: dict[str, tuple[float, list[str]]] = {}
    for item in instrument.items:
        answer = answers.get(item.id)
        if item.service is None or answer is None or answer > instrument.low_answer:
            continue
        priority, items = by_kind.get(item.service, (0.0, []))
        by_kind[item.service] = (priority + weights[item.id] * (5 - answer), [*items, item.id])
    ranked = sorted(by_kind.items(), key=lambda pair: (-pair[1][0], pair[0]))
    return [Recommendation(kind, priority, tuple(items)) for kind, (priority, items) in ranked]


def percentile_rank(value: float, peers: Iterable[float]) -> float | None:
    """The share of `peers` below `value`, counting ties as half, on 0–100; None if no peers.

    Mid-rank, so that a company equal to every peer is at 50, not 0 or 100."""
    peers = list(peers)
    if not peers:
        return None
    below = sum(1 for p in peers if p < value - 1e-9)
    equal = sum(1 for p in peers if abs(p - value) <= 1e-9)
    return 100.0 * (below + equal / 2) / len(peers)


def percentile_ranks(values: list[float]) -> list[float | None]:
    """Each value's `percentile_rank` among all the *other* values, in one sort: O(n log n)
    instead of the O(n²) of calling `percentile_rank` for each. None when there is no other."""
    import bisect

    ordered = sorted(values)
    others = len(values) - 1
    if others < 1:
        return [None] * len(values)
    ranks = []
    for value in values:
        below = bisect.bisect_left(ordered, value - 1e-9)
        equal = bisect.bisect_right(ordered, value + 1e-9) - below - 1  # not itself
        ranks.append(100.0 * (below + equal / 2) / others)
    return ranks


def change(
    before: Mapping[str, float | None], after: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Change per dimension between two results' dimension scores; None where either is
    missing (a dimension that was not scored, or that one instrument version lacks)."""
    return {
        key: None if after.get(key) is None or before.get(key) is None else after[key] - before[key]
        for key in after
    }
