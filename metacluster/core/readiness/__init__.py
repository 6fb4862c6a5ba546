"""Export readiness: score an assessment against a versioned instrument.

Plain Python over plain data; no Django. The instrument (dimensions, items, weights, stages,
the service kind that helps each item) is JSON data parsed by `parse_instrument`; `score`
turns one assessment's answers into a `Result` (overall and per-dimension and per-axis
scores, completeness, Cavusgil stage, biggest gaps, recommended service kinds);
`percentile_rank` places a score among peers; `change` compares two results.

The formulas are in `scoring`'s docstring and in docs/READINESS.md.

Example
-------
>>> instrument = parse_instrument({
...     "version": "demo",
...     "dimensions": [{"id": "offer", "name": {"en": "Offering"}}],
...     "items": [
...         {"id": "fit", "dimension": "offer", "axis": "product", "service": "product_adaptation",
...          "text": {"en": "Fit"}, "labels": {"en": ["0", "1", "2", "3", "4", "5"]}},
...         {"id": "ip", "dimension": "offer", "axis": "product", "weight": 3,
...          "text": {"en": "IP"}, "labels": {"en": ["0", "1", "2", "3", "4", "5"]}},
...     ],
...     "stages": [{"id": "domestic", "min": 0, "name": {"en": "Domestic"}},
...                {"id": "active", "min": 60, "name": {"en": "Active"}}],
... })
>>> result = score(instrument, {"fit": 1, "ip": 5})
>>> round(result.overall, 1), result.stage, result.recommendations[0].service
(80.0, 'active', 'product_adaptation')

References
----------
Cavusgil, S. T. (1980). On the internationalization process of firms. European Research 8(6).
Cavusgil, S. T. & Zou, S. (1994). Marketing strategy–performance relationship. J. Marketing.
CHROME internationalisation readiness scan (EU), six dimensions, 0–5 scale.
Van Eldik, S. & Viviers, W. (2005). Export readiness of South African SMEs: motivation,
organisation, target market and product factors.
"""

from .model import (
    AXES,
    Dimension,
    Instrument,
    InvalidInstrument,
    Item,
    Stage,
    parse_instrument,
)
from .scoring import (
    DimensionScore,
    Gap,
    InvalidAnswers,
    Recommendation,
    Result,
    change,
    clean_answers,
    percentile_rank,
    percentile_ranks,
    recommend,
    score,
    stage_for,
)

__all__ = [
    "AXES",
    "Dimension",
    "DimensionScore",
    "Gap",
    "Instrument",
    "InvalidAnswers",
    "InvalidInstrument",
    "Item",
    "Recommendation",
    "Result",
    "Stage",
    "change",
    "clean_answers",
    "parse_instrument",
    "percentile_rank",
    "percentile_ranks",
    "recommend",
    "score",
    "stage_for",
]
