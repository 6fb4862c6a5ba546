"""Consortia through the API."""

from datetime import date

import pytest

from metacluster.consortia import workflows
from metacluster.consortia.models import Consortium, ConsortiumNeed
from metacluster.matchmaking.models import Capability
from metacluster.testing import assert_error, ids, token_client


@pytest.fixture
def consortium(programme, lead_org, company, other_company):
    consortium = Consortium.objects.create(
        programme=programme,
        name="Nordic Smart Port",
        market="JP",
        coordinator=lead_org,
        formed_on=date(2021, 5, 1),
    )
    consortium.members.set([company, other_company])
    return consortium


@pytest.fixture
def consortium_without_sme(programme, partner_org, other_company):
    consortium = Consortium.objects.create(
        programme=programme, name="Baltic Health", coordinator=partner_org
    )
    consortium.members.set([other_company])
    return consortium


@pytest.fixture
def outsider_consortium(outsider_programme, outsider_org, outsider_company):
    consortium = Consortium.objects.create(
        programme=outsider_programme, name="Elsewhere Group", coordinator=outsider_org
    )
    consortium.members.set([outsider_company])
    return consortium


def test_list_shows_consortia_with_their_members(advisor, consortium, company, other_company):
    body = token_client(advisor).get("/api/v1/consortia").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["name"], row["market"], row["coordinator"], row["formed_on"]) == (
        "Nordic Smart Port",
        "JP",
        "Fibre Valley Test",
        "2021-05-01",
    )
    assert row["members"] == [
        {"id": company.pk, "name": company.name, "country": "SE"},
        {"id": other_company.pk, "name": other_company.name, "country": "EE"},
    ]


def test_outsider_sees_only_its_own_consortia(outsider, consortium, outsider_consortium):
    client = token_client(outsider)
    assert ids(client.get("/api/v1/consortia")) == [outsider_consortium.pk]
    assert_error(client.get(f"/api/v1/consortia/{consortium.pk}"), 404)


def test_sme_user_sees_only_consortia_its_company_is_in(
    sme_user, consortium, consortium_without_sme
):
    client = token_client(sme_user)
    assert ids(client.get("/api/v1/consortia")) == [consortium.pk]
    assert_error(client.get(f"/api/v1/consortia/{consortium_without_sme.pk}"), 404)


def test_filter_by_programme(
    manager, programme, consortium, consortium_without_sme, outsider_consortium
):
    client = token_client(manager)
    assert set(ids(client.get(f"/api/v1/consortia?programme={programme.pk}"))) == {
        consortium.pk,
        consortium_without_sme.pk,
    }
    other = outsider_consortium.programme_id
    assert ids(client.get(f"/api/v1/consortia?programme={other}")) == []
    assert ids(client.get("/api/v1/consortia?market=jp")) == [consortium.pk]
    assert_error(client.get("/api/v1/consortia?programme=nordic"), 400, "programme")


def test_consortia_are_read_only(manager, consortium):
    response = token_client(manager).post("/api/v1/consortia", {}, content_type="application/json")
    assert_error(response, 405)


# --- Needs and proposals -------------------------------------------------------------------------


def test_an_advisor_asks_for_explained_proposals(advisor, need, company, third_company):
    client = token_client(advisor)
    response = client.post(
        f"/api/v1/consortia/needs/{need.pk}/proposals",
        {"alternatives": 2},
        content_type="application/json",
    )
    assert response.status_code == 201
    best = response.json()[0]
    assert {m["company_id"] for m in best["members"]} == {company.pk, third_company.pk}
    assert best["missing"] == [] and best["problems"] == []
    assert {c["capability"]: c["companies"] for c in best["covers"]} == {
        "energy": [third_company.pk],
        "mobility": [company.pk],
        "water": [third_company.pk],
    }
    listed = client.get(f"/api/v1/consortia/proposals?need={need.pk}").json()
    assert listed["count"] == len(response.json())
    got = client.get(f"/api/v1/consortia/needs/{need.pk}").json()
    assert [c["code"] for c in got["capabilities"]] == ["energy", "mobility", "water"]


def test_proposing_refuses_unknown_input(advisor, need):
    response = token_client(advisor).post(
        f"/api/v1/consortia/needs/{need.pk}/proposals",
        {"alternatives": 9, "colour": "red"},
        content_type="application/json",
    )
    assert_error(response, 400)


