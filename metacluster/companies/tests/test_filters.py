"""The company list's filters: one definition for the page and the API, the same parameter
names and validation on both, and a value neither can apply said rather than dropped."""

from urllib.parse import urlencode

import pytest

from metacluster.companies.models import Company, Engagement
from metacluster.conftest import PASSWORD
from metacluster.testing import assert_error, ids, token_client

pytestmark = pytest.mark.django_db


def page(client, user, query):
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get(f"/companies/?{query}")
    assert response.status_code == 200
    return response


def listed(response, *companies) -> list[bool]:
    text = response.content.decode()
    return [company.name in text for company in companies]


@pytest.mark.parametrize(
    "query",
    [
        "country=Sweden",
        "country=se",
        "country=SWE",
        "q=alpha",
        "q=5560000001",
        "programme=tep",
        "stage=identified&country=Sweden",
    ],  # fmt: skip
)
def test_page_and_api_list_the_same_companies(client, manager, programme, company, other_company, query):  # fmt: skip
    api = ids(token_client(manager).get(f"/api/v1/companies?{query}"))
    shown = listed(page(client, manager, query), company, other_company)
    assert shown == [company.pk in api, other_company.pk in api]
    assert api  # every query above finds someone


def test_a_programme_is_given_by_acronym_or_id_on_both(client, manager, programme, company, other_company):  # fmt: skip
    Engagement.objects.filter(company=other_company).update(stage="supported")
    for value in ("tep", str(programme.pk)):
        query = f"programme={value}&stage=supported"
        assert ids(token_client(manager).get(f"/api/v1/companies?{query}")) == [other_company.pk]
        assert listed(page(client, manager, query), company, other_company) == [False, True]


@pytest.mark.parametrize(
    "parameter, value",
    [("country", "Atlantis"), ("size", "huge"), ("stage", "famous"), ("kind", "giant"),
     ("nace", "6x"), ("sort", "shoe-size"), ("status", "sleeping"), ("programme", "nope")],
)  # fmt: skip
def test_a_value_that_cannot_apply_is_said_on_both(client, manager, programme, company, parameter, value):  # fmt: skip
    response = token_client(manager).get(f"/api/v1/companies?{parameter}={value}")
    assert_error(response, 400, parameter)
    message = response.json()["fields"][parameter][0]
    shown = page(client, manager, f"{parameter}={value}").content.decode()
    assert 'id="unapplied"' in shown
    assert message[:12] in shown


def test_another_organisations_programme_is_not_a_filter_on_the_page(client, manager, company, outsider_programme):  # fmt: skip
    shown = page(client, manager, f"programme={outsider_programme.acronym}").content.decode()
    assert 'id="unapplied"' in shown


@pytest.mark.parametrize(
    "language, value",
    [("sv", "Tyskland"), ("fi", "Saksa"), ("et", "Saksamaa"), ("lv", "Vācija"), ("lv", "vacija"),
     ("en", "germany"), ("en", "Germany"), ("sv", "DE"), ("fi", "de"), ("et", "DEU"),
     ("sv", "Saksa")],  # a name in another language the site offers is understood too
)  # fmt: skip
def test_a_country_is_picked_by_its_name_in_the_users_language_or_its_code(client, manager, lead_org, company, language, value):  # fmt: skip
    german = Company.objects.create(name="Fiktiv Werke GmbH", country="DE", owner=lead_org)
    manager.language = language
    manager.save(update_fields=["language"])
    assert listed(page(client, manager, f"country={value}"), company, german) == [False, True]
    api = token_client(manager).get(f"/api/v1/companies?country={value}", HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip
    assert ids(api) == [german.pk]


def test_the_country_box_offers_the_names_in_the_users_language(client, manager):
    manager.language = "fi"
    manager.save(update_fields=["language"])
    shown = page(client, manager, "").content.decode()
    assert '<option value="Saksa">' in shown and '<option value="Germany">' not in shown


def test_a_country_name_no_language_knows_is_said_on_both(client, manager, company):
    manager.language = "sv"
    manager.save(update_fields=["language"])
    response = token_client(manager).get("/api/v1/companies?country=Tysklandia", HTTP_ACCEPT_LANGUAGE="sv")  # fmt: skip
    assert_error(response, 400, "country")
    shown = page(client, manager, "country=Tysklandia").content.decode()
    assert 'id="unapplied"' in shown and "Tysklandia" in shown


@pytest.mark.parametrize("value", ["99.99", "6", "J", "programming"])
def test_a_nace_code_that_does_not_exist_is_refused_on_both_with_one_message(client, manager, company, value):  # fmt: skip
    response = token_client(manager).get("/api/v1/companies", {"nace": value})
    assert_error(response, 400, "nace")
    message = response.json()["fields"]["nace"][0]
    assert f"“{value}” is not a NACE Rev. 2 code" in message
    shown = page(client, manager, f"nace={value}").content.decode()
    assert 'id="unapplied"' in shown
    assert message in shown


@pytest.mark.parametrize(
    "value",
    ["62", "62.0", "6201", "62.01", "Computer programming, consultancy and related activities",
     "62 Computer programming, consultancy and related activities"],
)  # fmt: skip
def test_a_nace_filter_takes_a_code_as_registers_write_it_or_a_division_title(client, manager, company, other_company, value):  # fmt: skip
    company.nace_codes = ["62.01"]
    company.save()
    other_company.nace_codes = ["63.11"]
    other_company.save()
    assert ids(token_client(manager).get("/api/v1/companies", {"nace": value})) == [company.pk]
    query = urlencode({"nace": value})
    assert listed(page(client, manager, query), company, other_company) == [True, False]


def test_the_nace_filter_offers_the_divisions_by_name(client, manager):
    shown = page(client, manager, "").content.decode()
    assert 'list="nace-divisions"' in shown
    assert (
        '<option value="62" label="Computer programming, consultancy and related activities">'
        in shown
    )
