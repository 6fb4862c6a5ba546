"""One rule through the page, the form and the API: an advisor records deliveries (and keeps
catalogue entries) only for their own organisation; a programme manager for any partner."""

import pytest

from metacluster.services.models import Delivery
from metacluster.testing import token_client

from .test_views import delivery_form, login

pytestmark = pytest.mark.django_db


def test_page_form_and_api_refuse_an_advisor_recording_for_another_partner(
    client, advisor, programme, company, coaching, lead_org, partner_org
):
    client = login(client, advisor)
    url = f"/programmes/{programme.acronym}/deliveries/new/"
    assert list(client.get(url).context["form"].fields["provider"].queryset) == [partner_org]
    response = client.post(url, delivery_form(company, coaching, lead_org))
    assert response.status_code == 200 and "provider" in response.context["form"].errors
    body = {"service": coaching.pk, "company": company.pk, "provider": lead_org.pk,
            "date": "2021-05-04", "quantity": 2}  # fmt: skip
    response = token_client(advisor).post(
        "/api/v1/deliveries", body, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Delivery.objects.exists()


def test_page_and_api_let_a_manager_record_for_another_partner(
    client, manager, programme, company, training, partner_org
):
    url = f"/programmes/{programme.acronym}/deliveries/new/"
    response = login(client, manager).post(url, delivery_form(company, training, partner_org))
    assert response.status_code == 302
    body = {"service": training.pk, "company": company.pk, "provider": partner_org.pk,
            "date": "2021-05-05", "quantity": 1}  # fmt: skip
    response = token_client(manager).post(
        "/api/v1/deliveries", body, content_type="application/json"
    )
    assert response.status_code == 201
