from django import template
from django.utils.translation import gettext_lazy as _

from metacluster.core.matching.rank import COMPONENTS

register = template.Library()

# The match factors of core.matching, as a reader calls them (the core has no Django).
FACTORS = {
    "lexical": _("shared words"),
    "semantic": _("similar meaning"),
    "capability": _("shared capabilities"),
    "sector": _("shared sectors"),
    "readiness": _("export readiness"),
    "market": _("market fit"),
}
assert set(FACTORS) == set(COMPONENTS), "every match factor needs a name"


@register.filter
def named(codes, names) -> list[str]:
    """Capability codes as their taxonomy names ({{ codes|named:capability_names }})."""
    names = names or {}
    return [names.get(code, code) for code in codes]


@register.filter
def factor(code: str) -> str:
    """A match factor's name in the active language ({{ "capability"|factor }})."""
    return str(FACTORS.get(code, code))
