"""The programme dashboard: every indicator's computed figures, shaped for the page."""

from dataclasses import dataclass, field
from decimal import Decimal

from .kpis import DefinitionError, figures, parse_definition
from .windows import parse_window

CHART_WIDTH, CHART_HEIGHT = 300, 70


@dataclass
class PartnerFigure:
    organisation: object
    achieved: int


@dataclass
class IndicatorRow:
    indicator: object
    achieved: int | None
    description: str
    percent: int | None = None
    by_partner: list[PartnerFigure] = field(default_factory=list)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    chart_points: str = ""
    target_y: float | None = None
    error: str = ""
    window: str = ""

    @property
    def bar_width(self) -> int:
        return min(self.percent or 0, 100)


def percent_of(achieved: int, target) -> int | None:
    if target is None or Decimal(target) == 0:
        return None
    return round(Decimal(achieved) * 100 / Decimal(target))


def chart(by_month: list[tuple[str, int]], target) -> tuple[str, float | None]:
    """Polyline points of the cumulative monthly series, scaled to fit the target too."""
    if not by_month:
        return "", None
    top = max([value for _, value in by_month] + [float(target or 0), 1])
    step = CHART_WIDTH / max(len(by_month) - 1, 1)

    def y(value) -> float:
        return round(CHART_HEIGHT - 4 - (CHART_HEIGHT - 8) * float(value) / top, 1)

    points = " ".join(f"{round(i * step, 1)},{y(value)}" for i, (_, value) in enumerate(by_month))
    return points, (y(target) if target else None)


def indicator_rows(programme) -> list[IndicatorRow]:
    partners = [p.organisation for p in programme.partnerships.select_related("organisation")]
    rows = []
    for indicator in programme.indicators.all():
        try:
            description = parse_definition(indicator.definition).describe()
            result = figures(indicator)
        except DefinitionError as error:
            rows.append(IndicatorRow(indicator, None, "", error=str(error)))
            continue
        points, target_y = chart(result.by_month, indicator.target)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                achieved=result.achieved,
                description=description,
                percent=percent_of(result.achieved, indicator.target),
                by_partner=[
                    PartnerFigure(org, result.by_partner.get(org.pk, 0)) for org in partners
                ],
                by_month=result.by_month,
                chart_points=points,
                target_y=target_y,
                window=parse_window(indicator.definition).describe(),
            )
        )
    return rows
