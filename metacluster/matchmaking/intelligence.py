"""Open opportunities per market, for the markets app's intelligence counters."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _


def open_opportunities(user) -> dict[str, int]:
    """ISO2 country → open (published, not past the deadline) opportunities the user sees."""
    from .models import Opportunity

    rows = Opportunity.objects.visible_to(user).open().order_by().values("country")
    return dict(rows.annotate(n=Count("pk")).values_list("country", "n"))


def register() -> None:
    from metacluster.markets import intelligence

    intelligence.register("opportunities", _("Open opportunities"), open_opportunities)
