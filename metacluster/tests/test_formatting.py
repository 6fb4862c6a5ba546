"""One formatting helper for numbers, money, percentages and dates, per language."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from metacluster import formatting as f

NBSP = "\xa0"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "1,234.5"),
        ("sv", f"1{NBSP}234,5"),
        ("fi", f"1{NBSP}234,5"),
        ("et", f"1{NBSP}234,5"),
        ("lv", f"1{NBSP}234,5"),
    ],
)
def test_numbers_use_the_languages_separators(language, expected):
    with translation.override(language):
        assert f.number(1234.5) == expected


def test_money_and_percentages_share_the_separators_of_the_page():
    # Finnish pages once mixed "40,813 US$" with "77,6 p".
    with translation.override("fi"):
        assert f.money(40813, "USD") == f"40{NBSP}813{NBSP}$"
        assert f.percent(77.6) == f"77,6{NBSP}%"
    with translation.override("en"):
        assert f.money(40813, "USD") == "US$40,813"
        assert f.money(Decimal("1250.5"), "EUR", 2) == "€1,250.50"
        assert f.percent(77.6) == "77.6%"


def test_rounding_never_shows_minus_zero():
    with translation.override("en"):
        assert f.number(-0.001) == "0"
        assert f.percent(-0.01) == "0%"


@pytest.mark.parametrize(
    "value, expected",
    [
        (53_200, "53.2k"),  # the GDP axis once showed "5.32 k" (it divided by 10⁴)
        (5_320_000, "5.3m"),
        (27.4e12, "27.4tn"),
        (532, "532"),
    ],
)
def test_compact_numbers_divide_by_the_power_they_name(value, expected):
    with translation.override("en"):
        assert f.compact(value) == expected


def test_missing_values_are_a_dash_and_text_passes_through():
    assert f.number(None) == "—"
    assert f.money("", "EUR") == "—"
    assert f.number("n/a") == "n/a"


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_dates_show_the_year_only_when_it_is_not_this_year():
    with translation.override("en"):
        assert f.day(dt.date(2026, 3, 4)) == "4 Mar"
        assert f.day(dt.date(2025, 3, 4)) == "4 Mar 2025"
    with translation.override("fi"):
        assert f.day(dt.date(2026, 3, 4)) == "4.3."
        assert f.day(dt.date(2025, 3, 4)) == "4.3.2025"
    with translation.override("sv"):
        assert f.day(dt.date(2025, 3, 4)) == "4 mars 2025"


def test_svg_numbers_keep_a_decimal_point_in_every_language():
    with translation.override("sv"):
        assert f.svg_number(21.26) == "21.3"
        assert f.svg_number(21.0) == "21"
        assert "," not in f.svg_number(1234567.891)


def test_the_filters_are_available_in_every_template_without_load():
    template = Template("{{ n|number }} {{ m|money:'EUR' }} {{ p|percent }} {{ c|compact }}")
    with translation.override("sv"):
        text = template.render(Context({"n": 1234.5, "m": 10, "p": 50, "c": 53200}))
    assert text == f"1{NBSP}234,5 10{NBSP}€ 50{NBSP}% 53,2{NBSP}tn"
