"""Template filters for market figures: a raw value in its indicator's unit."""

from django import template
from django.utils.translation import gettext as _

from metacluster.core.markets import INDICATORS

register = template.Library()


@register.filter
def figure(value, code: str) -> str:
    """27.4 T US$, 92.2 %, 7 h, yes / no, 1,549 km: the value as a reader expects it."""
    if value is None:
        return "—"
    indicator = INDICATORS.get(code)
    if indicator is None:
        return f"{value:g}"
    if indicator.scale == "binary":
        return _("yes") if value else _("no")
    if code in ("gdp", "gdp_per_capita", "population"):
        for limit, suffix in ((1e12, " T"), (1e9, " B"), (1e6, " M")):
            if abs(value) >= limit:
                amount = f"{value / limit:.3g}{suffix}"
                break
        else:
            amount = f"{value:,.0f}"
        return amount + (" US$" if code != "population" else "")
    if code == "distance":
        return f"{value:,.0f} km"
    if code == "time_zone_overlap":
        return _("%(hours)s h") % {"hours": f"{value:g}"}
    if code == "lpi":
        return f"{value:.2f}"
    return f"{value:.1f} %"


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
