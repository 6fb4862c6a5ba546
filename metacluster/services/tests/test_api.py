"""The service catalogue and deliveries through the API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metacluster.companies.models import Company, Contact, Engagement
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery
from metacluster.testing import assert_error, ids, token_client


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def deliver(service, company, on=date(2021, 3, 15), quantity=2):
    return record_delivery(
        Delivery(
            service=service, company=company, provider=service.provider, date=on, quantity=quantity
        )
    )


@pytest.fixture
def new_company(lead_org):
    """Added by the lead partner, not yet engaged in any programme."""
    return Company.objects.create(name="Epsilon Fictional AB", country="SE", owner=lead_org)


# --- Catalogue ---------------------------------------------------------------------------------


def test_catalogue_lists_the_programmes_services(advisor, programme, coaching, training):
    client = token_client(advisor)
    body = client.get(f"/api/v1/programmes/{programme.pk}/services").json()
    assert {s["name"] for s in body["items"]} == {"Export coaching", "Export workshop"}
    coaching_row = next(s for s in body["items"] if s["id"] == coaching.pk)
    assert (coaching_row["value_per_unit"], coaching_row["unit"]) == ("100.00", "hours")
    assert ids(client.get(f"/api/v1/programmes/{programme.pk}/services?kind=training")) == [
        training.pk
    ]


def test_outsider_gets_404_on_the_catalogue(outsider, programme, coaching):
    assert_error(token_client(outsider).get(f"/api/v1/programmes/{programme.pk}/services"), 404)


# --- Reading deliveries ------------------------------------------------------------------------


def test_outsider_does_not_see_deliveries(outsider, coaching, company):
    delivery = deliver(coaching, company)
    client = token_client(outsider)
    assert ids(client.get("/api/v1/deliveries")) == []
    assert_error(client.get(f"/api/v1/deliveries/{delivery.pk}"), 404)


def test_sme_user_sees_only_its_own_deliveries(sme_user, coaching, company, other_company):
    own = deliver(coaching, company)
    other = deliver(coaching, other_company)
    client = token_client(sme_user)
    assert ids(client.get("/api/v1/deliveries")) == [own.pk]
    assert_error(client.get(f"/api/v1/deliveries/{other.pk}"), 404)


def test_delivery_filters(manager, programme, coaching, training, company, other_company):
    early = deliver(coaching, company, on=date(2021, 1, 5))
    late = deliver(training, other_company, on=date(2021, 9, 5))
    client = token_client(manager)
    assert ids(client.get(f"/api/v1/deliveries?programme={programme.pk}")) == [late.pk, early.pk]
    assert ids(client.get(f"/api/v1/deliveries?company={company.pk}")) == [early.pk]
    assert ids(client.get(f"/api/v1/deliveries?service={training.pk}")) == [late.pk]
    assert ids(client.get(f"/api/v1/deliveries?provider={coaching.provider_id}")) == [early.pk]
    assert ids(client.get("/api/v1/deliveries?date_from=2021-06-01")) == [late.pk]
    assert ids(client.get("/api/v1/deliveries?date_to=2021-06-01")) == [early.pk]
    assert_error(client.get("/api/v1/deliveries?date_from=2021-02-30"), 400, "date_from")
    assert_error(client.get("/api/v1/deliveries?company=alpha"), 400, "company")


@pytest.mark.parametrize(
    "query",
    [
        "date_to=0",  # pydantic would read a number as seconds since 1970
        "date_to=1617235200",
        "date_from=2021-06-01T00:00:00",  # a time, not a date
        "company=1.5",  # an id is a whole number
        "company=1e3",
        "company=1&company=2",  # one value, given twice
    ],
)
def test_delivery_filters_are_read_strictly(manager, coaching, company, query):
    deliver(coaching, company)
    response = token_client(manager).get(f"/api/v1/deliveries?{query}")
    assert_error(response, 400, query.split("=")[0])


def test_catalogue_filter_active_is_true_or_false(manager, programme, coaching):
    client = token_client(manager)
    url = f"/api/v1/programmes/{programme.pk}/services"
    assert [s["id"] for s in client.get(f"{url}?active=true").json()["items"]] == [coaching.pk]
    for value in ("1", "yes", "on"):
        assert_error(client.get(f"{url}?active={value}"), 400, "active")


def test_listing_deliveries_costs_the_same_queries_for_more_rows(
    manager, coaching, training, company, other_company
):
    client = token_client(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/deliveries").status_code == 200
        return len(captured)

    deliver(coaching, company)
    one = queries()
    for day in range(1, 5):
        deliver(training, other_company, on=date(2021, 6, day))
    assert queries() == one


def test_delivery_shows_its_value(manager, coaching, company):
    delivery = deliver(coaching, company, quantity=3)
    body = token_client(manager).get(f"/api/v1/deliveries/{delivery.pk}").json()
    assert (body["quantity"], body["value"], body["company"]) == ("3.00", "300.00", company.name)


# --- Recording a delivery ----------------------------------------------------------------------


def test_it_refuses_a_company_the_user_cannot_see(advisor, training, new_company):
    # Added by the lead partner and not yet in the programme: invisible to the other partner.
    body = {"service": training.pk, "company": new_company.pk, "date": "2021-05-04", "quantity": 3}
    assert_error(post(token_client(advisor), "/api/v1/deliveries", body), 400, "company")
    assert not Delivery.objects.exists()


def test_manager_records_a_delivery_that_engages_the_company(
    manager, programme, coaching, new_company, lead_org
):
    body = {
        "service": coaching.pk,
        "company": new_company.pk,
        "date": "2021-05-04",
        "quantity": "1.5",
    }
    response = post(token_client(manager), "/api/v1/deliveries", body)
    assert response.status_code == 201, response.content
    delivery = Delivery.objects.get()
    assert (delivery.provider, delivery.advisor, delivery.created_by) == (
        lead_org,
        manager,
        manager,
    )
    assert response.json()["quantity"] == "1.50"
    engagement = Engagement.objects.get(company=new_company, programme=programme)
    assert engagement.partner == lead_org


def test_advisor_records_its_own_organisations_delivery(advisor, training, company, partner_org):
    body = {"service": training.pk, "company": company.pk, "date": "2021-05-04", "quantity": 2}
    response = post(token_client(advisor), "/api/v1/deliveries", body)
    assert response.status_code == 201, response.content
    assert Delivery.objects.get().provider == partner_org


def test_advisor_cannot_record_for_another_partner(advisor, coaching, company, lead_org):
    body = {
        "service": coaching.pk,
        "company": company.pk,
        "provider": lead_org.pk,
        "date": "2021-05-04",
        "quantity": 2,
    }
    assert_error(post(token_client(advisor), "/api/v1/deliveries", body), 403)
    assert not Delivery.objects.exists()


def test_manager_records_for_another_partner(manager, training, company, partner_org, advisor):
    body = {
        "service": training.pk,
        "company": company.pk,
        "provider": partner_org.pk,
        "advisor": advisor.pk,
        "date": "2021-05-04",
        "quantity": 2,
    }
    response = post(token_client(manager), "/api/v1/deliveries", body)
    assert response.status_code == 201, response.content
    delivery = Delivery.objects.get()
    assert (delivery.provider, delivery.advisor) == (partner_org, advisor)


def test_provider_must_be_a_partner(manager, coaching, company, outsider_org):
    body = {
        "service": coaching.pk,
        "company": company.pk,
        "provider": outsider_org.pk,
        "date": "2021-05-04",
        "quantity": 2,
    }
    assert_error(post(token_client(manager), "/api/v1/deliveries", body), 400, "provider")
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("user_fixture", ["viewer", "sme_user"])
def test_viewers_and_sme_users_cannot_record(request, coaching, company, user_fixture):
    client = token_client(request.getfixturevalue(user_fixture))
    body = {"service": coaching.pk, "company": company.pk, "date": "2021-05-04", "quantity": 2}
    assert_error(post(client, "/api/v1/deliveries", body), 403)
    assert not Delivery.objects.exists()


def test_outsider_cannot_use_the_programmes_services(outsider, coaching, outsider_company):
    body = {
        "service": coaching.pk,
        "company": outsider_company.pk,
        "date": "2021-05-04",
        "quantity": 1,
    }
    assert_error(post(token_client(outsider), "/api/v1/deliveries", body), 400, "service")
    assert not Delivery.objects.exists()


def test_a_delivery_outside_the_programme_period_changes_nothing(manager, coaching, new_company):
    body = {"service": coaching.pk, "company": new_company.pk, "date": "2019-12-31", "quantity": 2}
    assert_error(post(token_client(manager), "/api/v1/deliveries", body), 400, "date")
    assert not Delivery.objects.exists()
    assert not Engagement.objects.filter(company=new_company).exists()


def test_a_delivery_in_the_future_changes_nothing(manager, programme, coaching, company):
    programme.end_date = timezone.localdate() + timedelta(days=365)
    programme.save()
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = {
        "service": coaching.pk,
        "company": company.pk,
        "date": tomorrow.isoformat(),
        "quantity": 1,
    }
    body_json = assert_error(post(token_client(manager), "/api/v1/deliveries", body), 400, "date")
    assert "future" in body_json["fields"]["date"][0]
    assert not Delivery.objects.exists()


def test_the_contact_must_work_at_the_company(manager, coaching, company, other_company):
    contact = Contact.objects.create(company=other_company, name="Bo", lawful_basis="contract")
    body = {
        "service": coaching.pk,
        "company": company.pk,
        "contact": contact.pk,
        "date": "2021-05-04",
        "quantity": 1,
    }
    assert_error(post(token_client(manager), "/api/v1/deliveries", body), 400, "contact")
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": "0.00"}, "quantity"),
        ({"quantity": "a lot"}, "quantity"),
        ({"quantity": 10**12}, "quantity"),  # more digits than the column holds
        ({"quantity": "1234567"}, "quantity"),
        ({"quantity": "1.505"}, "quantity"),  # more decimal places than the column holds
        ({"quantity": 1.5}, "quantity"),  # a fraction is sent as a string, "1.5"
        ({"quantity": "1e2"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"date": "yesterday"}, "date"),
        ({"date": "2021-13-01"}, "date"),
        ({"date": 1620086400}, "date"),  # seconds since 1970
        ({"date": "2021-05-04T00:00:00"}, "date"),
        ({"company": "1"}, "company"),  # an id is a JSON number
        ({"company": True}, "company"),
        ({"company": 10**30}, "company"),  # beyond any id
        ({"company": 987654}, "company"),  # unknown id
        ({"service": "coaching"}, "service"),
        ({"advisor": 987654}, "advisor"),
        ({"contact": 987654}, "contact"),
    ],
)
def test_malformed_deliveries_are_400(manager, coaching, company, change, field):
    body = {"service": coaching.pk, "company": company.pk, "date": "2021-05-04", "quantity": 1}
    assert_error(post(token_client(manager), "/api/v1/deliveries", {**body, **change}), 400, field)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("quantity", ["0.5", "2", "2.25", 2, 2.0, "999999.99"])
def test_quantity_is_a_decimal_string_or_a_whole_number(manager, coaching, company, quantity):
    body = {"service": coaching.pk, "company": company.pk, "date": "2021-05-04"}
    # A million hours of coaching is far past the state-aid ceiling: the manager says why.
    body["aid_override_reason"] = "Checked with the managing authority."
    response = post(token_client(manager), "/api/v1/deliveries", {**body, "quantity": quantity})
    assert response.status_code == 201, response.content
    assert Delivery.objects.get().quantity == Decimal(str(quantity))


def test_invalid_json_is_400(manager, programme):
    response = token_client(manager).post(
        "/api/v1/deliveries", "{'service': 1}", content_type="application/json"
    )
    assert_error(response, 400)


# --- Attendance --------------------------------------------------------------------------------


def test_attendance_records_one_delivery_per_company(
    manager, training, company, other_company, partner_org
):
    body = {
        "service": training.pk,
        "companies": [company.pk, other_company.pk],
        "provider": partner_org.pk,
        "date": "2021-10-10",
        "quantity": 4,
        "notes": "Export pricing workshop",
    }
    response = post(token_client(manager), "/api/v1/deliveries/attendance", body)
    assert response.status_code == 201, response.content
    deliveries = Delivery.objects.all()
    assert {d.company_id for d in deliveries} == {company.pk, other_company.pk}
    assert len({d.batch for d in deliveries}) == 1
    assert str(deliveries[0].batch) == response.json()["batch"]
    assert len(response.json()["deliveries"]) == 2


def test_attendance_with_one_bad_company_creates_nothing(
    manager, training, company, other_company, outsider_company
):
    body = {
        "service": training.pk,
        "companies": [company.pk, outsider_company.pk, other_company.pk, 987654],
        "provider": training.provider_id,
        "date": "2021-10-10",
        "quantity": 4,
    }
    error = assert_error(post(token_client(manager), "/api/v1/deliveries/attendance", body), 400)
    assert set(error["fields"]) == {"companies.1", "companies.3"}
    assert not Delivery.objects.exists()


def test_attendance_refuses_a_company_listed_twice(manager, training, company):
    body = {
        "service": training.pk,
        "companies": [company.pk, company.pk],
        "provider": training.provider_id,
        "date": "2021-10-10",
        "quantity": 4,
    }
    error = assert_error(post(token_client(manager), "/api/v1/deliveries/attendance", body), 400)
    assert set(error["fields"]) == {"companies.1"}
    assert not Delivery.objects.exists()


def test_attendance_on_a_bad_date_creates_nothing(manager, training, company, other_company):
    body = {
        "service": training.pk,
        "companies": [company.pk, other_company.pk],
        "provider": training.provider_id,
        "date": "2023-02-01",
        "quantity": 4,
    }
    assert_error(post(token_client(manager), "/api/v1/deliveries/attendance", body), 400, "date")
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "companies, field",
    [
        ([], "companies"),  # nobody attended
        (["alpha"], "companies.0"),  # not ids
        ("1,2", "companies"),  # not a list
    ],
)
def test_attendance_needs_a_list_of_ids(manager, training, companies, field):
    body = {"service": training.pk, "companies": companies, "date": "2021-10-10", "quantity": 1}
    assert_error(post(token_client(manager), "/api/v1/deliveries/attendance", body), 400, field)
    assert not Delivery.objects.exists()


def test_viewer_cannot_record_attendance(viewer, training, company):
    body = {"service": training.pk, "companies": [company.pk], "date": "2021-10-10", "quantity": 1}
    assert_error(post(token_client(viewer), "/api/v1/deliveries/attendance", body), 403)
    assert not Delivery.objects.exists()
