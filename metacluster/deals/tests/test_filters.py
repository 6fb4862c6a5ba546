"""One definition of the deal list's filters (`filters.DealFilterSet`), shared by the deals page
and `GET /api/v1/deals`: the same parameters give the same deals on both, and a value neither can
apply is said — named on the page, 400 with the parameter from the API — never dropped."""

from datetime import date

import pytest
from django.test import Client

from metacluster.deals.models import Deal
from metacluster.testing import assert_error, token_client


@pytest.fixture
def deals(programme, company, other_company, lead_org, partner_org):
    japan = Deal.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        market="JP",
        counterpart="Fictional Trading KK",
        opened_on=date(2021, 4, 1),
    )
    norway = Deal.objects.create(
        programme=programme,
        company=other_company,
        partner=partner_org,
        market="NO",
        counterpart="Fiktiv Handel AS",
        stage="meeting",
        opened_on=date(2021, 2, 1),
    )
    return {"japan": japan, "norway": norway}


def page_counterparts(user, params) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get("/deals/", params)
    assert response.status_code == 200
    return {deal.counterpart for deal in response.context["page"]}


def api_counterparts(user, params) -> set[str]:
    response = token_client(user).get("/api/v1/deals", params)
    assert response.status_code == 200, response.content
    return {item["counterpart"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"japan", "norway"}),
        ({"programme": "tep"}, {"japan", "norway"}),
        ({"stage": "meeting"}, {"norway"}),
        ({"market": "no"}, {"norway"}),
        ({"market": "Norway"}, {"norway"}),
        ({"market": "japan", "stage": "lead"}, {"japan"}),
        ({"partner": "PARTNER"}, {"norway"}),
        ({"company": "COMPANY"}, {"japan"}),
    ],
)
def test_the_page_and_the_api_give_the_same_deals(
    manager, programme, company, partner_org, deals, params, expected
):
    params = dict(params)
    if params.get("partner") == "PARTNER":
        params["partner"] = str(partner_org.pk)
    if params.get("company") == "COMPANY":
        params["company"] = str(company.pk)
    wanted = {deals[name].counterpart for name in expected}
    assert page_counterparts(manager, params) == wanted
    assert api_counterparts(manager, params) == wanted


def test_a_programme_by_id_or_acronym(manager, programme, deals):
    assert api_counterparts(manager, {"programme": programme.pk}) == api_counterparts(
        manager, {"programme": "tep"}
    )


@pytest.mark.parametrize(
    "param, value, message",
    [
        ("market", "Atlantis", "No country is called “Atlantis”"),
        ("programme", "nope", "No programme “nope”"),
        ("stage", "signed", "signed"),
        ("company", "abc", "number"),
    ],
)
def test_a_value_neither_can_apply_is_said_on_both(manager, deals, param, value, message):
    client = Client()
    client.force_login(manager)
    response = client.get("/deals/", {param: value})
    assert response.status_code == 200
    assert message in response.text
    assert_error(token_client(manager).get("/api/v1/deals", {param: value}), 400, param)


def test_another_organisation_s_programme_is_refused_like_an_unknown_one(
    manager, deals, outsider_programme
):
    text = "No programme “other”"
    client = Client()
    client.force_login(manager)
    assert text in client.get("/deals/", {"programme": "other"}).text
    assert_error(token_client(manager).get("/api/v1/deals?programme=other"), 400, "programme")
    response = token_client(manager).get(f"/api/v1/deals?programme={outsider_programme.pk}")
    assert_error(response, 400, "programme")


def test_the_page_counts_stages_across_the_other_filters(manager, deals):
    client = Client()
    client.force_login(manager)
    stages = client.get("/deals/", {"stage": "meeting"}).context["stages"]
    counts = {value: n for value, _label, n in stages}
    assert (counts["lead"], counts["meeting"]) == (1, 1)


def test_the_board_reads_the_same_filters(manager, partner_org, deals):
    client = Client()
    client.force_login(manager)
    columns = client.get("/deals/board/", {"partner": partner_org.pk}).context["columns"]
    shown = {deal.counterpart for column in columns for deal, _can_move in column["cards"]}
    assert shown == {deals["norway"].counterpart}
    text = client.get("/deals/board/", {"market": "Atlantis"}).text
    assert "No country is called “Atlantis”" in text


@pytest.mark.parametrize(
    "language, value",
    [
        ("sv", "Japan"),
        ("fi", "Japani"),
        ("et", "Jaapan"),
        ("lv", "Japāna"),
        ("lv", "japana"),
        ("en", "JP"),
        ("fi", "jpn"),
        ("sv", "Jaapan"),
    ],  # fmt: skip
)
def test_a_market_is_picked_by_its_name_in_the_users_language_or_its_code(manager, deals, language, value):  # fmt: skip
    manager.language = language
    manager.save(update_fields=["language"])
    assert page_counterparts(manager, {"market": value}) == {deals["japan"].counterpart}
    response = token_client(manager).get("/api/v1/deals", {"market": value}, HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip
    assert response.status_code == 200, response.content
    assert {item["counterpart"] for item in response.json()["items"]} == {deals["japan"].counterpart}  # fmt: skip


def test_the_market_boxes_offer_the_names_in_the_users_language(manager, deals):
    manager.language = "lv"
    manager.save(update_fields=["language"])
    client = Client()
    client.force_login(manager)
    for url in ("/deals/", "/deals/board/"):
        assert '<option value="Japāna">' in client.get(url).text
