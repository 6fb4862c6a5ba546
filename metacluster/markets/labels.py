"""Translatable names and units of the core's indicators (the core itself has no Django)."""

from django.utils.translation import gettext_lazy as _

from metacluster.core.markets import INDICATORS

LABELS = {
    "gdp": _("Market size (GDP)"),
    "population": _("Population"),
    "gdp_per_capita": _("Income (GDP per capita)"),
    "gdp_growth_5y": _("Growth (GDP, 5-year mean)"),
    "internet_users": _("Digital maturity (internet use)"),
    "trade_openness": _("Trade openness"),
    "lpi": _("Logistics (LPI)"),
    "distance": _("Distance"),
    "contiguity": _("Shared border"),
    "common_language": _("Common language"),
    "time_zone_overlap": _("Time-zone overlap"),
    "tariff": _("Tariff (applied, simple average)"),
}
UNITS = {
    "gdp": _("current US$"),
    "population": _("people"),
    "gdp_per_capita": _("current US$"),
    "gdp_growth_5y": _("% a year"),
    # xgettext:no-python-format
    "internet_users": _("% of population"),
    # xgettext:no-python-format
    "trade_openness": _("% of GDP"),
    "lpi": _("score 1–5"),
    "distance": _("km"),
    "contiguity": _("yes/no"),
    "common_language": _("yes/no"),
    "time_zone_overlap": _("hours"),
    "tariff": _("%"),
}
assert set(LABELS) == set(UNITS) == set(INDICATORS), "every indicator needs a label and a unit"
