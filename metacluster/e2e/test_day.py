"""A person's day in a real browser, counting clicks.

The advisor's journey: find a company, assess its readiness, ask a partner abroad for a
service, pick a market, read its guide, find the company's matches, bring it to a B2B event
and record the deal — in at most 15 clicks from the login form, with no URL typed. The SME's:
from the login form to joining its next meeting's video in at most 3.

A click is a press on a link or a button, or going back; answering the
assessment's questions and typing into a form are data, not navigation, and are not counted."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from metacluster.conftest import make_user
from metacluster.deals.models import Deal
from metacluster.e2e.browser import log_in
from metacluster.events.models import Event, Meeting, MeetingRequest, Participant, Session
from metacluster.markets.models import FeasibilityStudy
from metacluster.matchmaking.models import Capability, Offer, Opportunity
from metacluster.readiness import instruments
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def lexical_ranking(monkeypatch):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")


class Clicks:
    """Counts what the person presses."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, selector, **options):
        self.count += 1
        self.page.click(selector, **options)

    def back(self):
        self.count += 1
        self.page.go_back()


@pytest.fixture
def day(programme, company, partner_org, lead_org):
    """The company's world: a service abroad, an opportunity, an upcoming B2B event."""
    Service.objects.create(
        programme=programme,
        provider=partner_org,  # in Estonia: a partner abroad for a Swedish company
        kind=ServiceKind.MARKET_ANALYSIS,
        name="Baltic market analysis",
        unit="hours",
        value_per_unit=80,
    )
    parking = Capability.objects.create(programme=programme, code="parking", name="Parking")
    offer = Offer.objects.create(
        programme=programme,
        company=company,
        title="Parking sensors",
        description="Wireless parking sensors for smart cities.",
    )
    offer.capabilities.set([parking])
    opportunity = Opportunity.objects.create(
        programme=programme,
        partner=lead_org,
        title="Smart parking sensors for Hamburg",
        description="The city seeks wireless parking sensors for smart cities.",
        country="DE",
        buyer="Hamburg transport office",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    opportunity.capabilities.set([parking])
    event = Event.objects.create(programme=programme, title="Smart City B2B")
    Session.objects.create(
        event=event,
        name="Day one",
        date=timezone.localdate() + timedelta(days=10),
        start_time=time(9),
        end_time=time(12),
    )
    event.regenerate_slots()
    return event


def test_an_advisor_takes_a_company_from_search_to_deal_in_15_clicks(
    page, live_server, company, lead_org, day
):
    advisor = make_user("lead-advisor", organisation=lead_org, role="advisor")
    clicks = Clicks(page)
    page.goto(f"{live_server.url}/")  # the one address typed: the site's
    page.fill("#id_username", advisor.username)
    page.fill("#id_password", "correct-horse-battery-staple")
    clicks.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Inbox')")

    # Find the company.
    clicks.click("header >> text=Companies")
    page.fill("#id_q", "alpha")  # the list narrows as one types
    page.wait_for_url(re.compile(r".*q=alpha"))
    clicks.click(f"main a:has-text('{company.name}')")
    page.wait_for_selector(f"h1:has-text('{company.name}')")

    # Assess its readiness: one click starts, the answers are data, one click finishes.
    clicks.click("#hub-readiness button.start-assessment")
    page.wait_for_url(re.compile(r".*/readiness/\d+/answer/$"))
    for item in instruments.load(instruments.latest_version()).items:
        page.check(f"input[name={item.id}][value='4']")
    for weak in ("R5", "R6", "C4"):  # it knows little about its markets
        page.check(f"input[name={weak}][value='0']")
    clicks.click("button[name=finish]")
    page.wait_for_url(re.compile(r".*/readiness/\d+/$"))

    # Ask the partner abroad for the market analysis the result recommends.
    card = page.locator(".recommendation", has_text="Export market analysis")
    clicks.count += 1
    card.locator("button", has_text="Request").first.click()
    page.wait_for_selector(".messages li.success")
    assert ServiceRequest.objects.get(company=company).service.provider.country == "EE"

    # Back to the company: its readiness is on the hub.
    clicks.click("#company-hub")
    page.wait_for_selector("#hub-readiness >> text=/ 100")

    # Pick a market: the ranking for its offering loads on the hub; study the first.
    page.wait_for_selector("#hub-markets table")
    first_market = page.locator("#hub-markets tr td:nth-child(2)").first.inner_text()
    clicks.click("#hub-markets >> text=Start feasibility study")
    clicks.click("main button[type=submit]")
    page.wait_for_selector(f"h1:has-text('{company.name}')")
    study = FeasibilityStudy.objects.get(company=company)

    # Read the market's guide, and come back.
    clicks.click("#hub-markets a.guide-link")
    page.wait_for_url(re.compile(r".*/guides/markets/\w+/$"))
    clicks.back()

    # Its matches are on the hub, with reasons.
    page.wait_for_selector("#hub-matches >> text=Smart parking sensors for Hamburg")
    assert "Shared capabilities" in page.locator("#hub-matches").inner_text()

    # Bring it to the B2B event.
    clicks.click("#hub-events >> text=Bring to Smart City B2B")
    page.wait_for_selector(".messages li.success")
    assert day.participants.filter(company=company).exists()

    # Record the deal: programme, company and the studied market come filled in.
    clicks.click("#hub-deals >> text=Record a deal")
    page.fill("#id_counterpart", "Hamburg transport office")
    clicks.click("main button[type=submit]")
    page.wait_for_selector(f"h1:has-text('{company.name}')")
    deal = Deal.objects.get(company=company)
    assert deal.market == study.market and deal.programme_id == study.programme_id
    assert first_market  # the study was made for the market ranked first

    assert clicks.count <= 15, clicks.count
    # The hub's sections load after the page: let them finish before the database is reset.
    page.wait_for_load_state("networkidle")


def test_an_sme_joins_its_next_meeting_in_three_clicks(
    page, live_server, sme_user, company, programme
):
    event = Event.objects.create(
        programme=programme, title="Nordic online B2B", format="online", scheduling_mode="self"
    )
    Session.objects.create(
        event=event,
        name="Morning",
        date=timezone.localdate() + timedelta(days=1),
        start_time=time(9),
        end_time=time(10),
    )
    event.regenerate_slots()
    sme = Participant.objects.create(
        event=event, kind="sme", company=company, organisation=company.name, country="SE"
    )
    buyer = Participant.objects.create(
        event=event, kind="buyer", organisation="Oslo Buyer AS", email="b@example.no", country="NO"
    )
    request = MeetingRequest.objects.create(
        event=event, sender=buyer, recipient=sme, status="accepted"
    )
    meeting = Meeting.objects.create(event=event, request=request, slot=event.slots.first())
    # No internet here: the video service answers with a page of its own.
    page.context.route(
        re.compile(r"https://meet\.jit\.si/.*"),
        lambda route: route.fulfill(body="<title>video</title>", content_type="text/html"),
    )
    clicks = Clicks(page)
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", sme_user.username)
    page.fill("#id_password", "correct-horse-battery-staple")
    clicks.click("main button[type=submit]")
    page.wait_for_selector("#next-meeting")
    assert "Oslo Buyer AS" in page.locator("#next-meeting").inner_text()
    with page.expect_popup() as video:
        clicks.click("#join-video")
    assert video.value.url == meeting.video_url
    assert clicks.count <= 3, clicks.count
    page.wait_for_load_state("networkidle")


def test_log_in_lands_each_role_on_its_home(page, live_server, manager, sme_user):
    log_in(page, live_server, manager)
    assert page.locator("h1").inner_text() == "Your programmes"
    log_in(page, live_server, sme_user)
    assert page.locator("h1").inner_text() == "My next steps"
    page.wait_for_load_state("networkidle")
