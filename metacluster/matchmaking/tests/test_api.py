"""The JSON API: create, patch with versions, matches, interests, feedback."""

from metacluster.matchmaking.models import Feedback, Opportunity
from metacluster.testing import assert_error, token_client


def test_create_and_patch_an_opportunity(programme, manager, capabilities):
    client = token_client(manager)
    response = client.post(
        "/api/v1/opportunities",
        {
            "programme": programme.pk,
            "title": "Meters",
            "description": "Water meters",
            "country": "CN",
            "capabilities": ["water"],
            "nace_codes": ["26.51"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["capabilities"] == ["water"] and body["is_open"]
    stale = client.patch(
        f"/api/v1/opportunities/{body['id']}",
        {"version": 99, "title": "X"},
        content_type="application/json",
    )
    assert_error(stale, 409)
    ok = client.patch(
        f"/api/v1/opportunities/{body['id']}",
        {"version": body["version"], "capabilities": ["iot"]},
        content_type="application/json",
    )
    assert ok.json()["capabilities"] == ["iot"]


def test_unknown_capabilities_and_codes_are_field_errors(programme, manager, capabilities):
    client = token_client(manager)
    response = client.post(
        "/api/v1/opportunities",
        {
            "programme": programme.pk,
            "title": "T",
            "description": "D",
            "country": "CN",
            "capabilities": ["teleportation"],
        },
        content_type="application/json",
    )
    assert_error(response, 400, "capabilities")
    response = client.post(
        "/api/v1/opportunities",
        {
            "programme": programme.pk,
            "title": "T",
            "description": "D",
            "country": "CN",
            "cpv_codes": ["nope"],
        },
        content_type="application/json",
    )
    assert_error(response, 400, "cpv_codes.0")
    assert not Opportunity.objects.exists()


def test_matches_both_ways_carry_reasons(opportunity, manager, company):
    client = token_client(manager)
    body = client.get(f"/api/v1/opportunities/{opportunity.pk}/matches").json()
    assert body["mode"] == "lexical"
    first = body["items"][0]
    assert first["company_id"] == company.pk
    assert "iot" in first["shared_capabilities"] and first["reasons"]
    reverse = client.get(f"/api/v1/companies/{company.pk}/matches").json()
    assert reverse["items"][0]["opportunity_id"] == opportunity.pk


def test_an_advisor_records_feedback_for_a_company(opportunity, manager, company):
    response = token_client(manager).post(
        f"/api/v1/opportunities/{opportunity.pk}/feedback",
        {"company": company.pk, "verdict": "not_relevant"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Feedback.objects.get().verdict == "not_relevant"


def test_interest_in_an_opportunity_opens_a_lead(opportunity, sme_user):
    response = token_client(sme_user).post(
        f"/api/v1/opportunities/{opportunity.pk}/interests",
        {"message": "Keen"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["deal_id"] is not None
