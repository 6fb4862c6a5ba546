"""What other apps ask of the market guides: counts and lists of a market's known barriers.

The markets app shows these beside its ranking and in a feasibility study's checklist; every
answer starts from `Barrier.objects.visible_to(user)`, so nobody learns of barriers they
cannot open.
"""

from collections.abc import Iterable

from django.db.models import Count

from .models import Barrier


def open_barrier_counts(
    user, programme=None, countries: Iterable[str] | None = None, offering: str | None = None
) -> dict[str, int]:
    """ISO2 market → number of open barriers for the offering (all offerings when None), in
    one programme or in every programme the user sees."""
    barriers = Barrier.objects.visible_to(user).open().for_offering(offering)
    if programme is not None:
        barriers = barriers.filter(programme=programme)
    if countries is not None:
        barriers = barriers.filter(market__in=[c.upper() for c in countries])
    rows = barriers.order_by().values("market").annotate(n=Count("pk")).values_list("market", "n")
    return dict(rows)


def markets_with_guides(user, countries: Iterable[str]) -> set[str]:
    """Those of these ISO2 markets whose guide the user can open: markets with at least one
    barrier the user sees (a guide starts with its first barrier)."""
    codes = [c.upper() for c in countries]
    barriers = Barrier.objects.visible_to(user).filter(market__in=codes)
    return set(barriers.order_by().values_list("market", flat=True).distinct())


def open_barriers_per_market(user, offering: str | None = None) -> dict[str, int]:
    """The market-intelligence counter (see metacluster.markets.intelligence)."""
    return open_barrier_counts(user, offering=offering)


def barriers_for(user, market: str, offering: str | None = None, programme=None):
    """The open barriers of one market a user may see, for an offering, by kind."""
    barriers = (
        Barrier.objects.visible_to(user)
        .open()
        .filter(market=market.upper())
        .for_offering(offering)
        .order_by("kind", "title", "pk")
    )
    if programme is not None:
        barriers = barriers.filter(programme=programme)
    return barriers