def test_viewers_cannot_propose_and_outsiders_cannot_see(viewer, outsider, need):
    response = token_client(viewer).post(
        f"/api/v1/consortia/needs/{need.pk}/proposals", {}, content_type="application/json"
    )
    assert_error(response, 403)
    client = token_client(outsider)
    assert_error(client.get(f"/api/v1/consortia/needs/{need.pk}"), 404)
    assert ids(client.get("/api/v1/consortia/needs")) == []


def test_sme_users_see_only_proposals_they_are_invited_to(sme_user, need):
    [proposal] = workflows.propose(need, alternatives=1)
    client = token_client(sme_user)
    assert ids(client.get("/api/v1/consortia/proposals")) == []
    workflows.invite(proposal, version=proposal.version)
    assert ids(client.get("/api/v1/consortia/proposals")) == [proposal.pk]
    assert ids(client.get("/api/v1/consortia/needs")) == [need.pk]


def test_the_joint_offer_of_a_consortium(advisor, consortium):
    offer = token_client(advisor).get(f"/api/v1/consortia/{consortium.pk}/joint-offer").json()
    assert offer["kind"] == "consortium" and offer["title"] == "Nordic Smart Port"
    assert offer["countries"] == ["EE", "SE"]


# --- Needs: create and edit --------------------------------------------------------------------


def need_body(programme, caps, **changes):
    body = {
        "programme": programme.pk,
        "title": "Tallinn port logistics package",
        "market": "CL",
        "capabilities": [caps["mobility"].pk, caps["energy"].pk],
        "min_countries": 2,
        "min_size": 2,
        "max_size": 4,
    }
    return body | changes


def test_an_advisor_defines_a_need_with_its_capabilities(advisor, programme, capabilities):
    response = token_client(advisor).post(
        "/api/v1/consortia/needs",
        need_body(programme, capabilities),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    need = response.json()
    assert (need["title"], need["market"], need["max_size"]) == (
        "Tallinn port logistics package",
        "CL",
        4,
    )
    assert sorted(c["code"] for c in need["capabilities"]) == ["energy", "mobility"]


def test_a_need_takes_only_capabilities_of_its_own_programme(
    advisor, programme, capabilities, outsider_programme
):
    foreign = Capability.objects.create(programme=outsider_programme, code="ports", name="Ports")
    body = need_body(programme, capabilities, capabilities=[foreign.pk])
    response = token_client(advisor).post(
        "/api/v1/consortia/needs", body, content_type="application/json"
    )
    assert_error(response, 400, field="capabilities")
    assert not ConsortiumNeed.objects.filter(title=body["title"]).exists()


def test_size_bounds_are_checked(advisor, programme, capabilities):
    body = need_body(programme, capabilities, min_size=5, max_size=3)
    response = token_client(advisor).post(
        "/api/v1/consortia/needs", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not ConsortiumNeed.objects.filter(title=body["title"]).exists()


def test_outsiders_and_smes_cannot_define_needs_in_the_programme(
    outsider, sme_user, programme, capabilities
):
    body = need_body(programme, capabilities)
    assert_error(
        token_client(outsider).post(
            "/api/v1/consortia/needs", body, content_type="application/json"
        ),
        400,
        field="programme",
    )
    assert_error(
        token_client(sme_user).post(
            "/api/v1/consortia/needs", body, content_type="application/json"
        ),
        403,
    )
    assert not ConsortiumNeed.objects.filter(title=body["title"]).exists()


def test_editing_a_need_replaces_its_capabilities_and_checks_the_version(
    advisor, need, capabilities
):
    client = token_client(advisor)
    url = f"/api/v1/consortia/needs/{need.pk}"
    version = client.get(url).json()["version"]
    response = client.patch(
        url,
        {"version": version, "capabilities": [capabilities["water"].pk], "market": None},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert [c["code"] for c in response.json()["capabilities"]] == ["water"]
    assert response.json()["market"] == ""
    stale = client.patch(
        url, {"version": version, "title": "Overwritten"}, content_type="application/json"
    )
    assert_error(stale, 409)
    need.refresh_from_db()
    assert need.title == "Da Nang smart-city package"
