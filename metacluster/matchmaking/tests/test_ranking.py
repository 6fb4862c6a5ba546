"""Matches both ways on records: evidence, visibility, expiry."""

from datetime import timedelta

from django.utils import timezone

from metacluster.matchmaking import adapters
from metacluster.matchmaking.choices import Visibility
from metacluster.matchmaking.models import Opportunity
from metacluster.matchmaking.workflows import give_feedback

from .conftest import make_opportunity


def test_the_company_with_the_exact_capabilities_ranks_first(opportunity, company, other_company):
    mode, ranked = adapters.companies_for(opportunity)
    assert mode == "lexical"
    assert [r.company for r in ranked][0] == company
    first = ranked[0].match.explanation
    assert set(first.shared_capabilities) == {"smart-mobility", "iot"}
    assert "parking" in first.matched_terms


def test_an_expired_opportunity_matches_nobody(opportunity, company):
    opportunity.deadline = timezone.localdate() - timedelta(days=1)
    opportunity.save()
    assert adapters.companies_for(opportunity) == ("closed", [])
    mode, ranked = adapters.opportunities_for(company, Opportunity.objects.all())
    assert ranked == []


def test_a_private_opportunity_reaches_only_the_publishing_partners_companies(
    programme, lead_org, partner_org, capabilities, company, other_company, offers
):
    # company works with lead_org, other_company with partner_org.
    private = make_opportunity(
        programme,
        partner_org,
        capabilities,
        codes=("smart-mobility",),
        visibility=Visibility.PARTNER,
    )
    _mode, ranked = adapters.companies_for(private)
    assert {r.company for r in ranked} <= {other_company}
    _mode, for_company = adapters.opportunities_for(company, Opportunity.objects.all())
    assert private not in [r.opportunity for r in for_company]


def test_not_relevant_feedback_hides_the_opportunity_from_that_company(opportunity, company):
    give_feedback(opportunity, company, "not_relevant")
    _mode, ranked = adapters.opportunities_for(company, Opportunity.objects.all())
    assert opportunity not in [r.opportunity for r in ranked]
    # The advisor still sees the match, marked.
    _mode, ranked = adapters.companies_for(opportunity)
    assert next(r for r in ranked if r.company == company).verdict == "not_relevant"
