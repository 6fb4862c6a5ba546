"""EU common indicator codes: the shipped catalogue and attaching a code to an indicator."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from metacluster.programmes.eu_indicators import eu_indicator_name, eu_indicators
from metacluster.testing import assert_error, token_client


def test_the_catalogue_has_the_codes_an_export_programme_reports_with_their_official_names():
    catalogue = eu_indicators()
    assert catalogue["RCO01"].name.startswith("Enterprises supported")
    assert catalogue["RCO02"].name == "Enterprises supported by grants"
    assert catalogue["RCO04"].name == "Enterprises with non-financial support"
    assert catalogue["RCO84"].name == "Pilot actions developed jointly and implemented in projects"
    assert catalogue["RCO87"].name == "Organisations cooperating across borders"
    assert catalogue["RCR03"].kind == "result"
    assert catalogue["RCR84"].name == (
        "Organisations cooperating across borders after project completion"
    )
    assert all("2021/1058" in item.source for item in catalogue.values())
    assert eu_indicator_name("NOPE") == ""


def test_an_indicator_takes_only_a_code_from_the_catalogue(nonfin_indicator):
    nonfin_indicator.eu_code = "RCO04"
    nonfin_indicator.full_clean()
    nonfin_indicator.eu_code = "RCO99"
    with pytest.raises(ValidationError) as refused:
        nonfin_indicator.full_clean()
    assert "eu_code" in refused.value.message_dict


def test_a_manager_attaches_a_code_through_the_api(programme, manager, nonfin_indicator):
    client = token_client(manager)
    url = f"/api/v1/programmes/{programme.pk}/indicators/{nonfin_indicator.pk}"

    response = client.patch(url, {"version": 1, "eu_code": "RCO04"}, "application/json")
    assert response.status_code == 200 and response.json()["eu_code"] == "RCO04"
    assert_error(client.patch(url, {"version": 2, "eu_code": "RCO99"}, "application/json"), 400)


def test_the_indicator_form_offers_the_catalogue(programme, manager, nonfin_indicator):
    client = Client()
    client.force_login(manager)
    page = client.get("/programmes/tep/indicators/SME-NONFIN/edit/")
    assert (
        '<option value="RCO04">RCO04 – Enterprises with non-financial support</option>' in page.text
    )
