"""Consortia through the API."""

from datetime import date

import pytest

from metacluster.consortia import workflows
from metacluster.consortia.models import Consortium
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
