"""Programmes, indicators and computed figures through the API."""

from datetime import date

import pytest

from metacluster.programmes.models import Indicator, TargetMarket
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery
from metacluster.testing import assert_error, token_client

GOOD_DEFINITION = {"kind": "stage_reached", "stage": "supported"}


def indicators_url(programme) -> str:
    return f"/api/v1/programmes/{programme.pk}/indicators"


# --- Programmes --------------------------------------------------------------------------------


def test_list_shows_only_the_users_programmes(manager, programme, outsider_programme):
    body = token_client(manager).get("/api/v1/programmes").json()
    assert [p["id"] for p in body["items"]] == [programme.pk]
    assert body["count"] == 1


def test_list_filters_by_name(manager, programme):
    client = token_client(manager)
    assert client.get("/api/v1/programmes?q=export").json()["count"] == 1
    assert client.get("/api/v1/programmes?q=nothing-like-it").json()["count"] == 0


def test_detail_lists_partners_and_markets(advisor, programme, lead_org):
    TargetMarket.objects.create(programme=programme, country="JP")
    body = token_client(advisor).get(f"/api/v1/programmes/{programme.pk}").json()
    lead = next(p for p in body["partners"] if p["role"] == "lead")
    assert lead == {
        "organisation_id": lead_org.pk,
        "organisation": "Fibre Valley Test",
        "country": "SE",
        "role": "lead",
        "budget": "600000.00",
        "co_financing_rate": "75.00",
    }
    assert body["target_markets"] == [{"country": "JP", "name": "Japan"}]
    assert body["can_record"] is True and body["can_manage"] is False


def test_outsider_gets_404_on_detail(outsider, programme):
    client = token_client(outsider)
    assert_error(client.get(f"/api/v1/programmes/{programme.pk}"), 404)
    assert_error(client.get(indicators_url(programme)), 404)
    assert_error(client.get(f"/api/v1/programmes/{programme.pk}/kpis"), 404)


def test_unknown_and_huge_ids_are_4xx(manager, programme):
    client = token_client(manager)
    assert_error(client.get("/api/v1/programmes/987654"), 404)
    assert_error(client.get("/api/v1/programmes/99999999999999999999999"), 400, "programme_id")


# --- Indicators --------------------------------------------------------------------------------


def test_manager_adds_an_indicator(manager, programme):
    body = {"code": "SME-SUPPORTED", "name": "SMEs supported", "target": "40"}
    body["definition"] = GOOD_DEFINITION
    response = token_client(manager).post(
        indicators_url(programme), body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["target"] == "40.00"
    indicator = Indicator.objects.get(programme=programme, code="SME-SUPPORTED")
    assert indicator.definition == GOOD_DEFINITION


@pytest.mark.parametrize("user_fixture", ["advisor", "viewer", "sme_user"])
def test_only_managers_add_indicators(request, programme, company, user_fixture):
    client = token_client(request.getfixturevalue(user_fixture))
    body = {"code": "X", "name": "X", "definition": GOOD_DEFINITION}
    assert_error(client.post(indicators_url(programme), body, content_type="application/json"), 403)
    assert not Indicator.objects.exists()


def test_outsider_cannot_add_indicators(outsider, programme):
    body = {"code": "X", "name": "X", "definition": GOOD_DEFINITION}
    response = token_client(outsider).post(
        indicators_url(programme), body, content_type="application/json"
    )
    assert_error(response, 404)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    "definition",
    [
        {"kind": "nope"},  # unknown kind
        {"kind": "stage_reached", "stage": "famous"},  # unknown stage
        {"kind": "service_units", "min_units": "lots"},  # not a number
        {"kind": "deals", "first_sale": "yes"},  # not a boolean
        {"kind": "stage_reached", "stage": "supported", "extra": 1},  # unknown setting
        ["stage_reached"],  # not an object at all
        {"stage": "supported"},  # no kind
        {"kind": "service_units", "min_units": 0},
        {"kind": "service_units", "min_units": "1e3"},  # a decimal string, not an exponent
        {"kind": "service_units", "min_units": True},
        {"kind": "deals", "markets": ["jp"]},  # country codes are capitals
        {"kind": "deals", "count": "pennies"},
        {"kind": "consortia", "min_countries": "2"},  # a number, not text
        {"kind": "consortia", "min_countries": 1.5},
        {"kind": "consortia", "min_countries": 0},
    ],
)
def test_it_refuses_a_bad_definition(manager, programme, definition):
    body = {"code": "BAD", "name": "Bad", "definition": definition}
    response = token_client(manager).post(
        indicators_url(programme), body, content_type="application/json"
    )
    assert_error(response, 400, "definition")
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    "definition",
    [
        {"kind": "stage_reached", "stage": "first_sale"},
        {"kind": "service_units"},
        {"kind": "service_units", "service_kinds": "coaching", "min_units": "2.5"},
        {"kind": "service_units", "service_kinds": ["coaching", "training"], "min_units": 0.5},
        {"kind": "deals", "stages": "won", "agreement_types": ["sale"], "first_sale": True},
        {"kind": "deals", "outside_eu_efta": True, "markets": ["JP", "US"], "count": "companies"},
        {"kind": "consortia", "count": "members", "min_countries": 2},
    ],
)
def test_it_keeps_a_good_definition_as_sent(manager, programme, definition):
    body = {"code": "GOOD", "name": "Good", "definition": definition}
    response = token_client(manager).post(
        indicators_url(programme), body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["definition"] == definition
    assert Indicator.objects.get(code="GOOD").definition == definition


def test_a_whole_number_written_with_a_point_is_a_whole_number(manager, programme):
    definition = {"kind": "consortia", "min_countries": 2.0}
    body = {"code": "GOOD", "name": "Good", "definition": definition, "position": 3.0}
    response = token_client(manager).post(
        indicators_url(programme), body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    indicator = Indicator.objects.get(code="GOOD")
    assert (indicator.definition["min_countries"], indicator.position) == (2, 3)
    assert isinstance(indicator.definition["min_countries"], int)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"unit": ""}, "unit"),
        ({"code": "sme-supported"}, "code"),  # capitals, digits and hyphens
        ({"code": "-X"}, "code"),
        ({"position": "1"}, "position"),
        ({"position": True}, "position"),
        ({"target": 1.5}, "target"),  # a fraction is sent as a string, "1.5"
        ({"target": "1.005"}, "target"),
    ],
)
def test_it_validates_new_indicators(manager, programme, change, field):
    body = {"code": "GOOD", "name": "Good", "definition": GOOD_DEFINITION, **change}
    response = token_client(manager).post(
        indicators_url(programme), body, content_type="application/json"
    )
    assert_error(response, 400, field)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",  # malformed JSON
        "[]",  # JSON, but not an object
        '{"code": "A", "name": "A", "definition": {}, "target": "many"}',  # not a number
        '{"code": "A", "name": "A", "definition": {}, "target": 1e400}',  # infinite
        '{"code": "A", "name": "A", "definition": {}, "target": 12345678901234567890}',  # too big
        '{"code": 7, "name": "A", "definition": {}}',  # wrong type
        '{"name": "A", "definition": {}}',  # missing code
        '{"code": "A", "name": "A", "definition": {}, "colour": "red"}',  # unknown field
        '{"code": "A", "name": "A\\u0000", "definition": {}}',  # NUL character
    ],
)
def test_malformed_input_is_400_not_500(manager, programme, raw):
    response = token_client(manager).post(
        indicators_url(programme), raw, content_type="application/json"
    )
    assert_error(response, 400)
    assert not Indicator.objects.exists()


