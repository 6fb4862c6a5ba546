"""The programme pages: who may see and change what."""

import pytest

from metacluster.conftest import PASSWORD
from metacluster.programmes.models import Indicator, Programme
from metacluster.services.models import Delivery


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_it_lists_only_the_programmes_of_the_users_organisation(
    client, advisor, programme, outsider_programme
):
    response = login(client, advisor).get("/programmes/")
    assert response.status_code == 200
    assert programme.name in response.text
    assert outsider_programme.name not in response.text


def test_it_rejects_an_outsider_from_the_dashboard(client, outsider, programme):
    assert login(client, outsider).get(f"/programmes/{programme.acronym}/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, programme):
    response = client.get(f"/programmes/{programme.acronym}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_dashboard_shows_the_computed_figure_against_its_target(
    client, viewer, programme, company, coaching, nonfin_indicator
):
    Delivery.objects.create(
        service=coaching, company=company, provider=coaching.provider, date="2021-03-01", quantity=3
    )
    response = login(client, viewer).get(f"/programmes/{programme.acronym}/")
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.indicator.code == "SME-NONFIN")
    assert (row.achieved, row.percent) == (1, 50)
    assert "of 2" in response.text


def test_the_records_behind_a_figure_are_listed(
    client, viewer, programme, company, other_company, coaching, nonfin_indicator
):
    Delivery.objects.create(
        service=coaching, company=company, provider=coaching.provider, date="2021-03-01", quantity=1
    )
    response = login(client, viewer).get(f"/programmes/{programme.acronym}/indicators/SME-NONFIN/")
    assert [record.pk for record, _ in response.context["records"]] == [company.pk]


def test_an_outsider_cannot_list_the_records_behind_a_figure(
    client, outsider, programme, nonfin_indicator
):
    assert (
        login(client, outsider)
        .get(f"/programmes/{programme.acronym}/indicators/SME-NONFIN/")
        .status_code
        == 404
    )


