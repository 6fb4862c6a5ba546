"""Consortia's joint offers as candidates for an opportunity, ranked like one company."""

from metacluster.consortia.models import Consortium
from metacluster.matchmaking import adapters
from metacluster.matchmaking.choices import Visibility

from .conftest import make_opportunity


def form(programme, coordinator, members, name="Baltic Parking Alliance"):
    consortium = Consortium.objects.create(
        programme=programme,
        name=name,
        coordinator=coordinator,
        statement="Parking sensors with payments: one contract for the whole car park.",
    )
    consortium.members.set(members)
    return consortium


def test_a_consortium_is_ranked_for_an_opportunity_with_its_joint_evidence(
    opportunity, programme, lead_org, company, other_company, manager
):
    consortium = form(programme, lead_org, [company, other_company])
    [ranked] = adapters.consortia_for(opportunity, viewer=manager)
    assert ranked.consortium == consortium
    assert {m["name"] for m in ranked.members} == {company.name, other_company.name}
    explanation = ranked.match.explanation
    # The members' offers together cover the opportunity's capabilities.
    assert set(explanation.shared_capabilities) == {"smart-mobility", "iot"}
    assert "parking" in explanation.matched_terms
    assert ranked.match.score > 0


def test_the_companies_own_ranking_does_not_change_with_consortia(
    opportunity, programme, lead_org, company, other_company, manager
):
    before = [(r.company, r.match.score) for r in adapters.companies_for(opportunity)[1]]
    form(programme, lead_org, [company, other_company])
    after = [(r.company, r.match.score) for r in adapters.companies_for(opportunity)[1]]
    assert before == after


def test_a_consortium_with_a_member_outside_the_eligible_countries_is_left_out(
    opportunity, programme, lead_org, company, other_company, manager
):
    form(programme, lead_org, [company, other_company])  # SE and EE
    opportunity.eligible_countries = ["SE"]
    opportunity.save()
    assert adapters.consortia_for(opportunity, viewer=manager) == []


def test_a_private_opportunity_gets_only_its_partners_consortia_and_outsiders_see_none(
    programme,
    lead_org,
    partner_org,
    capabilities,
    offers,
    company,
    other_company,
    manager,
    outsider,
):
    form(programme, lead_org, [company, other_company])
    private = make_opportunity(programme, partner_org, capabilities, visibility=Visibility.PARTNER)
    assert adapters.consortia_for(private, viewer=manager) == []
    public = make_opportunity(programme, partner_org, capabilities)
    assert adapters.consortia_for(public, viewer=outsider) == []
    assert len(adapters.consortia_for(public, viewer=manager)) == 1


def test_the_opportunity_page_lists_the_consortium(
    opportunity, programme, lead_org, company, other_company, manager, client
):
    form(programme, lead_org, [company, other_company])
    client.force_login(manager)
    page = client.get(f"/matchmaking/opportunities/{opportunity.pk}/").content.decode()
    assert 'id="consortia"' in page and "Baltic Parking Alliance" in page
