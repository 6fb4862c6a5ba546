"""The instrument: dimensions, items and stages, parsed from plain JSON-shaped data.

An instrument is data, not code (see `metacluster/readiness/instruments/*.json`); this module
only checks that the data is a usable instrument and gives it typed names. Texts are kept per
language (``{"en": "...", "sv": "..."}``); a missing language falls back to English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError

__all__ = [
    "ANSWER_VALUES",
    "AXES",
    "DEFAULT_LANGUAGE",
    "Dimension",
    "InvalidInstrument",
    "Instrument",
    "Item",
    "Stage",
    "parse_instrument",
]

AXES = ("organisational", "product")
ANSWER_VALUES = range(0, 6)  # every item is answered on the 0–5 scale
DEFAULT_LANGUAGE = "en"


class InvalidInstrument(InputError):
    """The instrument data cannot be used; the message says which part and why."""


def _text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE, "")


@dataclass(frozen=True)
class Dimension:
    id: str
    weight: float
    name: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)

    def label(self, language: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.name, language)


@dataclass(frozen=True)
class Item:
    """One question. `service` is the kind of service that helps when the answer is low."""

    id: str
    dimension: str
    axis: str
    factor: str
    weight: float
    text: dict[str, str]
    help: dict[str, str]
    advice: dict[str, str]
    labels: dict[str, tuple[str, ...]]
    service: str | None = None

    def question(self, language: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.text, language)

    def help_text(self, language: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.help, language)

    def advice_text(self, language: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.advice, language)

    def answer_labels(self, language: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
        return self.labels.get(language) or self.labels[DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class Stage:
    """An export stage (Cavusgil 1980) reached from `minimum` on the 0–100 overall score."""

    id: str
    minimum: float
    name: dict[str, str]

    def label(self, language: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.name, language)


@dataclass(frozen=True)
class Instrument:
    version: str
    title: dict[str, str]
    languages: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    stages: tuple[Stage, ...]
    low_answer: int = 2
    min_completeness: float = 0.5
    effective_weights: dict[str, float] = field(default_factory=dict, compare=False)
    # Looked up on every score: built once here rather than filtered per call.
    by_dimension: dict[str, tuple[Item, ...]] = field(default_factory=dict, compare=False)
    by_axis: dict[str, tuple[Item, ...]] = field(default_factory=dict, compare=False)
    order: dict[str, int] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # An item's share of the instrument: its dimension's weight split over the dimension's
        # items by item weight. Every score is a mean under these weights (see scoring).
        totals: dict[str, float] = {}
        for item in self.items:
            totals[item.dimension] = totals.get(item.dimension, 0.0) + item.weight
        dimension_weight = {d.id: d.weight for d in self.dimensions}
        self.effective_weights.update(
            {
                item.id: dimension_weight[item.dimension] * item.weight / totals[item.dimension]
                for item in self.items
            }
        )
        for dimension in self.dimensions:
            self.by_dimension[dimension.id] = tuple(
                i for i in self.items if i.dimension == dimension.id
            )
        for axis in AXES:
            self.by_axis[axis] = tuple(i for i in self.items if i.axis == axis)
        self.order.update({item.id: n for n, item in enumerate(self.items)})

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def items_of(self, dimension_id: str) -> list[Item]:
        return list(self.by_dimension.get(dimension_id, ()))

    def title_text(self, language: str = DEFAULT_LANGUAGE) -> str:
        return _text(self.title, language)


# --- Parsing ------------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidInstrument(message)


def _texts(value: Any, where: str, *, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    _require(
        isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
        f'{where}: give texts per language, e.g. {{"en": "..."}}',
    )
    if required:
        _require(bool(value.get(DEFAULT_LANGUAGE)), f"{where}: the English text is missing")
    return dict(value)


def _weight(value: Any, where: str) -> float:
    _require(
        isinstance(value, int | float) and not isinstance(value, bool),
        f"{where}: the weight must be a number",
    )
    _require(math.isfinite(value) and value > 0, f"{where}: the weight must be more than 0")
    return float(value)


def _labels(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    _require(isinstance(value, dict), f"{where}: give answer labels per language")
    labels = {}
    for language, texts in value.items():
        _require(
            isinstance(texts, list) and len(texts) == 6 and all(isinstance(t, str) for t in texts),
            f"{where}: labels in {language!r} must be six texts, for the answers 0 to 5",
        )
        labels[language] = tuple(texts)
    _require(DEFAULT_LANGUAGE in labels, f"{where}: the English answer labels are missing")
    return labels


def _unique(ids: list[str], what: str) -> None:
    seen = set()
    for id_ in ids:
        _require(id_ not in seen, f"{what} {id_!r} appears twice")
        seen.add(id_)


def _id(value: Any, where: str) -> str:
    _require(isinstance(value, str) and value.strip() != "", f"{where}: an id is required")
    return value


def parse_instrument(data: Any) -> Instrument:
    """Check instrument data and return it as an `Instrument`.

    Raises `InvalidInstrument` naming the first problem found."""
    _require(isinstance(data, dict), "the instrument must be a JSON object")
    version = _id(data.get("version"), "version")
    scales = data.get("scales", {})
    _require(isinstance(scales, dict), "scales: must be an object of named answer scales")

    dimensions = []
    for n, raw in enumerate(data.get("dimensions") or []):
        where = f"dimensions[{n}]"
        _require(isinstance(raw, dict), f"{where}: must be an object")
        dimensions.append(
            Dimension(
                id=_id(raw.get("id"), where),
                weight=_weight(raw.get("weight", 1), where),
                name=_texts(raw.get("name"), f"{where}.name"),
                description=_texts(raw.get("description"), f"{where}.description", required=False),
            )
        )
    _require(bool(dimensions), "dimensions: at least one dimension is required")
    _unique([d.id for d in dimensions], "dimension")
    dimension_ids = {d.id for d in dimensions}

    items = []
    for n, raw in enumerate(data.get("items") or []):
        _require(isinstance(raw, dict), f"items[{n}]: must be an object")
        where = f"items[{n}] ({raw.get('id')})"
        dimension = raw.get("dimension")
        _require(dimension in dimension_ids, f"{where}: unknown dimension {dimension!r}")
        _require(raw.get("axis") in AXES, f"{where}: the axis must be one of {', '.join(AXES)}")
        if "labels" in raw:
            labels = _labels(raw["labels"], f"{where}.labels")
        else:
            scale = raw.get("scale")
            _require(scale in scales, f"{where}: give labels, or a scale among {sorted(scales)}")
            labels = _labels(scales[scale], f"scales.{scale}")
        service = raw.get("service")
        _require(
            service is None or isinstance(service, str) and service != "",
            f"{where}: service must be a service kind or null",
        )
        items.append(
            Item(
                id=_id(raw.get("id"), where),
                dimension=dimension,
                axis=raw["axis"],
                factor=str(raw.get("factor", "")),
                weight=_weight(raw.get("weight", 1), where),
                text=_texts(raw.get("text"), f"{where}.text"),
                help=_texts(raw.get("help"), f"{where}.help", required=False),
                advice=_texts(raw.get("advice"), f"{where}.advice", required=False),
                labels=labels,
                service=service,
            )
        )
    _require(bool(items), "items: at least one item is required")
    _unique([item.id for item in items], "item")
    empty = dimension_ids - {item.dimension for item in items}
    if empty:
        raise InvalidInstrument(f"dimension {sorted(empty)[0]!r} has no items")

    stages = []
    for n, raw in enumerate(data.get("stages") or []):
        where = f"stages[{n}]"
        _require(isinstance(raw, dict), f"{where}: must be an object")
        minimum = raw.get("min")
        _require(
            isinstance(minimum, int | float)
            and not isinstance(minimum, bool)
            and 0 <= minimum <= 100,
            f"{where}: min must be a score from 0 to 100",
        )
        stages.append(
            Stage(
                id=_id(raw.get("id"), where),
                minimum=float(minimum),
                name=_texts(raw.get("name"), f"{where}.name"),
            )
        )
    _require(bool(stages), "stages: at least one stage is required")
    _unique([s.id for s in stages], "stage")
    _require(stages[0].minimum == 0, "stages: the first stage must start at 0")
    _require(
        all(a.minimum < b.minimum for a, b in zip(stages, stages[1:], strict=False)),
        "stages: the minimums must rise from one stage to the next",
    )

    low_answer = data.get("low_answer", 2)
    _require(
        isinstance(low_answer, int) and not isinstance(low_answer, bool) and 0 <= low_answer < 5,
        "low_answer: must be an answer from 0 to 4",
    )
    min_completeness = data.get("min_completeness", 0.5)
    _require(
        isinstance(min_completeness, int | float)
        and not isinstance(min_completeness, bool)
        and 0 < min_completeness <= 1,
        "min_completeness: must be a share above 0 and at most 1",
    )
    languages = data.get("languages", [DEFAULT_LANGUAGE])
    _require(
        isinstance(languages, list) and DEFAULT_LANGUAGE in languages,
        "languages: a list of language codes that includes en",
    )
    return Instrument(
        version=version,
        title=_texts(data.get("title", {DEFAULT_LANGUAGE: version}), "title"),
        languages=tuple(languages),
        dimensions=tuple(dimensions),
        items=tuple(items),
        stages=tuple(stages),
        low_answer=low_answer,
        min_completeness=float(min_completeness),
    )
