"""The per-market counters of the programme's own records, and the hook to add more."""

import pytest

from metacluster.deals.models import Deal
from metacluster.markets import intelligence


@pytest.fixture
def deals(
    programme,
    company,
    other_company,
    lead_org,
    partner_org,
    outsider_programme,
    outsider_company,
    outsider_org,
):
    Deal.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        market="JP",
        counterpart="A KK",
        stage="pilot",
    )
    Deal.objects.create(
        programme=programme,
        company=other_company,
        partner=partner_org,
        market="JP",
        counterpart="B KK",
    )
    Deal.objects.create(
        programme=outsider_programme,
        company=outsider_company,
        partner=outsider_org,
        market="JP",
        counterpart="C KK",
    )


def test_counts_only_what_the_user_may_see(deals, manager, sme_user, outsider):
    assert intelligence.counts(manager)["JP"] == {"deals": 2, "pilots": 1}
    assert intelligence.counts(sme_user)["JP"] == {"deals": 1, "pilots": 1}
    assert intelligence.counts(outsider)["JP"] == {"deals": 1}


def test_another_app_can_register_a_counter(manager, monkeypatch):
    monkeypatch.setattr(intelligence, "_REGISTRY", dict(intelligence._REGISTRY))
    intelligence.register("webinars", "Webinars", lambda user: {"DE": 3, "FR": 0})
    assert intelligence.counts(manager)["DE"] == {"webinars": 3}
    assert "webinars" not in intelligence.counts(manager).get("FR", {})  # zero is not shown
    assert [c.code for c in intelligence.counters()][-1] == "webinars"
