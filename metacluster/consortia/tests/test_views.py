"""The consortium pages: who sees what, who may change what, and editing with live coverage."""

from metacluster.consortia import workflows
from metacluster.consortia.choices import ProposalStatus, Response
from metacluster.consortia.models import (
    CompetitorPair,
    Consortium,
    ConsortiumNeed,
    MemberCapacity,
    Proposal,
)


def url(programme, rest=""):
    return f"/programmes/{programme.acronym}/consortia/{rest}"


def test_consortia_are_listed_for_partners_and_hidden_from_outsiders(
    log_in, advisor, outsider, programme, company, other_company, lead_org
):
    consortium = Consortium.objects.create(
        programme=programme, name="Smart Water Fictional", market="VN", coordinator=lead_org
    )
    consortium.members.set([company, other_company])
    client = log_in(advisor)
    response = client.get(url(programme))
    assert [c.name for c in response.context["consortia"]] == ["Smart Water Fictional"]
    assert response.context["kpis"].formed == 1
    assert client.get(url(programme, f"{consortium.pk}/")).status_code == 200
    client = log_in(outsider)
    assert client.get(url(programme)).status_code == 404
    assert client.get(url(programme, f"{consortium.pk}/")).status_code == 404


def test_an_advisor_creates_a_need_and_asks_for_proposals(
    log_in, advisor, programme, capabilities, offers
):
    client = log_in(advisor)
    response = client.post(
        url(programme, "needs/new/"),
        {
            "title": "Hue smart lighting",
            "market": "VN",
            "capabilities": [capabilities["energy"].pk, capabilities["mobility"].pk],
            "min_countries": 2,
            "min_size": 2,
            "max_size": 4,
        },
    )
    need = ConsortiumNeed.objects.get(title="Hue smart lighting")
    assert response.status_code == 302
    response = client.post(url(programme, f"needs/{need.pk}/propose/"))
    assert response.status_code == 302
    page = client.get(url(programme, f"needs/{need.pk}/"))
    proposals = page.context["proposals"]
    assert proposals and all(explanation.complete for _, explanation in proposals)
    assert b"Covered by" in page.content


def test_a_need_with_impossible_bounds_is_refused(log_in, advisor, programme, capabilities):
    client = log_in(advisor)
    response = client.post(
        url(programme, "needs/new/"),
        {
            "title": "Bad",
            "capabilities": [capabilities["water"].pk],
            "min_countries": 2,
            "min_size": 4,
            "max_size": 3,
        },
    )
    assert response.status_code == 200
    assert "min_size" in response.context["form"].errors
    assert not ConsortiumNeed.objects.filter(title="Bad").exists()


def test_viewers_and_outsiders_cannot_change_anything(log_in, viewer, outsider, need, programme):
    [proposal] = workflows.propose(need, alternatives=1)
    client = log_in(viewer)
    assert client.get(url(programme, f"needs/{need.pk}/")).status_code == 200
    assert client.post(url(programme, f"needs/{need.pk}/propose/")).status_code == 403
    assert client.get(url(programme, "needs/new/")).status_code == 403
    assert client.get(url(programme, "batch/")).status_code == 403
    assert client.post(url(programme, f"proposals/{proposal.pk}/invite/")).status_code == 403
    client = log_in(outsider)
    for path in (f"needs/{need.pk}/", f"proposals/{proposal.pk}/", "rules/"):
        assert client.get(url(programme, path)).status_code == 404
    assert client.post(url(programme, f"needs/{need.pk}/propose/")).status_code == 404