def test_a_manager_adds_an_indicator_from_plain_choices(client, manager, programme):
    response = login(client, manager).post(
        f"/programmes/{programme.acronym}/indicators/new/",
        {
            "code": "sme-coached",
            "name": "Coached SMEs",
            "unit": "companies",
            "target": "10",
            "position": "1",
            "kind": "service_units",
            "service_kinds": ["coaching", "counselling"],
            "min_units": "8",
            "stage": "supported",
            "deal_stages": ["won"],
        },  # settings of other kinds are ignored
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(programme=programme, code="SME-COACHED")
    assert indicator.definition == {
        "kind": "service_units",
        "service_kinds": ["coaching", "counselling"],
        "min_units": 8,
    }


def test_a_first_sales_indicator_is_built_from_deal_choices(client, manager, programme):
    login(client, manager).post(
        f"/programmes/{programme.acronym}/indicators/new/",
        {
            "code": "FIRST-SALES",
            "name": "First sales",
            "unit": "sales",
            "position": "0",
            "kind": "deals",
            "deal_stages": ["won"],
            "agreement_types": ["sale"],
            "first_sale": "on",
            "outside_eu_efta": "on",
            "markets": "cn, vn",
            "deal_count": "deals",
        },
    )
    assert Indicator.objects.get(code="FIRST-SALES").definition == {
        "kind": "deals",
        "stages": ["won"],
        "agreement_types": ["sale"],
        "first_sale": True,
        "outside_eu_efta": True,
        "markets": ["CN", "VN"],
        "count": "deals",
    }


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "magic"}, "Select a valid choice"),  # a kind nobody can compute
        ({"kind": "stage_reached"}, "stage must be one of"),  # the stage is missing
        ({"kind": "deals", "markets": "CN, Atlantis"}, "Unknown markets"),  # not a country code
        (
            {"kind": "service_units", "min_units": "0"},
            "greater than or equal to 0.01",
        ),  # nothing to reach
    ],
)
def test_a_bad_definition_is_refused_with_a_clear_error(
    client, manager, programme, changes, message
):
    data = {"code": "X-1", "name": "X", "unit": "companies", "position": "0"} | changes
    response = login(client, manager).post(f"/programmes/{programme.acronym}/indicators/new/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not Indicator.objects.filter(programme=programme).exists()


def test_the_edit_form_shows_the_stored_definition(client, manager, programme, nonfin_indicator):
    response = login(client, manager).get(
        f"/programmes/{programme.acronym}/indicators/SME-NONFIN/edit/"
    )
    form = response.context["form"]
    assert (form.initial["kind"], form.initial["min_units"]) == ("service_units", 1)


def test_an_advisor_cannot_edit_indicators(client, advisor, programme, nonfin_indicator):
    response = login(client, advisor).post(
        f"/programmes/{programme.acronym}/indicators/SME-NONFIN/edit/",
        {
            "code": "SME-NONFIN",
            "name": "Changed",
            "unit": "companies",
            "position": "0",
            "kind": "service_units",
        },
    )
    assert response.status_code == 403
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.name != "Changed"


def test_a_stale_indicator_edit_is_refused(client, manager, programme, nonfin_indicator):
    loaded_version = nonfin_indicator.version
    nonfin_indicator.name = "Someone else's edit"
    nonfin_indicator.save_versioned(loaded_version)
    response = login(client, manager).post(
        f"/programmes/{programme.acronym}/indicators/SME-NONFIN/edit/",
        {
            "code": "SME-NONFIN",
            "name": "My edit",
            "unit": "companies",
            "position": "0",
            "kind": "service_units",
            "min_units": "1",
            "version": str(loaded_version),
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.text
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.name == "Someone else's edit"


def test_a_manager_deletes_an_indicator(client, manager, programme, nonfin_indicator):
    response = login(client, manager).post(
        f"/programmes/{programme.acronym}/indicators/SME-NONFIN/delete/"
    )
    assert response.status_code == 302
    assert not programme.indicators.exists()


def test_an_sme_user_sees_the_programme_but_not_its_figures(
    client, sme_user, programme, nonfin_indicator
):
    response = login(client, sme_user).get(f"/programmes/{programme.acronym}/")
    assert response.status_code == 200
    assert "rows" not in response.context
    assert (
        login(client, sme_user)
        .get(f"/programmes/{programme.acronym}/indicators/SME-NONFIN/")
        .status_code
        == 404
    )


def programme_edit_data(programme, **changes):
    """What the edit page posts: the programme's fields and its partners as they are, with changes."""
    data = {
        "name": programme.name,
        "acronym": programme.acronym,
        "funding_programme": programme.funding_programme,
        "priority": "",
        "start_date": "2020-01-01",
        "end_date": "2022-12-31",
        "currency": "EUR",
        "total_budget": "1000000",
        "description": "",
        "version": str(programme.version),
        "markets-TOTAL_FORMS": "1",
        "markets-INITIAL_FORMS": "0",
        "markets-0-country": "VN",
    }
    partnerships = list(programme.partnerships.order_by("pk"))
    data |= {
        "partners-TOTAL_FORMS": str(len(partnerships)),
        "partners-INITIAL_FORMS": str(len(partnerships)),
    }
    for i, p in enumerate(partnerships):
        data |= {
            f"partners-{i}-id": str(p.pk),
            f"partners-{i}-programme": str(programme.pk),
            f"partners-{i}-organisation": str(p.organisation_id),
            f"partners-{i}-role": p.role,
            f"partners-{i}-budget": str(p.budget or ""),
            f"partners-{i}-co_financing_rate": str(p.co_financing_rate or ""),
        }
    return data | changes


def test_a_manager_edits_partners_and_target_markets(client, manager, programme, partner_org):
    data = programme_edit_data(programme, **{"partners-1-co_financing_rate": "80"})
    response = login(client, manager).post(f"/programmes/{programme.acronym}/edit/", data)
    assert response.status_code == 302
    assert programme.partnerships.get(organisation=partner_org).co_financing_rate == 80
    assert list(programme.target_markets.values_list("country", flat=True)) == ["VN"]


def test_a_second_lead_partner_is_refused_and_nothing_is_saved(
    client, manager, programme, partner_org
):
    data = programme_edit_data(programme, **{"partners-1-role": "lead", "total_budget": "2000000"})
    response = login(client, manager).post(f"/programmes/{programme.acronym}/edit/", data)
    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.total_budget == 1_000_000
    assert programme.partnerships.filter(role="lead").count() == 1
    assert not programme.target_markets.exists()


def test_a_co_financing_rate_above_100_is_a_field_error(client, manager, programme):
    data = programme_edit_data(programme, **{"partners-0-co_financing_rate": "175"})
    response = login(client, manager).post(f"/programmes/{programme.acronym}/edit/", data)
    assert response.status_code == 200
    assert response.context["partners"].errors[0]["co_financing_rate"]


def test_an_advisor_cannot_edit_the_programme(client, advisor, programme):
    assert login(client, advisor).get(f"/programmes/{programme.acronym}/edit/").status_code == 403


def test_the_dashboard_speaks_swedish_to_a_swedish_user(
    client, viewer, programme, nonfin_indicator
):
    viewer.language = "sv"
    viewer.save()
    response = login(client, viewer).get(f"/programmes/{programme.acronym}/")
    assert "Indikatorer" in response.text
    assert "Logga ut" in response.text
    assert "av målet" in response.text


def test_times_are_shown_in_the_users_time_zone(client, viewer, company):
    from datetime import UTC, datetime

    engagement = company.engagements.get()
    engagement.stage_changed_at = datetime(2021, 6, 1, 22, 30, tzinfo=UTC)
    engagement.save()
    viewer.time_zone = "Asia/Shanghai"  # UTC+8: the same moment is the next morning there
    viewer.save()
    response = login(client, viewer).get(f"/companies/{company.pk}/")
    assert "2 Jun 2021, 06:30" in response.text


def test_the_records_behind_a_figure_download_as_csv(
    client, viewer, programme, company, coaching, nonfin_indicator
):
    Delivery.objects.create(
        service=coaching, company=company, provider=coaching.provider, date="2021-03-01", quantity=1
    )
    response = login(client, viewer).get(
        f"/programmes/{programme.acronym}/indicators/SME-NONFIN/?format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "indicator,record_type,record_id,record,country,counted_from"
    assert lines[1:] == [f"SME-NONFIN,company,{company.pk},{company.name},SE,2021-03-01"]


def test_a_manager_starts_a_programme_led_by_their_organisation(client, manager, lead_org):
    response = login(client, manager).post(
        "/programmes/new/",
        {
            "name": "Baltic Health Export",
            "acronym": "bhe",
            "funding_programme": "Interreg Baltic Sea Region",
            "start_date": "2024-01-01",
            "end_date": "2026-12-31",
            "currency": "EUR",
            "total_budget": "900000",
        },
    )
    assert response["Location"] == "/programmes/bhe/edit/"
    assert Programme.objects.get(acronym="bhe").lead == lead_org


def test_a_programme_cannot_end_before_it_starts(client, manager):
    response = login(client, manager).post(
        "/programmes/new/",
        {
            "name": "Backwards",
            "acronym": "back",
            "funding_programme": "X",
            "start_date": "2024-01-01",
            "end_date": "2023-01-01",
            "currency": "EUR",
            "total_budget": "1",
        },
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Programme.objects.filter(acronym="back").exists()


def test_an_advisor_cannot_start_a_programme(client, advisor):
    assert login(client, advisor).get("/programmes/new/").status_code == 403


def test_the_records_csv_writes_a_formula_like_company_name_as_text(
    client, viewer, programme, company, coaching, nonfin_indicator
):
    company.name = '=HYPERLINK("http://evil.example/")'
    company.save()
    Delivery.objects.create(
        service=coaching, company=company, provider=coaching.provider, date="2021-03-01", quantity=1
    )
    response = login(client, viewer).get(
        f"/programmes/{programme.acronym}/indicators/SME-NONFIN/?format=csv"
    )
    row = response.content.decode().splitlines()[1]
    assert ',"\'=HYPERLINK(""http://evil.example/"")",' in row