def test_it_refuses_a_duplicate_code(manager, programme, nonfin_indicator):
    body = {"code": "SME-NONFIN", "name": "Again", "definition": GOOD_DEFINITION}
    client = token_client(manager)
    assert_error(
        client.post(indicators_url(programme), body, content_type="application/json"), 400, "code"
    )
    other = client.post(
        indicators_url(programme), {**body, "code": "OTHER"}, content_type="application/json"
    )
    url = f"{indicators_url(programme)}/{other.json()['id']}"
    edit = client.patch(url, {"version": 1, "code": "SME-NONFIN"}, content_type="application/json")
    assert_error(edit, 400, "code")
    assert sorted(programme.indicators.values_list("code", flat=True)) == ["OTHER", "SME-NONFIN"]


def test_manager_edits_an_indicator(manager, programme, nonfin_indicator):
    url = f"{indicators_url(programme)}/{nonfin_indicator.pk}"
    body = {"version": 1, "target": "5", "name": "Renamed"}
    response = token_client(manager).patch(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    nonfin_indicator.refresh_from_db()
    assert (nonfin_indicator.name, nonfin_indicator.target, nonfin_indicator.version) == (
        "Renamed",
        5,
        2,
    )


def test_a_stale_edit_is_409_and_changes_nothing(manager, programme, nonfin_indicator):
    nonfin_indicator.name = "Changed by a colleague"
    nonfin_indicator.save_versioned(1)
    url = f"{indicators_url(programme)}/{nonfin_indicator.pk}"
    response = token_client(manager).patch(
        url, {"version": 1, "name": "Mine"}, content_type="application/json"
    )
    assert_error(response, 409, "version")
    nonfin_indicator.refresh_from_db()
    assert (nonfin_indicator.name, nonfin_indicator.version) == ("Changed by a colleague", 2)


def test_an_edit_needs_a_version(manager, programme, nonfin_indicator):
    url = f"{indicators_url(programme)}/{nonfin_indicator.pk}"
    response = token_client(manager).patch(url, {"name": "Mine"}, content_type="application/json")
    assert_error(response, 400, "version")


def test_an_edit_with_a_bad_definition_changes_nothing(manager, programme, nonfin_indicator):
    url = f"{indicators_url(programme)}/{nonfin_indicator.pk}"
    body = {"version": 1, "name": "Mine", "definition": {"kind": "deals", "count": "pennies"}}
    response = token_client(manager).patch(url, body, content_type="application/json")
    assert_error(response, 400, "definition")
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.name == "SMEs receiving non-financial support"


def test_viewer_cannot_edit_or_delete(viewer, programme, nonfin_indicator):
    client = token_client(viewer)
    url = f"{indicators_url(programme)}/{nonfin_indicator.pk}"
    assert_error(
        client.patch(url, {"version": 1, "name": "X"}, content_type="application/json"), 403
    )
    assert_error(client.delete(url), 403)
    assert Indicator.objects.filter(pk=nonfin_indicator.pk, version=1).exists()


def test_manager_deletes_an_indicator(manager, programme, nonfin_indicator):
    url = f"{indicators_url(programme)}/{nonfin_indicator.pk}"
    assert token_client(manager).delete(url).status_code == 204
    assert not Indicator.objects.exists()


def test_indicator_of_another_programme_is_404(manager, programme, outsider_programme):
    other = Indicator.objects.create(
        programme=outsider_programme, code="X", name="X", definition=GOOD_DEFINITION
    )
    response = token_client(manager).delete(f"{indicators_url(programme)}/{other.pk}")
    assert_error(response, 404)
    assert Indicator.objects.filter(pk=other.pk).exists()


# --- Figures -----------------------------------------------------------------------------------


def deliver(service, company, on=date(2021, 3, 15), quantity=2):
    return record_delivery(
        Delivery(
            service=service, company=company, provider=service.provider, date=on, quantity=quantity
        )
    )


def figure(client, programme, code) -> dict:
    body = client.get(f"/api/v1/programmes/{programme.pk}/kpis").json()
    assert body["programme"] == programme.name
    return next(row for row in body["indicators"] if row["code"] == code)


def test_kpis_change_when_a_delivery_is_added(
    advisor, programme, nonfin_indicator, coaching, company, lead_org, partner_org
):
    client = token_client(advisor)
    before = figure(client, programme, "SME-NONFIN")
    assert (before["achieved"], before["percent_of_target"]) == (0, 0)

    deliver(coaching, company)
    after = figure(client, programme, "SME-NONFIN")
    assert after["achieved"] == 1
    assert after["target"] == "2.00"
    assert after["percent_of_target"] == 50
    assert after["by_partner"] == [
        {"organisation_id": lead_org.pk, "organisation": lead_org.name, "achieved": 1},
        {"organisation_id": partner_org.pk, "organisation": partner_org.name, "achieved": 0},
    ]
    by_month = dict((m["month"], m["achieved"]) for m in after["by_month"])
    assert (by_month["2021-02"], by_month["2021-03"], by_month["2022-12"]) == (0, 1, 1)


def test_a_broken_definition_does_not_hide_other_figures(manager, programme, nonfin_indicator):
    # Saved without validation (e.g. through the admin before the check existed).
    Indicator.objects.create(programme=programme, code="BROKEN", name="B", definition={"kind": "?"})
    body = token_client(manager).get(f"/api/v1/programmes/{programme.pk}/kpis").json()
    rows = {row["code"]: row for row in body["indicators"]}
    assert rows["BROKEN"]["achieved"] is None and rows["BROKEN"]["error"]
    assert rows["SME-NONFIN"]["achieved"] == 0


def test_sme_users_do_not_see_programme_figures(sme_user, programme, nonfin_indicator):
    client = token_client(sme_user)
    assert_error(client.get(f"/api/v1/programmes/{programme.pk}/kpis"), 403)
    assert_error(client.get(f"/api/v1/programmes/{programme.pk}/kpis/SME-NONFIN/records"), 403)


def test_records_behind_a_figure(
    manager, programme, nonfin_indicator, coaching, training, company, other_company, partner_org
):
    deliver(coaching, company, on=date(2021, 1, 10))
    deliver(training, other_company, on=date(2021, 6, 1))
    client = token_client(manager)
    url = f"/api/v1/programmes/{programme.pk}/kpis/SME-NONFIN/records"

    body = client.get(url).json()
    assert body["count"] == 2
    assert body["items"][0] == {
        "type": "company",
        "id": company.pk,
        "label": company.name,
        "counted_from": "2021-01-10",
    }
    only_partner = client.get(f"{url}?partner={partner_org.pk}").json()
    assert [r["id"] for r in only_partner["items"]] == [other_company.pk]


def test_records_refuse_unknown_codes_and_partners(
    manager, programme, nonfin_indicator, outsider_org
):
    client = token_client(manager)
    base = f"/api/v1/programmes/{programme.pk}/kpis"
    assert_error(client.get(f"{base}/NOPE/records"), 404)
    assert_error(client.get(f"{base}/SME-NONFIN/records?partner={outsider_org.pk}"), 404)
    assert_error(client.get(f"{base}/SME-NONFIN/records?partner=lead"), 400, "partner")