def test_editing_members_with_htmx_updates_coverage(
    log_in, advisor, need, programme, third_company
):
    [proposal] = workflows.propose(need, alternatives=1)
    client = log_in(advisor)
    response = client.post(
        url(programme, f"proposals/{proposal.pk}/members/"),
        {"action": "remove", "company": third_company.pk, "version": proposal.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "consortia/_members.html"
    assert [c.code for c in response.context["explanation"].missing] == ["energy", "water"]
    # The same edit again, from a page loaded before it: refused, nothing lost.
    response = client.post(
        url(programme, f"proposals/{proposal.pk}/members/"),
        {"action": "add", "company": third_company.pk, "version": proposal.version},
        HTTP_HX_REQUEST="true",
    )
    assert "Someone else changed this proposal" in response.content.decode()
    proposal.refresh_from_db()
    assert not proposal.members.filter(company=third_company).exists()


def test_sme_users_see_only_proposals_they_are_invited_to_and_answer_for_themselves(
    log_in, advisor, sme_user, need, programme, company, third_company
):
    [proposal] = workflows.propose(need, alternatives=1)
    client = log_in(sme_user)
    assert client.get(url(programme, f"proposals/{proposal.pk}/")).status_code == 404
    assert client.get(url(programme, f"needs/{need.pk}/")).status_code == 404
    workflows.invite(proposal, version=proposal.version)
    assert client.get(url(programme, f"proposals/{proposal.pk}/")).status_code == 200
    assert client.get(url(programme)).context["invitations"]
    own = proposal.members.get(company=company)
    other = proposal.members.get(company=third_company)
    answer = url(programme, f"proposals/{proposal.pk}/answers/")
    assert client.post(f"{answer}{other.pk}/", {"answer": "accepted"}).status_code == 403
    assert client.post(f"{answer}{own.pk}/", {"answer": "accepted"}).status_code == 302
    own.refresh_from_db(), other.refresh_from_db()
    assert (own.response, own.responded_by) == (Response.ACCEPTED, sme_user)
    assert other.response == Response.PENDING
    assert client.get(url(programme, "rules/")).status_code == 403


def test_an_agreed_proposal_becomes_a_consortium(log_in, advisor, need, programme, partner_org):
    [proposal] = workflows.propose(need, alternatives=1)
    workflows.invite(proposal, version=proposal.version)
    for member in proposal.members.all():
        workflows.respond(member, accept=True, by=advisor)
    proposal.refresh_from_db()
    client = log_in(advisor)
    response = client.post(
        url(programme, f"proposals/{proposal.pk}/form/"),
        {"name": "Nordic Da Nang", "coordinator": partner_org.pk, "version": proposal.version},
    )
    consortium = Consortium.objects.get(name="Nordic Da Nang")
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.FORMED
    offer = client.get(url(programme, f"{consortium.pk}/offer.json")).json()
    assert offer["kind"] == "consortium" and len(offer["members"]) == 2


def test_capacity_and_competitors_are_editable(log_in, advisor, programme, company, other_company):
    client = log_in(advisor)
    rules = url(programme, "rules/")
    client.post(rules, {"capacity-company": company.pk, "capacity-max_consortia": 2})
    client.post(rules, {"capacity-company": company.pk, "capacity-max_consortia": 3})
    assert MemberCapacity.objects.get(company=company).max_consortia == 3
    client.post(rules, {"competitor-first": other_company.pk, "competitor-second": company.pk})
    pair = CompetitorPair.objects.get()
    assert (pair.first_id, pair.second_id) == tuple(sorted([company.pk, other_company.pk]))
    response = client.post(rules, {"competitor-first": company.pk, "competitor-second": company.pk})
    assert response.status_code == 200 and CompetitorPair.objects.count() == 1
    client.post(rules, {"delete-competitors": pair.pk})
    assert not CompetitorPair.objects.exists()


def test_the_joint_offer_profile_is_edited_with_versions(log_in, advisor, programme, lead_org):
    consortium = Consortium.objects.create(programme=programme, name="A", coordinator=lead_org)
    Consortium.objects.create(programme=programme, name="B", coordinator=lead_org)
    client = log_in(advisor)
    edit = url(programme, f"{consortium.pk}/edit/")
    response = client.post(edit, {"name": "B", "statement": "x", "version": consortium.version})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(edit, {"name": "A", "statement": "Water and energy", "version": 1})
    assert response.status_code == 302
    response = client.post(edit, {"name": "A", "statement": "Stale edit", "version": 1})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    consortium.refresh_from_db()
    assert (consortium.statement, consortium.version) == ("Water and energy", 2)
