"""An indicator's names in other languages, edited on its page and through the API."""

import pytest
from django.utils import translation

from metacluster.conftest import PASSWORD
from metacluster.testing import assert_error, token_client


def login(client, user, language=""):
    user.language = language
    user.save(update_fields=["language"])
    assert client.login(username=user.username, password=PASSWORD)
    return client


def edit_url(programme, code="SME-NONFIN"):
    return f"/programmes/{programme.acronym}/indicators/{code}/edit/"


def indicator_form(indicator, **labels):
    data = {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "target": "2",
        "position": "0",
        "kind": "service_units",
        "min_units": "1",
        "version": str(indicator.version),
    }
    return {**data, **labels}


def test_a_swedish_label_saved_on_the_page_is_shown_on_the_swedish_dashboard(
    client, manager, programme, nonfin_indicator
):
    response = login(client, manager).post(
        edit_url(programme),
        indicator_form(
            nonfin_indicator,
            label_sv_name="Företag med icke-finansiellt stöd",
            label_sv_unit="företag",
        ),
    )
    assert response.status_code == 302
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {
        "sv": {"name": "Företag med icke-finansiellt stöd", "unit": "företag"}
    }
    dashboard = login(client, manager, "sv").get(f"/programmes/{programme.acronym}/")
    assert "Företag med icke-finansiellt stöd" in dashboard.text
    assert "SMEs receiving non-financial support" not in dashboard.text


def test_a_cleared_label_falls_back_to_the_indicators_own_name(
    client, manager, programme, nonfin_indicator
):
    nonfin_indicator.translations = {
        "sv": {"name": "Företag med stöd"},
        "fi": {"name": "Yritykset"},
    }
    nonfin_indicator.save()
    response = login(client, manager).post(
        edit_url(programme),
        indicator_form(nonfin_indicator, label_sv_name="", label_fi_name="Yritykset"),
    )
    assert response.status_code == 302
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {"fi": {"name": "Yritykset"}}
    with translation.override("sv"):
        assert nonfin_indicator.translated("name") == "SMEs receiving non-financial support"
    dashboard = login(client, manager, "sv").get(f"/programmes/{programme.acronym}/")
    assert "SMEs receiving non-financial support" in dashboard.text


def test_the_form_shows_the_stored_labels_and_keeps_those_it_has_no_input_for(
    client, manager, programme, nonfin_indicator
):
    # English is the language indicators are typed in, so the form offers no English input.
    nonfin_indicator.translations = {"en": {"unit": "firms"}, "lv": {"name": "Uzņēmumi"}}
    nonfin_indicator.save()
    page = login(client, manager).get(edit_url(programme))
    assert page.context["form"]["label_lv_name"].value() == "Uzņēmumi"
    assert "label_en_name" not in page.context["form"].fields
    login(client, manager).post(
        edit_url(programme), indicator_form(nonfin_indicator, label_et_name="Ettevõtted")
    )
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {
        "en": {"unit": "firms"},
        "et": {"name": "Ettevõtted"},
    }


def test_a_label_longer_than_the_field_is_a_form_error(
    client, manager, programme, nonfin_indicator
):
    response = login(client, manager).post(
        edit_url(programme), indicator_form(nonfin_indicator, label_fi_unit="y" * 41)
    )
    assert response.status_code == 200
    assert "longer than 40 characters" in str(response.context["form"].errors["label_fi_unit"])
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {}


def test_an_advisor_cannot_post_labels(client, advisor, programme, nonfin_indicator):
    response = login(client, advisor).post(
        edit_url(programme), indicator_form(nonfin_indicator, label_sv_name="Ändrat")
    )
    assert response.status_code == 403
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {}


def test_a_stale_edit_of_the_labels_is_refused(client, manager, programme, nonfin_indicator):
    loaded = indicator_form(nonfin_indicator, label_sv_name="Mitt")
    nonfin_indicator.translations = {"sv": {"name": "Någon annans"}}
    nonfin_indicator.save_versioned(nonfin_indicator.version)
    response = login(client, manager).post(edit_url(programme), loaded)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.text
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {"sv": {"name": "Någon annans"}}


# --- Through the API ---------------------------------------------------------------------------


def api_url(indicator):
    return f"/api/v1/programmes/{indicator.programme_id}/indicators/{indicator.pk}"


def test_the_api_sets_and_replaces_the_labels(manager, nonfin_indicator):
    client = token_client(manager)
    body = {"version": nonfin_indicator.version, "translations": {"sv": {"name": "Företag"}}}
    response = client.patch(api_url(nonfin_indicator), body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["translations"] == {"sv": {"name": "Företag"}}
    body = {"version": response.json()["version"], "translations": {"fi": {"unit": "yritystä"}}}
    response = client.patch(api_url(nonfin_indicator), body, content_type="application/json")
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {"fi": {"unit": "yritystä"}}


@pytest.mark.parametrize(
    "translations",
    [
        {"de": {"name": "Firmen"}},  # not one of the platform's languages
        {"sv": {"code": "X"}},  # the code is not translated
        {"sv": {"name": "   "}},  # blank
        {"sv": {"name": "\x1c"}},  # blank too for Python, though not for the schema's regex
        {"sv": {"unit": "u" * 41}},  # longer than the unit
    ],
)
def test_the_api_refuses_bad_labels(manager, nonfin_indicator, translations):
    body = {"version": nonfin_indicator.version, "translations": translations}
    response = token_client(manager).patch(
        api_url(nonfin_indicator), body, content_type="application/json"
    )
    body = assert_error(response, 400)
    assert all(name.startswith("translations") for name in body["fields"]), body
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {}


def test_only_managers_set_labels_through_the_api(advisor, nonfin_indicator):
    body = {"version": nonfin_indicator.version, "translations": {"sv": {"name": "Företag"}}}
    response = token_client(advisor).patch(
        api_url(nonfin_indicator), body, content_type="application/json"
    )
    assert_error(response, 403)
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {}
