"""The testbed API: slots, booking, cancelling and use; outsiders and other SMEs see nothing."""

import pytest
import time_machine

from metacluster.testbeds.models import Booking
from metacluster.testbeds.workflows import book
from metacluster.testing import assert_error, ids, token_client

from .conftest import at

pytestmark = pytest.mark.django_db


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_slots_with_free_seats(now, testbed, advisor, company):
    book(testbed, company, at(2, 7), by=advisor)
    response = token_client(advisor).get(
        f"/api/v1/testbeds/{testbed.pk}/slots?date_from=2021-03-02&date_to=2021-03-02"
    )
    assert response.status_code == 200, response.content
    assert [(s["starts_at"], s["free"]) for s in response.json()] == [
        ("2021-03-02T07:00:00Z", 1),
        ("2021-03-02T11:00:00Z", 2),
    ]


def test_slots_outside_the_programme_period_are_listed_as_not_bookable(now, testbed, advisor):
    # The programme ends on Saturday 31 December 2022: Friday is in, Monday is out.
    response = token_client(advisor).get(
        f"/api/v1/testbeds/{testbed.pk}/slots?date_from=2022-12-30&date_to=2023-01-02"
    )
    assert response.status_code == 200, response.content
    assert [(s["starts_at"][:10], s["free"], s["bookable"]) for s in response.json()] == [
        ("2022-12-30", 2, True),
        ("2022-12-30", 2, True),
        ("2023-01-02", 0, False),
        ("2023-01-02", 0, False),
    ]
    assert "period" in response.json()[-1]["reason"]


def test_every_slot_listed_as_bookable_can_be_booked_and_no_other(
    now, testbed, advisor, company, other_company
):
    book(testbed, company, at(2, 7), by=advisor)
    book(testbed, other_company, at(2, 7), by=advisor)  # full
    client = token_client(advisor)
    listed = []
    # This week (begun, full and free slots) and the programme's last days.
    for first, last in (("2021-03-01", "2021-03-03"), ("2022-12-30", "2023-01-03")):
        url = f"/api/v1/testbeds/{testbed.pk}/slots?date_from={first}&date_to={last}"
        listed += client.get(url).json()
    assert {s["bookable"] for s in listed} == {True, False}
    for slot in listed:
        response = post(
            client,
            f"/api/v1/testbeds/{testbed.pk}/bookings",
            {"company": company.pk, "starts_at": slot["starts_at"]},
        )
        assert (response.status_code == 201) is slot["bookable"], (slot, response.content)
        assert (slot["free"] > 0) is slot["bookable"]
        if not slot["bookable"]:
            assert response.json()["error"]


def test_too_long_a_slot_range_is_400(now, testbed, advisor):
    response = token_client(advisor).get(
        f"/api/v1/testbeds/{testbed.pk}/slots?date_from=2021-03-01&date_to=2021-06-01"
    )
    assert_error(response, 400, "date_to")


def test_book_cancel_and_rebook(now, testbed, sme_user, company):
    client = token_client(sme_user)
    url = f"/api/v1/testbeds/{testbed.pk}/bookings"
    body = {"company": company.pk, "starts_at": "2021-03-02T09:00:00+02:00"}
    created = post(client, url, body)
    assert created.status_code == 201, created.content
    assert created.json()["starts_at"] == "2021-03-02T07:00:00Z"
    cancelled = post(client, f"/api/v1/testbeds/bookings/{created.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert post(client, url, body).status_code == 201


def test_a_full_slot_is_400(now, testbed, advisor, company, other_company):
    book(testbed, company, at(2, 7), by=advisor)
    book(testbed, other_company, at(2, 7), by=advisor)
    response = post(
        token_client(advisor),
        f"/api/v1/testbeds/{testbed.pk}/bookings",
        {"company": company.pk, "starts_at": "2021-03-02T07:00:00Z"},
    )
    assert_error(response, 400, "starts_at")


def test_use_records_one_delivery(now, testbed, advisor, company):
    booking = book(testbed, company, at(2, 7), by=advisor)
    client = token_client(advisor)
    with time_machine.travel(at(2, 12), tick=False):
        first = post(client, f"/api/v1/testbeds/bookings/{booking.pk}/use")
        second = post(client, f"/api/v1/testbeds/bookings/{booking.pk}/use")
    assert first.status_code == 200 and first.json()["delivery_id"]
    assert_error(second, 400)


def test_outsiders_get_404(now, testbed, advisor, company, outsider):
    booking = book(testbed, company, at(2, 7), by=advisor)
    client = token_client(outsider)
    assert_error(client.get(f"/api/v1/testbeds/{testbed.pk}"), 404)
    assert_error(post(client, f"/api/v1/testbeds/bookings/{booking.pk}/cancel"), 404)
    assert ids(client.get("/api/v1/testbeds/bookings")) == []


def test_an_sme_sees_only_its_own_bookings(now, testbed, advisor, sme_user, company, other_company):
    mine = book(testbed, company, at(2, 7), by=advisor)
    theirs = book(testbed, other_company, at(2, 7), by=advisor)
    client = token_client(sme_user)
    assert ids(client.get("/api/v1/testbeds/bookings")) == [mine.pk]
    assert_error(post(client, f"/api/v1/testbeds/bookings/{theirs.pk}/cancel"), 404)
    response = post(
        client,
        f"/api/v1/testbeds/{testbed.pk}/bookings",
        {"company": other_company.pk, "starts_at": "2021-03-02T11:00:00Z"},
    )
    assert_error(response, 400, "company")
    assert Booking.objects.count() == 2
