"""Numbers, money, percentages and dates as a reader of the current language expects them.

One helper for the whole platform, from CLDR through Babel: the same functions serve Python
(charts, e-mails, messages) and templates (the filters registered below are template builtins,
so no `{% load %}` is needed). Each takes the language that `translation.get_language()` says
is active, so a Finnish page writes "40 813 $" and "77,6 %" alike, never "40,813 US$".

Machine formats are never localised: SVG geometry, CSV, JSON and iCalendar write numbers with
Python's own `str`/`f"{x:.1f}"` (a decimal point, no grouping) — see `svg_number`.

    >>> from django.utils import translation
    >>> with translation.override("fi"):
    ...     number(1234.5), money(40813, "USD"), percent(77.6), compact(53200)
    ('1\\xa0234,5', '40\\xa0813\\xa0$', '77,6\\xa0%', '53,2\\xa0t.')
"""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_compact_currency, format_compact_decimal
from django import template
from django.utils import timezone, translation

from metacluster.countries import country_name, region_name
from metacluster.nace import nace_datalist, nace_html, nace_list_html, nace_name

# The platform's English is British English (day before month, "k" for thousands).
LOCALES = {"en": "en_GB"}
MISSING = "—"


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(LOCALES.get(language, language).replace("-", "_"))
    except (ValueError, TypeError):
        return Locale.parse("en_GB")


def current_locale() -> Locale:
    return _locale(translation.get_language() or "en")


