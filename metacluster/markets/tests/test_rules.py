"""One rule through the page, the form and the API: an advisor records feasibility studies
only for their own organisation; a programme manager for any partner."""

import pytest

from metacluster.markets.models import FeasibilityStudy
from metacluster.testing import token_client

pytestmark = pytest.mark.django_db


def page_data(programme, company, partner) -> dict:
    return {
        "programme": programme.pk,
        "company": company.pk,
        "market": "JP",
        "offering": "goods",
        "partner": partner.pk,
        "decision": "pending",
    }


def api_post(user, programme, company, partner):
    return token_client(user).post(
        "/api/v1/markets/feasibility-studies",
        {"programme": programme.pk, "company": company.pk, "market": "US", "partner": partner.pk},
        content_type="application/json",
    )


def test_page_and_api_refuse_an_advisor_recording_for_another_partner(
    logged_in, advisor, programme, company, lead_org
):
    client = logged_in(advisor)
    assert list(client.get("/markets/studies/new/").context["form"].fields["partner"].queryset) == [
        advisor.organisation
    ]
    response = client.post("/markets/studies/new/", page_data(programme, company, lead_org))
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert api_post(advisor, programme, company, lead_org).status_code == 403
    assert not FeasibilityStudy.objects.exists()


def test_page_and_api_let_a_manager_record_for_another_partner(
    logged_in, manager, programme, company, partner_org
):
    response = logged_in(manager).post(
        "/markets/studies/new/", page_data(programme, company, partner_org)
    )
    assert response.status_code == 302
    assert api_post(manager, programme, company, partner_org).status_code == 201
