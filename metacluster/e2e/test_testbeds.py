"""Testbeds in a real browser: an SME books a slot from the facility's calendar."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metacluster.e2e.browser import log_in
from metacluster.services.models import Service
from metacluster.testbeds.models import Booking, Testbed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_testbed(programme, partner_org):
    """A pilot area open every day, in a programme that runs until 2030."""
    programme.end_date = date(2030, 12, 31)
    programme.save()
    service = Service.objects.create(
        programme=programme,
        provider=partner_org,
        kind="testbed",
        name="Pilot area access",
        unit="days",
        value_per_unit=800,
    )
    return Testbed.objects.create(
        service=service,
        name="Harbour pilot area",
        kind="pilot_area",
        town="Tallinn",
        country="EE",
        time_zone="Europe/Tallinn",
        capacity=1,
        weekdays="1234567",
        opens_at=time(8),
        closes_at=time(16),
        slot_minutes=480,
    )


def test_an_sme_books_a_slot_and_it_is_full_afterwards(page, live_server, open_testbed, sme_user):
    log_in(page, live_server, sme_user)

    page.goto(f"{live_server.url}/testbeds/")
    page.click("text=Harbour pilot area")
    today = timezone.localdate()
    next_monday = today + timedelta(days=7 - today.weekday())
    page.goto(f"{page.url}?week={next_monday.isoformat()}")

    first_slot = page.locator(".slot.free").first
    assert "08:00" in first_slot.inner_text()
    page.fill("#booking-purpose", "Autonomous shuttle sensors")
    first_slot.locator("button").click()
    expect(page.locator(".messages")).to_contain_text("Booked")

    booking = Booking.objects.get()
    assert booking.company == sme_user.company
    assert booking.purpose == "Autonomous shuttle sensors"
    assert booking.local_start.date() == next_monday
    # One site per slot: the slot just booked is now full.
    assert page.locator(".slot.full").count() == 1
    assert "Autonomous shuttle sensors" in page.locator("#bookings").inner_text()
