"""Template filters for market figures: a raw value in its indicator's unit."""

from django import template
from django.utils.translation import gettext as _

from metacluster.core.markets import INDICATORS
from metacluster.formatting import compact, compact_money, money, number, percent

register = template.Library()


@register.filter
def figure(value, code: str) -> str:
    """27,4 bn US$, 92,2 %, 7 h, yes / no, 1 549 km: the value as a reader of the active
    language expects it (one formatter for the whole page, see metacluster.formatting)."""
    if value is None:
        return "—"
    indicator = INDICATORS.get(code)
    if indicator is None:
        return number(value)
    if indicator.scale == "binary":
        return _("yes") if value else _("no")
    if code == "gdp":
        return compact_money(value, "USD")
    if code == "gdp_per_capita":
        return money(value, "USD")
    if code == "population":
        return compact(value)
    if code == "distance":
        return _("%(distance)s km") % {"distance": number(value, 0)}
    if code == "time_zone_overlap":
        return _("%(hours)s h") % {"hours": number(value, 1)}
    if code == "lpi":
        return number(value, 2, fixed=True)
    return percent(value, 1)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
