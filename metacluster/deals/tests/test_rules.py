"""One rule through the page, the form and the API: an advisor records deals only for their own
organisation; a programme manager for any partner (accounts.access.may_act_for)."""

import pytest

from metacluster.conftest import PASSWORD
from metacluster.deals.models import Deal
from metacluster.testing import token_client

pytestmark = pytest.mark.django_db


def page_data(programme, company, partner) -> dict:
    return {
        "programme": programme.pk,
        "company": company.pk,
        "partner": partner.pk,
        "market": "JP",
        "counterpart": "Fictional Imports KK",
        "stage": "lead",
        "currency": "EUR",
        "opened_on": "2021-06-01",
    }


def api_data(programme, company, partner) -> dict:
    return {
        "programme": programme.pk,
        "company": company.pk,
        "partner": partner.pk,
        "market": "JP",
        "counterpart": "Fictional Imports KK",
        "opened_on": "2021-06-01",
    }


def test_the_page_refuses_an_advisor_recording_for_another_partner(
    client, advisor, programme, company, lead_org
):
    client.login(username=advisor.username, password=PASSWORD)
    response = client.post("/deals/new/", page_data(programme, company, lead_org))
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not Deal.objects.exists()


def test_the_api_refuses_the_same(advisor, programme, company, lead_org):
    response = token_client(advisor).post(
        "/api/v1/deals", api_data(programme, company, lead_org), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Deal.objects.exists()


def test_page_and_api_let_an_advisor_record_for_their_own(
    client, advisor, programme, company, partner_org
):
    client.login(username=advisor.username, password=PASSWORD)
    assert client.post("/deals/new/", page_data(programme, company, partner_org)).status_code == 302
    response = token_client(advisor).post(
        "/api/v1/deals", api_data(programme, company, partner_org), content_type="application/json"
    )
    assert response.status_code == 201


def test_page_and_api_let_a_manager_record_for_another_partner(
    client, manager, programme, company, partner_org
):
    client.login(username=manager.username, password=PASSWORD)
    assert client.post("/deals/new/", page_data(programme, company, partner_org)).status_code == 302
    response = token_client(manager).post(
        "/api/v1/deals", api_data(programme, company, partner_org), content_type="application/json"
    )
    assert response.status_code == 201


def test_the_form_offers_an_advisor_only_their_own_organisation(
    client, advisor, programme, partner_org
):
    client.login(username=advisor.username, password=PASSWORD)
    form = client.get("/deals/new/").context["form"]
    assert list(form.fields["partner"].queryset) == [partner_org]
