"""Readiness and market fit from the other tools: they move a match up, and say so."""

import pytest
from django.utils import timezone

from metacluster.conftest import make_user
from metacluster.matchmaking import adapters
from metacluster.readiness.models import Assessment

from .conftest import make_opportunity, offer


@pytest.fixture
def twins(company, other_company, programme, capabilities):
    """Two companies that offer exactly the same thing, so that only a signal can part them."""
    other_company.name = "Beta Fictional AB"  # "OÜ" would make its text look Estonian
    other_company.country = company.country  # the same home: the same market ranking
    other_company.save()
    for who in (company, other_company):
        offer(who, programme, "Parking sensors", "Wireless parking sensors.", ["iot"], capabilities)
    return company, other_company


def assess(company, programme, organisation, overall, *, shared=False):
    now = timezone.now()
    return Assessment.objects.create(
        programme=programme,
        company=company,
        organisation=organisation,
        instrument_version="test",
        status="completed",
        completed_at=now,
        assessed_on=now.date(),
        overall=overall,
        stage="active",
        shared=shared,
    )


def order(ranked):
    return [r.company for r in ranked]


def test_a_higher_readiness_score_lifts_a_company_and_is_named(
    twins, programme, lead_org, partner_org, capabilities
):
    company, other_company = twins
    opportunity = make_opportunity(programme, lead_org, capabilities, codes=("iot",))
    _mode, before = adapters.companies_for(opportunity)
    assert order(before)[:2] == [company, other_company]  # a tie, broken by id

    assess(other_company, programme, partner_org, 90)
    assess(company, programme, lead_org, 30)
    _mode, after = adapters.companies_for(opportunity)
    assert order(after)[:2] == [other_company, company]
    first = after[0].match.explanation
    assert first.signals["readiness"] == "Active exporter: readiness 90/100"
    assert "Active exporter: readiness 90/100" in " ".join(first.reasons())


def test_the_latest_completed_assessment_counts(twins, programme, lead_org, capabilities):
    company, _other = twins
    assess(company, programme, lead_org, 20)
    assess(company, programme, lead_org, 75)
    [record] = adapters.company_records(programme, type(company).objects.filter(pk=company.pk))
    assert record.readiness == pytest.approx(0.75)


def test_an_assessment_the_viewer_may_not_see_neither_ranks_nor_shows(
    twins, programme, lead_org, partner_org, capabilities, advisor
):
    company, other_company = twins
    opportunity = make_opportunity(programme, lead_org, capabilities, codes=("iot",))
    assess(other_company, programme, partner_org, 90)  # partner_org's own, not shared
    manager = make_user("lead-manager", organisation=lead_org, role="manager")

    _mode, for_lead = adapters.companies_for(opportunity, viewer=manager)
    assert order(for_lead)[:2] == [company, other_company]
    assert all("readiness" not in r.match.explanation.signals for r in for_lead)

    _mode, for_partner = adapters.companies_for(opportunity, viewer=advisor)
    assert order(for_partner)[0] == other_company


def test_a_market_that_ranks_higher_for_the_offering_lifts_the_company(
    twins, programme, lead_org, capabilities
):
    company, other_company = twins
    # Same home country, different offerings: an ICT firm and a manufacturer.
    company.nace_codes, other_company.nace_codes = ["62.01"], ["26.51"]
    company.save()
    other_company.save()
    ict, _ = adapters._market_ranks(company.country, "ict-services")
    goods, total = adapters._market_ranks(company.country, "goods")
    # A market whose rank differs most between the two offerings.
    market = max(ict.keys() & goods.keys(), key=lambda c: abs(ict[c][0] - goods[c][0]))
    assert ict[market][0] != goods[market][0]
    opportunity = make_opportunity(
        programme, lead_org, capabilities, codes=("iot",), country=market
    )

    _mode, ranked = adapters.companies_for(opportunity)
    better = company if ict[market][0] < goods[market][0] else other_company
    assert order(ranked)[0] == better
    note = ranked[0].match.explanation.signals["market"]
    offering = "ICT services" if better == company else "goods"
    position = min(ict[market][0], goods[market][0])
    assert note.startswith(f"{ict[market][1]} ranks {position}")
    assert note.endswith(f"of {total} for your {offering}")
