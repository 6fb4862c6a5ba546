"""The programme dashboard: every indicator's computed figures, shaped for the page."""

from dataclasses import dataclass, field
from decimal import Decimal

from metacluster.formatting import svg_number

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
    target_y: str | None = None
    chart_columns: list["ChartColumn"] = field(default_factory=list)
    error: str = ""
    window: str = ""

    @property
    def bar_width(self) -> int:
        return min(self.percent or 0, 100)


def percent_of(achieved: int, target) -> int | None:
    if target is None or Decimal(target) == 0:
        return None
    return round(Decimal(achieved) * 100 / Decimal(target))


@dataclass(frozen=True)
class ChartColumn:
    """The strip of the sparkline around one month: hovering it shows that month's value."""

    x: str
    width: str
    month: str
    value: int


def chart(by_month: list[tuple[str, int]], target) -> tuple[str, str | None, list[ChartColumn]]:
    """Polyline points of the cumulative monthly series, scaled to fit the target too, and
    one hover column per month. Geometry is returned as text with a decimal point: a float
    rendered by a template would be localised ("21,2" in Swedish) and break the SVG."""
    if not by_month:
        return "", None, []
    top = max([value for _, value in by_month] + [float(target or 0), 1])
    step = CHART_WIDTH / max(len(by_month) - 1, 1)

    def y(value) -> str:
        return svg_number(CHART_HEIGHT - 4 - (CHART_HEIGHT - 8) * float(value) / top)

    points = " ".join(f"{svg_number(i * step)},{y(value)}" for i, (_, value) in enumerate(by_month))
    last = len(by_month) - 1

    def width(i: int) -> float:
        return CHART_WIDTH if last == 0 else step if 0 < i < last else step / 2

    columns = [
        ChartColumn(
            x=svg_number(max(i * step - step / 2, 0)),
            width=svg_number(width(i)),
            month=month,
            value=value,
        )
        for i, (month, value) in enumerate(by_month)
    ]
    return points, (y(target) if target else None), columns


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
        points, target_y, columns = chart(result.by_month, indicator.target)
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
                chart_columns=columns,
                window=parse_window(indicator.definition).describe(),
            )
        )
    return rows
