"""Open opportunities per market on the market ranking: only those the user may see."""

from datetime import timedelta

from django.utils import timezone

from metacluster.markets import intelligence

from .conftest import make_opportunity


def test_open_opportunities_are_counted_per_market(
    programme, lead_org, partner_org, capabilities, manager, advisor, outsider
):
    make_opportunity(programme, lead_org, capabilities, status="published")
    make_opportunity(programme, lead_org, capabilities, status="published", country="JP")
    # Past its deadline, or still a draft: not open, so not counted.
    make_opportunity(
        programme,
        lead_org,
        capabilities,
        status="published",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    make_opportunity(programme, lead_org, capabilities, status="draft")
    assert "opportunities" in [c.code for c in intelligence.counters()]
    counts = intelligence.counts(manager)
    assert counts["VN"]["opportunities"] == 1 and counts["JP"]["opportunities"] == 1
    # Another partner's advisor sees the published ones; another programme's user none.
    assert intelligence.counts(advisor)["VN"]["opportunities"] == 1
    assert "opportunities" not in intelligence.counts(outsider).get("VN", {})