def _as_number(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _apply(pattern, value: Decimal, digits: int, minimum: int, **kwargs) -> str:
    pattern = copy.copy(pattern)
    pattern.frac_prec = (minimum, digits)
    rounded = round(value, digits) + 0  # "+ 0" turns -0 into 0
    if rounded == 0:
        rounded = abs(rounded)
    return pattern.apply(rounded, current_locale(), **kwargs)


def number(value, digits: int = 2, *, fixed: bool = False) -> str:
    """1 234,5 — at most `digits` decimals (exactly `digits` when `fixed`); "—" for None."""
    amount = _as_number(value)
    if amount is None:
        return MISSING if value is None or value == "" else str(value)
    digits = int(digits)
    pattern = current_locale().decimal_formats[None]
    return _apply(pattern, amount, digits, digits if fixed else 0)


def money(value, currency: str = "EUR", digits: int = 0) -> str:
    """40 813 € / €40,813: whole units unless `digits` asks for cents."""
    amount = _as_number(value)
    if amount is None:
        return MISSING if value is None or value == "" else str(value)
    pattern = current_locale().currency_formats["standard"]
    digits = int(digits)
    return _apply(
        pattern, amount, digits, digits, currency=currency or "EUR", currency_digits=False
    )


def percent(value, digits: int = 1) -> str:
    """77,6 % — `value` in percentage points (77.6 means 77.6 %), at most `digits` decimals."""
    amount = _as_number(value)
    if amount is None:
        return MISSING if value is None or value == "" else str(value)
    digits = int(digits)
    rounded = round(amount, digits) + 0
    pattern = copy.copy(current_locale().percent_formats[None])
    pattern.frac_prec = (0, digits)
    # The pattern multiplies by 100; the rounding is done above, on the points themselves.
    return pattern.apply(abs(rounded) / 100 if rounded == 0 else rounded / 100, current_locale())


def compact(value, digits: int = 1) -> str:
    """53,2 t. / 53.2k / 27.4tn — CLDR's short form, for chart axes and tight spaces."""
    amount = _as_number(value)
    if amount is None:
        return MISSING if value is None or value == "" else str(value)
    if abs(amount) < 1000:
        return number(amount, digits)
    return format_compact_decimal(
        float(amount), format_type="short", locale=current_locale(), fraction_digits=int(digits)
    )


def compact_money(value, currency: str = "EUR", digits: int = 1) -> str:
    """27,4 bilj. $ / US$27.4tn — money in CLDR's short form."""
    amount = _as_number(value)
    if amount is None:
        return MISSING if value is None or value == "" else str(value)
    if abs(amount) < 1000:
        return money(amount, currency)
    return format_compact_currency(
        float(amount), currency, locale=current_locale(), fraction_digits=int(digits)
    )


def _local(value, tz=None):
    """The wall-clock (naive) datetime of `value` in `tz`, else in the active time zone —
    unless a template's `|timezone:zone` filter already chose its zone (Django's own rule,
    template_localtime). `tz` may be a ZoneInfo or a zone name."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        if isinstance(tz, str):
            try:
                tz = zoneinfo.ZoneInfo(tz)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                tz = None
        local = timezone.localtime(value, tz) if tz else timezone.template_localtime(value)
        return local.replace(tzinfo=None)
    return value


def day(value, year: bool | None = None) -> str:
    """4 Mar / 4.3. this year, 4 Mar 2025 / 4.3.2025 otherwise (or always, with `year`)."""
    if not isinstance(value, dt.date):
        return MISSING if value in (None, "") else str(value)
    value = _local(value)
    if year is None or year == "":
        year = value.year != timezone.localdate().year
    if year:
        return format_date(value, "medium", locale=current_locale())
    return format_skeleton("MMMd", value, locale=current_locale())


def time_of_day(value, tz=None) -> str:
    """09:05 / 9.05, in `tz` (a ZoneInfo) or the active time zone."""
    if not isinstance(value, dt.datetime | dt.time):
        return MISSING if value in (None, "") else str(value)
    return format_time(_local(value, tz), "short", locale=current_locale())


def moment(value, tz=None) -> str:
    """4 Mar, 09:05 — a date and time in `tz` or the active time zone."""
    if not isinstance(value, dt.datetime):
        return day(value)
    local = _local(value, tz)
    return f"{day(local)}, {time_of_day(local)}"


def weekday_moment(value, tz=None) -> str:
    """Tue 4 Mar, 09:05 — for meetings and bookings, where the weekday helps."""
    if not isinstance(value, dt.datetime):
        return day(value)
    local = _local(value, tz)
    weekday = format_date(local, "EEE", locale=current_locale())
    return f"{weekday} {day(local)}, {time_of_day(local)}"


def weekday_day(value) -> str:
    """Tue 4 Mar / ti 4.3. (with the year when it is not this year)."""
    if not isinstance(value, dt.date):
        return day(value)
    local = _local(value)
    return f"{format_date(local, 'EEE', locale=current_locale())} {day(local)}"


def month(value) -> str:
    """Mar 2026 / maalis 2026: a month and its year."""
    if not isinstance(value, dt.date):
        return day(value)
    return format_skeleton("yMMM", _local(value), locale=current_locale())


def zone_abbreviation(value, tz=None) -> str:
    """CET, EET, GMT+3: the zone a time is shown in (machine-readable, not translated)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        if isinstance(tz, str):
            try:
                tz = zoneinfo.ZoneInfo(tz)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                tz = None
        local = timezone.localtime(value, tz) if tz else timezone.template_localtime(value)
        return local.tzname() or ""
    return ""


def svg_number(value: float, digits: int = 1) -> str:
    """A coordinate for SVG/CSS: always a decimal point, never grouped, whatever the language."""
    text = f"{float(value):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


register = template.Library()
register.filter("number", number)
register.filter("money", money)
register.filter("percent", percent)
register.filter("number_fixed", lambda value, digits=2: number(value, digits, fixed=True))
register.filter("compact", compact)
register.filter("compact_money", compact_money)
register.filter("day", day)
register.filter("moment", moment)
register.filter("weekday_moment", lambda value, tz=None: weekday_moment(value, tz))
register.filter("time_of_day", time_of_day)
register.filter("zone", zone_abbreviation)
register.filter("weekday_day", weekday_day)
register.filter("month", month)
register.filter("svg_number", svg_number)
register.filter("country", lambda code: country_name(str(code or "")))
register.filter("region", lambda region: region_name(str(region or "")))
# NACE codes with their titles (metacluster/nace.py): {{ code|nace }}, {{ codes|nace_list }},
# {{ codes|nace_list:1 }} (the first named, the rest as codes), {{ code|nace_name }} (text).
register.filter("nace", lambda code: nace_html(str(code or "")) if code else "")
register.filter("nace_list", nace_list_html)
register.filter("nace_name", lambda code: nace_name(str(code or "")))
register.simple_tag(nace_datalist, name="nace_datalist")


@register.filter
def translated(record, field: str = "name") -> str:
    """{{ indicator|translated:"name" }}: a programme-defined name in the active language."""
    if hasattr(record, "translated"):
        return record.translated(field)
    return getattr(record, field, "") if record is not None else ""


@register.filter
def size_class(code: str) -> str:
    """ "micro" → "mikro (alle 10)": an EU size class code as its name."""
    from metacluster.companies.choices import SizeClass

    return SizeClass(code).label if code in SizeClass.values else (code or "")


@register.filter
def unit(text: str) -> str:
    """A common free-text unit ("companies") in the active language; others as typed."""
    from metacluster.translations import COMMON_UNITS

    return str(COMMON_UNITS.get(text, text or ""))
