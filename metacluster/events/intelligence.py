"""B2B meetings per market, for the markets app's intelligence counters."""

from collections import Counter

from django.utils.translation import gettext_lazy as _


def meetings_with_buyers(user) -> dict[str, int]:
    """ISO2 country → scheduled meetings the user sees with a foreign buyer from there (a
    meeting between two buyers counts for each one's country once)."""
    from .choices import ParticipantKind
    from .models import Meeting

    rows = (
        Meeting.objects.visible_to(user)
        .scheduled()
        .order_by()
        .values_list(
            "request__sender__kind",
            "request__sender__country",
            "request__recipient__kind",
            "request__recipient__country",
        )
    )
    counts: Counter = Counter()
    for sender_kind, sender_country, recipient_kind, recipient_country in rows:
        markets = {
            country
            for kind, country in (
                (sender_kind, sender_country),
                (recipient_kind, recipient_country),
            )
            if kind == ParticipantKind.BUYER and country
        }
        counts.update(markets)
    return dict(counts)


def register() -> None:
    from metacluster.markets import intelligence

    intelligence.register("meetings", _("B2B meetings with buyers"), meetings_with_buyers)
