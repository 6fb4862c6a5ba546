"""Server-rendered SVG charts for comparing markets: no JavaScript, readable without CSS, and
printable. Labels are escaped; numbers are computed here, not in templates. Geometry is written
with Python's own number formatting (a decimal point in every language); the text a person reads
(ticks, hover values) goes through metacluster.formatting in the active language."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from metacluster.formatting import compact, number

# Five colours that stay apart for the common colour-vision deficiencies (Okabe & Ito 2008).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"]


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def component_bars(labels: list[str], markets: list[tuple[str, list[float | None]]]) -> SafeString:
    """Grouped horizontal bars: one group per indicator (`labels`), one bar per market, each
    0–100 points; None (no figure) draws an outlined empty bar."""
    bar, gap, label_width, width = 12, 10, 190, 560
    plot = width - label_width - 40
    group = bar * len(markets) + gap
    height = group * len(labels) + 30
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(_("score components"))}">'
    ]
    parts.append(
        f'<text x="{label_width - 8}" y="{height - 6}" class="tick unit" text-anchor="end">'
        f"{escape(_('points'))}</text>"
    )
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" class="gridline"/>'
            f'<text x="{x:.1f}" y="{height - 6}" class="tick" text-anchor="middle">{tick}</text>'
        )
    for row, label in enumerate(labels):
        top = row * group
        parts.append(
            f'<text x="{label_width - 8}" y="{top + group / 2:.1f}" class="label" '
            f'text-anchor="end" dominant-baseline="middle">{escape(label)}</text>'
        )
        for index, (name, values) in enumerate(markets):
            value = values[row]
            y = top + index * bar
            if value is None:
                parts.append(
                    f'<rect x="{label_width}" y="{y}" width="{plot * 0.02:.1f}" height="{bar - 2}" '
                    f'class="missing"><title>{escape(name)}: {escape(label)} — {escape(_("no figure"))}'
                    "</title></rect>"
                )
                continue
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{plot * value / 100:.1f}" '
                f'height="{bar - 2}" fill="{colour(index)}"><title>{escape(name)}: '
                f"{escape(label)} {escape(number(value, 1))}</title></rect>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values (1, 2 or 5 × 10ⁿ apart) covering low..high, about `count` of them.

    >>> nice_ticks(0, 53_200)
    [0.0, 20000.0, 40000.0, 60000.0]
    """
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    for index in range(12):  # a dozen at most, whatever the input
        value = float(round(first + index * step, 12))
        ticks.append(value)
        if value >= high:
            break
    return ticks


def trend_chart(
    title: str, series: list[tuple[str, list[tuple[int, float]]]], unit: str = ""
) -> SafeString:
    """A line chart of one indicator over the years, one line per market: round ticks on the
    value axis (labelled with `unit`), each point's value on hover."""
    width, height, left, right, top, bottom = 560, 220, 70, 20, 24, 30
    points = [(year, value) for _, values in series for year, value in values]
    if not points:
        return mark_safe("")
    years = [year for year, _v in points]
    values = [value for _y, value in points]
    first, last = min(years), max(years)
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    low, high = ticks[0], ticks[-1]
    if high == low:
        high = low + 1
    span_x = max(last - first, 1)

    def x(year: int) -> float:
        return left + (width - left - right) * (year - first) / span_x

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f'<text x="{left}" y="14" class="title">{escape(title)}</text>',
    ]
    if unit:
        parts.append(
            f'<text x="{left - 6}" y="14" class="tick unit" text-anchor="end">{escape(unit)}</text>'
        )
    for value in ticks:
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" '
            f'class="gridline"/><text x="{left - 6}" y="{y(value):.1f}" class="tick" '
            f'text-anchor="end" dominant-baseline="middle">{escape(compact(value))}</text>'
        )
    for year in sorted({first, last, (first + last) // 2}):
        parts.append(
            f'<text x="{x(year):.1f}" y="{height - 10}" class="tick" text-anchor="middle">{year}</text>'
        )
    for index, (name, values) in enumerate(series):
        if not values:
            continue
        path = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in sorted(values))
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour(index)}" stroke-width="2">'
            f"<title>{escape(name)}</title></polyline>"
        )
        for year, value in sorted(values):  # a dot per figure, its value on hover
            parts.append(
                f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="3" fill="{colour(index)}">'
                f"<title>{escape(name)} {year}: {escape(number(value, 2))}"
                f"{(' ' + escape(unit)) if unit else ''}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def potential_bars(markets: list[tuple[str, float, float]], unit: str) -> SafeString:
    """One horizontal bar per market (name, potential, actual): the realised part (actual
    exports, up to the potential) solid, the untapped rest lighter; the axis runs to a round
    value above the largest, with round ticks labelled in `unit`."""
    bar, label_width, width = 18, 170, 560
    plot = width - label_width - 20
    height = bar * len(markets) + 30
    ticks = nice_ticks(0.0, max((max(p, a) for _name, p, a in markets), default=0) or 1.0)
    largest = ticks[-1]
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(_("export potential"))}">'
    ]
    for tick in ticks:
        x = label_width + plot * tick / largest
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 22}" class="gridline"/>'
            f'<text x="{x:.1f}" y="{height - 8}" class="tick" '
            f'text-anchor="{"start" if tick == 0 else "end" if tick == largest else "middle"}">'
            f"{escape(compact(tick))}</text>"
        )
    for row, (name, potential, actual) in enumerate(markets):
        y = row * bar
        realised = min(actual, potential)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar / 2:.1f}" class="label" text-anchor="end" '
            f'dominant-baseline="middle">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{plot * potential / largest:.1f}" '
            f'height="{bar - 4}" fill="{PALETTE[4]}" class="untapped"><title>{escape(name)}: '
            f"{escape(_('potential'))} {escape(number(potential, 0))} {escape(unit)}</title></rect>"
            f'<rect x="{label_width}" y="{y + 2}" width="{plot * realised / largest:.1f}" '
            f'height="{bar - 4}" fill="{PALETTE[0]}" class="realised"><title>{escape(name)}: '
            f"{escape(_('actual'))} {escape(number(actual, 0))} {escape(unit)}</title></rect>"
        )
    parts.append(
        f'<text x="{label_width - 8}" y="{height - 8}" class="tick unit" text-anchor="end">'
        f"{escape(unit)}</text></svg>"
    )
    return mark_safe("".join(parts))
