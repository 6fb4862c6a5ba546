"""The testbed pages: who sees which facility and booking, booking from the calendar."""

import pytest
import time_machine
from django.test import Client

from metacluster.conftest import PASSWORD
from metacluster.testbeds.models import Booking, Testbed
from metacluster.testbeds.workflows import book

from .conftest import at

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_list_shows_the_programmes_testbeds(now, testbed, sme_user, advisor):
    for user in (sme_user, advisor):
        response = client_for(user).get("/testbeds/")
        assert response.status_code == 200 and "Ülemiste pilot area" in response.content.decode()


def test_outsiders_see_no_testbed_and_get_404(now, testbed, outsider, company, advisor):
    booking = book(testbed, company, at(2, 7), by=advisor)
    client = client_for(outsider)
    assert "Ülemiste" not in client.get("/testbeds/").content.decode()
    assert client.get(f"/testbeds/{testbed.pk}/").status_code == 404
    assert client.post(f"/testbeds/{testbed.pk}/book/").status_code == 404
    assert client.post(f"/testbeds/bookings/{booking.pk}/cancel/").status_code == 404
    assert client.post(f"/testbeds/bookings/{booking.pk}/use/").status_code == 404


def test_the_calendar_shows_the_week_in_the_facility_time(now, testbed, sme_user):
    response = client_for(sme_user).get(f"/testbeds/{testbed.pk}/?week=2021-03-01")
    content = response.content.decode()
    assert content.count('class="slot') == 10  # five days × two slots
    assert "09:00" in content and "13:00" in content  # Tallinn time, not UTC


def test_the_calendar_offers_no_slot_after_the_programme(now, testbed, sme_user):
    # The programme ends on Saturday 31 December 2022; the week after it cannot be booked.
    content = client_for(sme_user).get(f"/testbeds/{testbed.pk}/?week=2023-01-02").content.decode()
    assert content.count('class="slot') == 10
    assert 'class="slot free' not in content and "2 free" not in content
    assert "Book</button>" not in content


def test_an_sme_books_from_the_calendar(now, testbed, sme_user, company):
    response = client_for(sme_user).post(
        f"/testbeds/{testbed.pk}/book/",
        {"starts_at": "2021-03-02 07:00:00+00:00", "company": company.pk, "purpose": "LoRa"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.company == company and booking.purpose == "LoRa"


def test_an_sme_cannot_book_for_another_company(now, testbed, sme_user, other_company):
    client_for(sme_user).post(
        f"/testbeds/{testbed.pk}/book/",
        {"starts_at": "2021-03-02 07:00:00+00:00", "company": other_company.pk},
    )
    assert not Booking.objects.exists()


def test_an_sme_sees_only_its_own_bookings(now, testbed, advisor, sme_user, company, other_company):
    book(testbed, company, at(2, 7), by=advisor, purpose="ours")
    book(testbed, other_company, at(2, 7), by=advisor, purpose="theirs")
    content = client_for(sme_user).get(f"/testbeds/{testbed.pk}/?week=2021-03-01").content
    assert b"ours" in content and b"theirs" not in content


def test_the_facility_records_use_from_the_page(now, testbed, advisor, company):
    booking = book(testbed, company, at(2, 7), by=advisor)
    with time_machine.travel(at(2, 12), tick=False):
        response = client_for(advisor).post(f"/testbeds/bookings/{booking.pk}/use/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "used" and booking.delivery is not None


def test_cancel_redirects_only_to_this_site(now, testbed, advisor, company):
    booking = book(testbed, company, at(2, 7), by=advisor)
    response = client_for(advisor).post(
        f"/testbeds/bookings/{booking.pk}/cancel/", {"next": "https://evil.example/"}
    )
    assert response.url == f"/testbeds/{testbed.pk}/"


def test_partners_list_their_own_facilities(now, advisor, testbed_service, sme_user, viewer):
    form = {
        "service": testbed_service.pk,
        "name": "Fibre lab",
        "kind": "laboratory",
        "town": "Tallinn",
        "country": "EE",
        "time_zone": "Europe/Tallinn",
        "capacity": 1,
        "weekdays": "135",
        "opens_at": "08:00",
        "closes_at": "12:00",
        "slot_minutes": 120,
        "active": "on",
    }
    assert client_for(sme_user).post("/testbeds/new/", form).status_code == 403
    assert client_for(viewer).post("/testbeds/new/", form).status_code == 403
    assert client_for(advisor).post("/testbeds/new/", form).status_code == 302
    assert Testbed.objects.get(name="Fibre lab").weekdays == "135"


def test_only_the_facility_partner_edits_it(now, testbed, lead_org):
    from metacluster.accounts.choices import Role
    from metacluster.conftest import make_user

    other_advisor = make_user("advisor2", organisation=lead_org, role=Role.ADVISOR)
    assert client_for(other_advisor).get(f"/testbeds/{testbed.pk}/edit/").status_code == 403


def test_bad_opening_hours_are_form_errors(now, advisor, testbed_service):
    response = client_for(advisor).post(
        "/testbeds/new/",
        {
            "service": testbed_service.pk,
            "name": "X",
            "kind": "laboratory",
            "town": "T",
            "country": "EE",
            "time_zone": "Europe/Tallinn",
            "capacity": 1,
            "weekdays": "19",
            "opens_at": "12:00",
            "closes_at": "08:00",
            "slot_minutes": 60,
        },
    )
    assert response.status_code == 200
    assert not Testbed.objects.exists()
