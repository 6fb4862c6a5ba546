"""Deals through the API."""

from datetime import date

import pytest

from metacluster.deals.models import Deal
from metacluster.testing import assert_error, ids, token_client


@pytest.fixture
def deal(programme, company, lead_org):
    return Deal.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        market="JP",
        counterpart="Fictional Trading KK",
        opened_on=date(2021, 4, 1),
    )


@pytest.fixture
def other_deal(programme, other_company, partner_org):
    return Deal.objects.create(
        programme=programme,
        company=other_company,
        partner=partner_org,
        market="NO",
        counterpart="Fiktiv Handel AS",
        stage="meeting",
        opened_on=date(2021, 2, 1),
    )


@pytest.fixture
def outsider_deal(outsider_programme, outsider_company, outsider_org):
    return Deal.objects.create(
        programme=outsider_programme,
        company=outsider_company,
        partner=outsider_org,
        market="JP",
        counterpart="Elsewhere KK",
    )


def new_deal(programme, company, **fields) -> dict:
    return {
        "programme": programme.pk,
        "company": company.pk,
        "market": "JP",
        "counterpart": "Fictional Imports KK",
        "opened_on": "2021-06-01",
        **fields,
    }


def post(client, body):
    return client.post("/api/v1/deals", body, content_type="application/json")


def patch(client, deal, body):
    return client.patch(f"/api/v1/deals/{deal.pk}", body, content_type="application/json")


# --- Reading -----------------------------------------------------------------------------------


def test_outsider_sees_only_its_own_deals(outsider, deal, outsider_deal):
    client = token_client(outsider)
    assert ids(client.get("/api/v1/deals")) == [outsider_deal.pk]
    assert_error(client.get(f"/api/v1/deals/{deal.pk}"), 404)


def test_sme_user_sees_only_its_companys_deals(sme_user, deal, other_deal):
    client = token_client(sme_user)
    assert ids(client.get("/api/v1/deals")) == [deal.pk]
    assert_error(client.get(f"/api/v1/deals/{other_deal.pk}"), 404)


def test_deal_filters(manager, programme, deal, other_deal, company):
    client = token_client(manager)
    assert ids(client.get(f"/api/v1/deals?programme={programme.pk}")) == [deal.pk, other_deal.pk]
    assert ids(client.get(f"/api/v1/deals?company={company.pk}")) == [deal.pk]
    assert ids(client.get("/api/v1/deals?stage=meeting")) == [other_deal.pk]
    assert ids(client.get("/api/v1/deals?market=no")) == [other_deal.pk]
    assert_error(client.get("/api/v1/deals?stage=signed"), 400, "stage")


def test_deal_detail(advisor, deal):
    body = token_client(advisor).get(f"/api/v1/deals/{deal.pk}").json()
    assert (body["counterpart"], body["stage"], body["in_eu_or_efta"]) == (
        "Fictional Trading KK",
        "lead",
        False,
    )
    assert (body["company"], body["partner"], body["version"]) == (
        "Alpha Fictional AB",
        "Fibre Valley Test",
        1,
    )


# --- Creating ----------------------------------------------------------------------------------


def test_advisor_records_a_deal_for_its_organisation(advisor, programme, company, partner_org):
    response = post(token_client(advisor), new_deal(programme, company, value="125000.5"))
    assert response.status_code == 201, response.content
    deal = Deal.objects.get()
    assert (deal.partner, deal.value, deal.stage) == (partner_org, 125000.5, "lead")
    assert response.json()["value"] == "125000.50"


def test_advisor_cannot_record_for_another_partner(advisor, programme, company, lead_org):
    response = post(token_client(advisor), new_deal(programme, company, partner=lead_org.pk))
    assert_error(response, 403)
    assert not Deal.objects.exists()


@pytest.mark.parametrize("user_fixture", ["viewer", "sme_user"])
def test_viewers_and_sme_users_cannot_record_deals(request, programme, company, user_fixture):
    client = token_client(request.getfixturevalue(user_fixture))
    assert_error(post(client, new_deal(programme, company)), 403)
    assert not Deal.objects.exists()


def test_outsider_cannot_record_in_the_programme(outsider, programme, outsider_company):
    response = post(token_client(outsider), new_deal(programme, outsider_company))
    assert_error(response, 400, "programme")
    assert not Deal.objects.exists()


