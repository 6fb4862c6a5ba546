"""Programme-wide figures about assessments: only aggregates of other companies, never
their answers. Peers are the latest completed assessment of each other company in the same
programme and instrument version (scores of different versions weigh items differently)."""

from dataclasses import dataclass
from statistics import mean, median

from metacluster.core.readiness import change, percentile_rank

from .choices import ReadinessStage
from .models import Assessment

# Fewer peers than this and a percentile or median would come close to telling one other
# company's score, so none is shown.
MIN_PEERS = 5


def latest_completed(programme, *, version: str | None = None, exclude_company=None) -> list:
    """The latest completed assessment of each company in the programme."""
    rows = Assessment.objects.completed().filter(programme=programme)
    if version:
        rows = rows.filter(instrument_version=version)
    if exclude_company is not None:
        rows = rows.exclude(company=exclude_company)
    latest = {}
    for row in rows.order_by("company_id", "-completed_at", "-pk").only(
        "company_id", "overall", "stage", "dimension_scores", "axis_scores", "completed_at"
    ):
        latest.setdefault(row.company_id, row)
    return list(latest.values())


@dataclass
class Position:
    peers: int
    percentile: float | None  # None when there are fewer than MIN_PEERS peers
    median_overall: float | None
    median_dimensions: dict[str, float]


def position(assessment: Assessment) -> Position:
    """Where the assessment stands among the programme's other assessed companies."""
    peers = latest_completed(
        assessment.programme,
        version=assessment.instrument_version,
        exclude_company=assessment.company,
    )
    if len(peers) < MIN_PEERS or assessment.overall is None:
        return Position(len(peers), None, None, {})
    dimensions = {}
    for dimension in assessment.instrument.dimensions:
        values = [p.dimension_scores.get(dimension.id) for p in peers]
        values = [v for v in values if v is not None]
        if len(values) >= MIN_PEERS:
            dimensions[dimension.id] = median(values)
    return Position(
        peers=len(peers),
        percentile=percentile_rank(assessment.overall, [p.overall for p in peers]),
        median_overall=median(p.overall for p in peers),
        median_dimensions=dimensions,
    )


def history(assessment: Assessment) -> list[Assessment]:
    """The company's completed assessments in the programme, oldest first, up to this one."""
    rows = Assessment.objects.completed().filter(
        programme=assessment.programme, company=assessment.company
    )
    if assessment.completed_at:
        rows = rows.filter(completed_at__lte=assessment.completed_at)
    return list(rows.order_by("completed_at", "pk"))


def change_since_previous(assessment: Assessment) -> tuple[Assessment | None, dict]:
    """The previous completed assessment and the change per dimension since then."""
    earlier = [a for a in history(assessment) if a.pk != assessment.pk]
    if not earlier or assessment.is_draft:
        return None, {}
    previous = earlier[-1]
    return previous, change(previous.dimension_scores, assessment.dimension_scores)


@dataclass
class Summary:
    assessed: int
    unfinished: int
    mean_overall: float | None
    stages: list[tuple[str, int]]  # (stage label, companies), in stage order
    mean_dimensions: dict[str, float]


def summary(programme) -> Summary:
    """The programme's readiness figures for its staff: counts, mean scores, stages."""
    latest = latest_completed(programme)
    counts: dict[str, int] = {}
    for row in latest:
        counts[row.stage] = counts.get(row.stage, 0) + 1
    stages = [(label, counts[value]) for value, label in ReadinessStage.choices if value in counts]
    dimensions: dict[str, list[float]] = {}
    for row in latest:
        for key, value in row.dimension_scores.items():
            if value is not None:
                dimensions.setdefault(key, []).append(value)
    enough = len(latest) >= MIN_PEERS
    return Summary(
        assessed=len(latest),
        unfinished=Assessment.objects.drafts().filter(programme=programme).count(),
        mean_overall=mean(r.overall for r in latest) if enough else None,
        stages=stages if enough else [],
        mean_dimensions={k: mean(v) for k, v in dimensions.items()} if enough else {},
    )
