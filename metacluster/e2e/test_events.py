"""A matchmaking event in a real browser: an SME asks a buyer for a meeting, the buyer accepts
through their personal link, the organiser schedules all and publishes, and both see the
meeting on their agenda, each in their own time zone."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metacluster.e2e.browser import log_in
from metacluster.events.models import Event, Participant, Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.click("header form button[type=submit]:has-text('Log out')")


@pytest.fixture
def online_event(programme, company, sme_user, manager):
    event = Event.objects.create(
        programme=programme, title="Smart City Online Matchmaking", time_zone="Europe/Stockholm"
    )
    Session.objects.create(
        event=event,
        name="Asia",
        date=timezone.localdate() + timedelta(days=7),
        start_time=time(9),
        end_time=time(11),
    )
    event.regenerate_slots()
    Participant.objects.create(
        event=event,
        kind="sme",
        company=company,
        organisation=company.name,
        country="SE",
        time_zone="Europe/Stockholm",
    )
    buyer = Participant.objects.create(
        event=event,
        kind="buyer",
        organisation="Da Nang Smart City Centre",
        email="buyer@example.vn",
        country="VN",
        time_zone="Asia/Ho_Chi_Minh",
    )
    return event, buyer, buyer.issue_link()


def test_request_accept_schedule_agenda(page, live_server, online_event, sme_user, manager):
    event, buyer, key = online_event
    # The SME finds the buyer and asks for a meeting.
    log_in(page, live_server, sme_user)
    page.goto(f"{live_server.url}/events/{event.pk}/participants/")
    page.click("#participants >> text=Da Nang Smart City Centre")
    page.fill("#request-form textarea", "We light streets with half the energy.")
    page.click("#request-form button[type=submit]")
    page.wait_for_selector("text=Your request is sent to Da Nang Smart City Centre")
    assert page.locator("#requests .status").first.inner_text() == "Pending"
    log_out(page)

    # The buyer has no account: their personal link opens their requests.
    page.goto(f"{live_server.url}/events/p/{key}/requests/")
    assert page.locator("text=We light streets with half the energy.").is_visible()
    page.click("#requests button:has-text('Accept')")
    page.wait_for_selector("text=You accepted the request.")
    page.goto(f"{live_server.url}/events/p/{key}/agenda/")
    assert page.locator("text=The organiser has not published the agenda yet.").is_visible()

    # The organiser schedules all and publishes the final agenda.
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/events/{event.pk}/schedule/")
    page.click("#schedule-all")
    # "Schedule all" is a background job: its page reports the outcome and leads back.
    page.wait_for_selector("text=1 of 1 accepted requests are scheduled")
    page.click("#job-continue")
    expect(page.locator("#schedule a.meeting")).to_have_count(1)
    page.select_option("#id_agenda_status", "final")
    page.click("#publish")
    page.wait_for_selector("text=The agenda is now final.")
    log_out(page)

    # Both see the meeting: the SME in Stockholm time, the buyer in Vietnam's.
    log_in(page, live_server, sme_user)
    page.goto(f"{live_server.url}/events/{event.pk}/agenda/")
    row = page.locator("#agenda article[id^=meeting-]")
    assert row.count() == 1
    assert "Da Nang Smart City Centre" in row.inner_text()
    assert re.search(r"09:00–09:20 CES?T", row.locator(".mine").inner_text())
    assert re.search(r"1[56]:00–1[56]:20 \+07", row.locator(".theirs").inner_text())
    # A week ahead the room is not offered yet; the meeting's details give its address.
    assert row.locator("a:has-text('Join video meeting')").count() == 0
    row.locator("a:has-text('Details')").click()
    expect(page.locator("a[href^='https://meet.jit.si/Metacluster-']")).to_have_count(1)
    page.goto(f"{live_server.url}/events/p/{key}/agenda/")
    buyer_row = page.locator("#agenda article[id^=meeting-]")
    assert re.search(r"1[56]:00–1[56]:20 \+07", buyer_row.locator(".mine").inner_text())


def test_a_reported_outcome_stays_chosen_and_a_past_meeting_offers_no_video(
    page, live_server, programme, company, sme_user
):
    from metacluster.events import workflows

    event = Event.objects.create(
        programme=programme, title="Yesterday's matchmaking", time_zone="Europe/Stockholm"
    )
    Session.objects.create(
        event=event,
        name="Morning",
        date=timezone.localdate() - timedelta(days=1),
        start_time=time(9),
        end_time=time(10),
    )
    event.regenerate_slots()
    sme = Participant.objects.create(
        event=event, kind="sme", company=company, organisation=company.name, country="SE"
    )
    buyer = Participant.objects.create(
        event=event, kind="buyer", organisation="Da Nang Smart City Centre", country="VN"
    )
    request = workflows.send_request(sme, buyer)
    workflows.answer_request(request, buyer, accept=True)
    workflows.place(request, event.slots.first(), None)
    Event.objects.filter(pk=event.pk).update(agenda_status="final")

    log_in(page, live_server, sme_user)
    page.goto(f"{live_server.url}/events/{event.pk}/agenda/")
    row = page.locator("#agenda article[id^=meeting-]")
    assert row.locator("a:has-text('Join video meeting')").count() == 0  # it was yesterday
    row.locator("select[name=outcome]").select_option("lead")
    row.locator("button:has-text('Report')").click()
    page.wait_for_selector("text=the outcome is recorded")
    row = page.locator("#agenda article[id^=meeting-]")
    assert row.locator("select[name=outcome]").input_value() == "lead"
    assert "Lead" in row.locator(".outcome").inner_text()
