"""What a market guide page and its PDF show, computed once for both (as readiness does)."""

from django.template.loader import render_to_string
from django.utils import timezone

from metacluster.countries import country_name
from metacluster.markets.choices import Offering

from .choices import BarrierKind
from .models import ExperienceReport, stale_after
from .queries import barriers_for


def guide_context(user, market: str, offering: str | None) -> dict:
    today = timezone.localdate()
    if offering not in Offering.values:
        offering = None
    barriers = list(
        barriers_for(user, market, offering).select_related(
            "helping_partner", "helping_service__provider", "confirmed_by", "programme"
        )
    )
    for barrier in barriers:
        barrier.stale = barrier.is_stale(today)
    by_kind = [
        (kind, label, [b for b in barriers if b.kind == kind])
        for kind, label in BarrierKind.choices
    ]
    reports = (
        ExperienceReport.objects.visible_to(user)
        .published()
        .filter(market=market)
        .select_related("company", "author", "barrier")
    )
    return {
        "market": market,
        "market_name": country_name(market),
        "offering": offering,
        "offerings": Offering.choices,
        "by_kind": by_kind,
        "barrier_count": len(barriers),
        "stale_count": sum(1 for b in barriers if b.stale),
        "reports": reports,
        "today": today,
        "stale_days": stale_after().days,
    }


def render_pdf(user, market: str, offering: str | None, language: str | None) -> bytes:
    """The guide as a PDF for an SME going on a mission: the same content as the page."""
    from weasyprint import HTML

    context = guide_context(user, market, offering) | {"language": language}
    html = render_to_string("guides/guide_pdf.html", context)
    return HTML(string=html).write_pdf()
