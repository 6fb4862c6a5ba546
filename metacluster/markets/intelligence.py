"""The programme's own intelligence per market: what the platform already knows about each
country (4SmartGrowth's "joint business intelligence"), shown beside the public indicators.

Each counter counts, per market (ISO 3166 alpha-2 code), the records a user may see. The
markets app registers deals, pilots, first sales and feasibility studies; other apps add
theirs by calling `register` from their `AppConfig.ready()` (or from this module's
`_builtin`), e.g. for open opportunities or meetings::

    from metacluster.markets import intelligence

    def open_opportunities(user) -> dict[str, int]:
        rows = Opportunity.objects.visible_to(user).open().values_list("country")
        return dict(rows.annotate(n=Count("pk")).values_list("country", "n"))

    intelligence.register("opportunities", _("Open opportunities"), open_opportunities,
                          url=lambda market: f"/matchmaking/?country={market}")

A counter must start from `visible_to(user)`, so nobody learns of records they cannot open.
A counter registered with `per_offering=True` is called as `count(user, offering)` and counts
only what concerns that offering (e.g. a market guide's open barriers for it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

__all__ = ["Counter", "counters", "counts", "register"]


@dataclass(frozen=True)
class Counter:
    code: str
    label: str
    count: Callable  # (user) -> {ISO2 market: number}
    url: Callable | None = None  # (ISO2 market) -> link to the records counted
    per_offering: bool = False  # count(user, offering) rather than count(user)


_REGISTRY: dict[str, Counter] = {}


def register(
    code: str, label, count: Callable, *, url: Callable | None = None, per_offering: bool = False
) -> None:
    """Add (or replace) a counter; the order of registration is the order of the columns."""
    _REGISTRY[code] = Counter(code, label, count, url, per_offering)


def counters() -> list[Counter]:
    return list(_REGISTRY.values())


def counts(user, offering: str | None = None) -> dict[str, dict[str, int]]:
    """ISO2 market → {counter code: number} for every market with at least one record;
    per-offering counters count for `offering` (for every offering when None)."""
    result: dict[str, dict[str, int]] = {}
    for counter in counters():
        found = counter.count(user, offering) if counter.per_offering else counter.count(user)
        for market, number in found.items():
            if number:
                result.setdefault(market, {})[counter.code] = number
    return result


def _per_market(queryset, field: str = "market") -> dict[str, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    return dict(rows)


def _open_deals(user) -> dict[str, int]:
    from metacluster.deals.models import Deal

    return _per_market(Deal.objects.visible_to(user).open())


def _pilots(user) -> dict[str, int]:
    from metacluster.deals.choices import DealStage
    from metacluster.deals.models import Deal

    return _per_market(Deal.objects.visible_to(user).filter(stage=DealStage.PILOT))


def _first_sales(user) -> dict[str, int]:
    from metacluster.deals.models import Deal

    return _per_market(Deal.objects.visible_to(user).first_sales())


def _studies(user) -> dict[str, int]:
    from .models import FeasibilityStudy

    return _per_market(FeasibilityStudy.objects.visible_to(user))


def _builtin() -> None:
    register("deals", _("Open deals"), _open_deals, url=lambda m: f"/deals/?market={m}")
    register("pilots", _("Pilots"), _pilots, url=lambda m: f"/deals/?market={m}&stage=pilot")
    register("first_sales", _("First sales"), _first_sales)
    register(
        "studies", _("Feasibility studies"), _studies, url=lambda m: f"/markets/studies/?market={m}"
    )


_builtin()
