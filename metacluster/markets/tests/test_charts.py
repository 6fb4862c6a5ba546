"""The market charts: round ticks with units, hover values, geometry never localised."""

import re

import pytest
from django.utils import translation

from metacluster.markets.charts import component_bars, nice_ticks, potential_bars, trend_chart

GEOMETRY = re.compile(r'\b(?:x|y|x1|x2|y1|y2|cx|cy|width|height|points|viewBox)="([^"]*)"')


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (0, 53_200, [0, 20_000, 40_000, 60_000]),  # GDP per capita
        (0, 1, [0, 0.5, 1]),
        (0, 27.4e12, [0, 1e13, 2e13, 3e13]),
        (-3.2, 4.1, [-5, 0, 5]),
    ],
)
def test_ticks_are_round_and_cover_the_values(low, high, expected):
    ticks = nice_ticks(low, high)
    assert ticks == expected
    assert ticks[0] <= low and ticks[-1] >= high


def test_the_gdp_axis_reads_thousands_as_thousands():
    # It once showed "5.32 k" for 53,200: the short-number helper divided by 10⁴.
    with translation.override("en"):
        svg = str(
            trend_chart(
                "GDP per capita",
                [("Germany", [(2020, 48_000), (2023, 53_200)])],
                unit="current US$",
            )
        )
    assert ">60k<" in svg and ">40k<" in svg
    assert "5.32" not in svg
    assert "current US$" in svg
    assert "<title>Germany 2023: 53,200 current US$</title>" in svg


@pytest.mark.parametrize("language", ["sv", "fi", "et", "lv"])
def test_svg_geometry_has_no_decimal_commas(language):
    with translation.override(language):
        svgs = [
            str(trend_chart("t", [("A", [(2020, 1234.56), (2023, 98765.4321)])], unit="%")),
            str(component_bars(["a", "b"], [("A", [12.5, None]), ("B", [77.25, 3.3])])),
            str(potential_bars([("A", 1234.5, 234.25), ("B", 99.5, 120.0)], "US$")),
        ]
    for svg in svgs:
        for value in GEOMETRY.findall(svg):
            # points="x,y x,y" uses commas between coordinates, never inside a number:
            for number in re.split(r"[ ,]", value):
                assert re.fullmatch(r"-?\d+(\.\d+)?", number), (language, value)


def test_hover_values_are_in_the_readers_language():
    with translation.override("fi"):
        svg = str(potential_bars([("Saksa", 1234567.0, 234.0)], "US$"))
    assert "1\xa0234\xa0567 US$" in svg


def test_the_potential_axis_ends_on_a_round_value_with_its_unit():
    with translation.override("en"):
        svg = str(potential_bars([("A", 1234.5, 234.25), ("B", 99.5, 120.0)], "US$ thousand"))
    assert ">1.5k<" in svg and ">500<" in svg  # 0, 500, 1,000, 1,500 for a largest of 1,234.5
    assert "US$ thousand</text>" in svg
