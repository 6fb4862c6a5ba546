"""Forming a consortium, step by step: proposals from the companies' offers, edits that
update coverage, invitations and answers, and the formed consortium with its joint offer."""

import pytest
from django.core.exceptions import ValidationError

from metacluster.consortia import workflows
from metacluster.consortia.choices import MemberRole, ProposalStatus, Response
from metacluster.consortia.kpis import consortium_kpis
from metacluster.consortia.models import CompetitorPair, MemberCapacity
from metacluster.programmes.kpis import ConsortiumCount, facts_of
from metacluster.versioning import StaleEdit


def members_of(proposal):
    return sorted(m.company.name for m in proposal.members.select_related("company"))


def test_proposals_cover_the_need_from_the_offers(need, company, third_company):
    [best] = workflows.propose(need, alternatives=3)
    assert members_of(best) == [company.name, third_company.name]
    explanation = workflows.explain(best)
    assert explanation.complete
    assert [(cap.code, [c.name for c in who]) for cap, who in explanation.covers] == [
        ("energy", [third_company.name]),
        ("mobility", [company.name]),
        ("water", [third_company.name]),
    ]
    assert explanation.countries == ["FI", "SE"]
    assert best.members.filter(role=MemberRole.LEAD).count() == 1


def test_an_uncoverable_need_says_what_is_missing(need, programme, third_company):
    third_company.offers.all().delete()  # nobody offers water any more
    [proposal] = workflows.propose(need)
    explanation = workflows.explain(proposal)
    assert not explanation.complete
    assert [c.code for c in explanation.missing] == ["water"]
    assert "Not every required capability is covered." in explanation.problems


def test_competitors_are_not_proposed_together(
    need, programme, company, other_company, third_company
):
    CompetitorPair.objects.create(programme=programme, first=company, second=third_company)
    proposals = workflows.propose(need)
    for proposal in proposals:
        names = members_of(proposal)
        assert not (company.name in names and third_company.name in names)
    assert not workflows.explain(proposals[0]).complete  # mobility needs company, water third


def test_capacity_counts_formed_consortia(need, programme, company, lead_org):
    MemberCapacity.objects.create(programme=programme, company=company, max_consortia=0)
    [proposal] = workflows.propose(need)
    assert company.name not in members_of(proposal)
    assert [c.code for c in workflows.explain(proposal).missing] == ["mobility"]


def test_editing_updates_coverage_and_refuses_stale_versions(need, other_company, third_company):
    [proposal] = workflows.propose(need, alternatives=1)
    version = proposal.version
    workflows.add_member(proposal, other_company, version=version)
    proposal.refresh_from_db()
    assert proposal.version == version + 1 and proposal.edited
    assert other_company.name in members_of(proposal)
    with pytest.raises(StaleEdit):
        workflows.remove_member(proposal, other_company, version=version)
    workflows.remove_member(proposal, third_company, version=proposal.version)
    explanation = workflows.explain(proposal)
    assert [c.code for c in explanation.missing] == ["water"]
    with pytest.raises(ValidationError):
        workflows.invite(proposal, version=proposal.version)


def test_invite_answer_form_and_joint_offer(
    need, company, third_company, lead_org, sme_user, manager
):
    [proposal] = workflows.propose(need, alternatives=1)
    workflows.invite(proposal, version=proposal.version)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INVITED
    with pytest.raises(ValidationError):  # members are fixed once invited
        workflows.add_member(proposal, third_company, version=proposal.version)
    for member in proposal.members.all():
        workflows.respond(member, accept=True, by=manager)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AGREED
    consortium = workflows.form_consortium(
        proposal, coordinator=lead_org, name="Da Nang Nordic Smart City", version=proposal.version
    )
    assert set(consortium.members.all()) == {company, third_company}
    assert consortium.market == "VN" and consortium.need == need
    assert "Mobility: Alpha Fictional AB." in consortium.statement
    offer = workflows.joint_offer(consortium)
    assert offer["capabilities"] == ["energy", "mobility", "water"]
    assert offer["countries"] == ["FI", "SE"]
    assert {m["name"]: m["capabilities"] for m in offer["members"]} == {
        company.name: ["mobility"],
        third_company.name: ["energy", "water"],
    }
    assert sorted(m["role"] for m in offer["members"]) == ["lead", "member"]


def test_a_declined_invitation_keeps_the_proposal_from_forming(need, lead_org, manager):
    [proposal] = workflows.propose(need, alternatives=1)
    workflows.invite(proposal, version=proposal.version)
    first, second = proposal.members.all()
    workflows.respond(first, accept=True, by=manager)
    workflows.respond(second, accept=False, by=manager)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INVITED
    assert second.response == Response.DECLINED
    with pytest.raises(ValidationError):
        workflows.form_consortium(proposal, coordinator=lead_org, version=proposal.version)


def test_formed_consortia_feed_the_programme_kpis(need, programme, lead_org, manager):
    [proposal] = workflows.propose(need, alternatives=1)
    workflows.invite(proposal, version=proposal.version)
    for member in proposal.members.all():
        workflows.respond(member, accept=True, by=manager)
    proposal.refresh_from_db()
    workflows.form_consortium(proposal, coordinator=lead_org, version=proposal.version)
    kpis = consortium_kpis(programme)
    assert (kpis.formed, kpis.member_companies, kpis.cross_border_share) == (1, 2, 1.0)
    assert len({f.key for f in facts_of(ConsortiumCount("consortia", 2), programme)}) == 1
    assert len({f.key for f in facts_of(ConsortiumCount("members", 2), programme)}) == 2


def test_batch_formation_respects_capacity_across_needs(need, programme, capabilities, manager):
    second = type(need).objects.create(programme=programme, title="Ho Chi Minh City water")
    second.capabilities.set([capabilities["energy"], capabilities["mobility"]])
    stats = workflows.form_batch(programme, [need, second], by=manager, seconds=5)
    # company (SE) is the only one offering mobility and can join one consortium.
    assert (stats["needs_covered"], stats["bound"], stats["optimal"]) == (1, 1, True)


def test_a_need_can_be_made_of_an_opportunity(programme, capabilities):
    class Opportunity:  # the shape a matchmaking opportunity has
        pk = 7
        title = "Smart lighting for Hue"
        market = "VN"
        description = ""

        def __init__(self):
            self.programme = programme
            self.required_capabilities = type(capabilities["energy"]).objects.filter(
                code__in=["energy", "water"]
            )

    need = workflows.need_from_opportunity(Opportunity(), max_size=4)
    assert need.source == "opportunity:7" and need.max_size == 4
    assert sorted(c.code for c in need.capabilities.all()) == ["energy", "water"]
