"""An organiser on a phone: the grid of participants × slots scrolls inside its box, never the
page; a free cell leads to placing a meeting there, which asks to confirm outside a side's
business hours and then shows on the grid."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metacluster.e2e.browser import log_in, sideways_overflow
from metacluster.events.models import Event, Participant, Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(programme, company):
    event = Event.objects.create(
        programme=programme, title="Smart City Matchmaking", time_zone="Europe/Stockholm"
    )
    Session.objects.create(
        event=event,
        name="Morning",
        date=timezone.localdate() + timedelta(days=7),
        start_time=time(9),
        end_time=time(12),
    )
    event.regenerate_slots()
    sme = Participant.objects.create(
        event=event, kind="sme", company=company, organisation=company.name, country="SE"
    )
    buyer = Participant.objects.create(
        event=event,
        kind="buyer",
        organisation="Boston Lighting Office",
        country="US",
        time_zone="America/New_York",
    )
    return event, sme, buyer


def test_an_organiser_places_a_meeting_from_the_grid_on_a_phone(
    browser, live_server, event, advisor
):
    event, sme, buyer = event
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server, advisor)
        page.goto(f"{live_server.url}/events/{event.pk}/")
        page.click(".event-nav >> text=Grid")
        page.wait_for_url(lambda url: url.endswith("/grid/"))
        assert sideways_overflow(page) <= 0
        assert page.evaluate(
            "document.querySelector('.table-scroll').scrollWidth"
            " > document.querySelector('.table-scroll').clientWidth"
        )
        first = event.slots.first()
        page.click(f"a[href$='?participant={sme.pk}&slot={first.pk}']")
        page.select_option("#id_counterpart", str(buyer.pk))
        page.click("#place")
        # 09:00 in Stockholm is the night in Boston: the page asks first.
        assert "America/New_York" in page.inner_text("#business-hours")
        page.click("#confirm")
        page.wait_for_url(lambda url: "/meetings/" in url and "/new/" not in url)
        page.click(".event-nav >> text=Grid")
        expect(page.locator("#grid td.busy >> text=Boston Lighting Office")).to_have_count(1)
    finally:
        context.close()
