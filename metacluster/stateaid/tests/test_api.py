"""The state-aid API: check in advance, read the ledger, declare aid; outsiders see nothing."""

from datetime import date

import pytest

from metacluster.testing import assert_error, ids, token_client

from .conftest import declare, deliver

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_check_warns_before_recording(manager, coaching, company):
    declare(company, 170_000, date(2020, 6, 1))
    response = post(
        token_client(manager),
        "/api/v1/stateaid/check",
        {"company": company.pk, "service": coaching.pk, "quantity": "10", "date": "2021-05-04"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["value"] == "1000.00"
    assert body["assessment"]["status"] == "near"
    assert body["assessment"]["total"] == "171000.00"
    assert body["assessment"]["window_start"] == "2019-01-01"


def test_check_refuses_a_company_the_user_cannot_see(manager, coaching, outsider_company):
    response = post(
        token_client(manager),
        "/api/v1/stateaid/check",
        {
            "company": outsider_company.pk,
            "service": coaching.pk,
            "quantity": 1,
            "date": "2021-05-04",
        },
    )
    assert_error(response, 400, "company")


def test_a_delivery_past_the_ceiling_is_400_on_the_override_field(manager, coaching, company):
    declare(company, 199_990, date(2020, 6, 1))
    body = {"service": coaching.pk, "company": company.pk, "date": "2021-05-04", "quantity": 1}
    assert_error(
        post(token_client(manager), "/api/v1/deliveries", body), 400, "aid_override_reason"
    )
    body["aid_override_reason"] = "Refunded"
    response = post(token_client(manager), "/api/v1/deliveries", body)
    assert response.status_code == 201
    assert response.json()["aid_value"] == "100.00"


def test_attendance_reports_the_company_past_the_ceiling(
    manager, training, company, other_company, partner_org
):
    declare(other_company, 199_990, date(2020, 6, 1))
    response = post(
        token_client(manager),
        "/api/v1/deliveries/attendance",
        {
            "service": training.pk,
            "companies": [company.pk, other_company.pk],
            "date": "2021-05-04",
            "quantity": 1,
            "provider": partner_org.pk,
        },
    )
    assert set(assert_error(response, 400)["fields"]) == {"companies.1"}


def test_ledger_and_records(manager, coaching, company):
    deliver(coaching, company, 2, by=manager)
    client = token_client(manager)
    ledger = client.get(f"/api/v1/stateaid/companies/{company.pk}").json()
    assert ledger["standing"]["total"] == "200.00"
    assert [r["value"] for r in ledger["records"]] == ["200.00"]
    assert ledger["records"][0]["retention_until"] == "2031-05-04"
    assert len(ids(client.get(f"/api/v1/stateaid/records?company={company.pk}"))) == 1


def test_outsiders_and_other_smes_get_404(outsider, sme_user, other_company, company):
    assert_error(token_client(outsider).get(f"/api/v1/stateaid/companies/{company.pk}"), 404)
    assert_error(token_client(sme_user).get(f"/api/v1/stateaid/companies/{other_company.pk}"), 404)
    assert_error(
        post(
            token_client(outsider),
            f"/api/v1/stateaid/companies/{company.pk}/declarations",
            {"grantor": "X", "granted_on": "2021-01-01", "amount": 1},
        ),
        404,
    )


def test_an_sme_declares_through_the_api(sme_user, company):
    response = post(
        token_client(sme_user),
        f"/api/v1/stateaid/companies/{company.pk}/declarations",
        {"grantor": "ELY Centre (fictional)", "granted_on": "2021-01-01", "amount": "5000.50"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "5000.50"


def test_future_declarations_are_400(sme_user, company):
    response = post(
        token_client(sme_user),
        f"/api/v1/stateaid/companies/{company.pk}/declarations",
        {"grantor": "X", "granted_on": "2999-01-01", "amount": 1},
    )
    assert_error(response, 400, "granted_on")
