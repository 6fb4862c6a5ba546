"""Server-rendered SVG charts: no JavaScript, the same markup on the page and in the PDF."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 540, 440
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS = 140
LINE_CHARS = 16  # labels wrap onto lines of about this many characters
# Presentation attributes, not CSS: WeasyPrint's SVG renderer (the PDF report) reads these,
# and the page's stylesheet can still override them.
STYLES = {
    "ring": 'fill="none" stroke="#d9dee7"',
    "spoke": 'stroke="#d9dee7"',
    "label": 'fill="#1d2433" font-size="11"',
    "current": 'fill="#1f5fa8" fill-opacity="0.18" stroke="#1f5fa8" stroke-width="2"',
    "previous": 'fill="none" stroke="#b5651d" stroke-width="2" stroke-dasharray="5 4"',
    "median": 'fill="none" stroke="#1e7d4f" stroke-width="2" stroke-dasharray="2 4"',
}


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    # The first axis points up; axes go clockwise.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * max(0.0, min(100.0, value)) / 100
    return CENTRE_X + r * math.cos(angle), CENTRE_Y + r * math.sin(angle)


def _lines(label: str) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LINE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def radar(labels: list[str], series: list[tuple[str, list[float | None], str]], *, title: str):
    """A radar chart on 0–100: `series` are (name, values per label, CSS class). A missing
    value is drawn at the centre and its label marked with "–", so a gap is never hidden."""
    count = len(labels)
    parts = [
        f'<svg class="radar" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for ring in (20, 40, 60, 80, 100):
        points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, ring) for i in range(count))
        )
        parts.append(f'<polygon class="ring" {STYLES["ring"]} points="{points}" />')
    for i, label in enumerate(labels):
        x, y = _point(i, count, 100)
        parts.append(
            f'<line class="spoke" {STYLES["spoke"]} x1="{CENTRE_X}" y1="{CENTRE_Y}" x2="{x:.1f}" y2="{y:.1f}" />'
        )
        lx, ly = _point(i, count, 118)
        anchor = "middle" if abs(lx - CENTRE_X) < 10 else ("start" if lx > CENTRE_X else "end")
        lines = _lines(label)
        # Labels above the chart grow upwards, the others downwards, away from the chart.
        first_y = ly + 4 - (13 * (len(lines) - 1) if ly < CENTRE_Y - 10 else 0)
        spans = "".join(
            f'<tspan x="{lx:.1f}" y="{first_y + 13 * n:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text class="label" {STYLES["label"]} text-anchor="{anchor}">{spans}</text>')
    for name, values, css in series:
        points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, v or 0) for i, v in enumerate(values))
        )
        parts.append(
            f'<polygon class="series {escape(css)}" {STYLES.get(css, "")} points="{points}">'
            f"<title>{escape(name)}</title></polygon>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def legend(series: list[tuple[str, list, str]]) -> SafeString:
    items = "".join(
        f'<li><span class="swatch {escape(css)}"></span>{escape(name)}</li>'
        for name, _values, css in series
    )
    return mark_safe(f'<ul class="radar-legend">{items}</ul>')  # noqa: S308