def test_company_must_be_visible(advisor, programme, outsider_company):
    response = post(token_client(advisor), new_deal(programme, outsider_company))
    assert_error(response, 400, "company")
    assert not Deal.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"stage": "won"}, "agreement_type"),  # a won deal says what was agreed
        ({"stage": "won", "agreement_type": "sale"}, "closed_on"),  # and when
        ({"first_sale": True}, "first_sale"),  # only a won sale is a first sale
        ({"closed_on": "2021-01-01", "stage": "lost"}, "closed_on"),  # closed before it opened
        ({"market": "XX"}, "market"),
        ({"stage": "signed"}, "stage"),
        ({"agreement_type": "handshake"}, "agreement_type"),
        ({"value": -1}, "value"),
        ({"value": "1e400"}, "value"),
        ({"opened_on": "2021-02-29"}, "opened_on"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "eur"}, "currency"),  # ISO 4217 codes are capitals
        ({"currency": ""}, "currency"),
        ({"counterpart": ""}, "counterpart"),  # blank
        ({"market": ""}, "market"),
        ({"first_sale": 0}, "first_sale"),  # a boolean is true or false
        ({"opened_on": 1609459200}, "opened_on"),  # seconds since 1970
        ({"value": 1.5}, "value"),  # a fraction is sent as a string, "1.5"
        ({"partner": "1"}, "partner"),  # an id is a JSON number
    ],
)
def test_model_rules_apply_to_new_deals(manager, programme, company, fields, field):
    response = post(token_client(manager), new_deal(programme, company, **fields))
    assert_error(response, 400, field)
    assert not Deal.objects.exists()


def test_a_won_first_sale(manager, programme, company):
    body = new_deal(
        programme,
        company,
        stage="won",
        agreement_type="sale",
        closed_on="2021-09-01",
        first_sale=True,
    )
    client = token_client(manager)
    assert post(client, body).status_code == 201
    # A second first sale in the same market is refused.
    assert_error(post(client, {**body, "counterpart": "Another KK"}), 400, "first_sale")
    assert Deal.objects.count() == 1


# --- Editing -----------------------------------------------------------------------------------


def test_advisor_moves_a_deal_on(advisor, deal):
    response = patch(token_client(advisor), deal, {"version": 1, "stage": "pilot"})
    assert response.status_code == 200, response.content
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("pilot", 2)
    assert response.json()["version"] == 2


def test_a_stale_deal_edit_is_409_and_changes_nothing(advisor, manager, deal):
    assert (
        patch(token_client(manager), deal, {"version": 1, "title": "Pilot in Osaka"}).status_code
        == 200
    )
    response = patch(token_client(advisor), deal, {"version": 1, "stage": "lost"})
    assert_error(response, 409, "version")
    deal.refresh_from_db()
    assert (deal.stage, deal.title, deal.version) == ("lead", "Pilot in Osaka", 2)


def test_clean_rules_apply_to_edits(advisor, deal):
    response = patch(token_client(advisor), deal, {"version": 1, "stage": "won", "title": "Won"})
    body = assert_error(response, 400)
    assert {"agreement_type", "closed_on"} <= set(body["fields"])
    deal.refresh_from_db()
    assert (deal.stage, deal.title, deal.version) == ("lead", "", 1)


def test_viewer_cannot_edit_a_deal(viewer, deal):
    assert_error(patch(token_client(viewer), deal, {"version": 1, "stage": "pilot"}), 403)
    deal.refresh_from_db()
    assert deal.stage == "lead"


def test_outsider_cannot_edit_a_deal(outsider, deal):
    assert_error(patch(token_client(outsider), deal, {"version": 1, "stage": "pilot"}), 404)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"stage": "pilot"}, "version"),  # no version
        ({"version": "one", "stage": "pilot"}, "version"),
        ({"version": 1, "stage": None}, "stage"),  # a stage cannot be removed
        ({"version": 1, "counterpart": ""}, "counterpart"),
        ({"version": 1, "market": ""}, "market"),
        ({"version": 1, "currency": ""}, "currency"),
        ({"version": True, "stage": "pilot"}, "version"),
        ({"version": 1, "company": 5}, "company"),  # the company is fixed
    ],
)
def test_malformed_edits_are_400(advisor, deal, body, field):
    assert_error(patch(token_client(advisor), deal, body), 400, field)
    deal.refresh_from_db()
    assert deal.version == 1
