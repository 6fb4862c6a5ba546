"""Each role lands on its own home page: the manager's figures, the advisor's inbox, the SME's
next steps, the viewer's read-only figures; each at a fixed cost in queries."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from metacluster.companies.tests.records import fill
from metacluster.conftest import PASSWORD, make_user
from metacluster.events.choices import ParticipantKind
from metacluster.events.models import Event, Meeting, MeetingRequest, Participant, Session
from metacluster.servicerequests.models import ServiceRequest


@pytest.fixture(autouse=True)
def lexical_ranking(monkeypatch):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def lead_advisor(lead_org):
    return make_user("lead-advisor", organisation=lead_org, role="advisor")


def test_a_manager_lands_on_indicators_against_targets(
    client, manager, programme, nonfin_indicator
):
    response = login(client, manager).get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/home_manager.html"
    assert "SME-NONFIN" in response.text and 'id="reports-due"' in response.text


def test_an_advisor_lands_on_the_inbox_with_requests_to_accept(
    client, advisor, company, training, lead_org
):
    asked = ServiceRequest.objects.create(
        service=training, company=company, referring_organisation=lead_org
    )
    response = login(client, advisor).get("/")
    assert response.templates[0].name == "accounts/home_advisor.html"
    assert f'action="/requests/{asked.pk}/move/"' in response.text


def test_accepting_from_the_inbox_is_one_click_and_returns_to_the_inbox(
    client, advisor, company, training, lead_org
):
    asked = ServiceRequest.objects.create(
        service=training, company=company, referring_organisation=lead_org
    )
    response = login(client, advisor).post(
        f"/requests/{asked.pk}/move/", {"to": "accepted", "version": asked.version, "next": "/"}
    )
    assert response["Location"] == "/"
    asked.refresh_from_db()
    assert asked.status == "accepted" and asked.advisor == advisor


def test_the_inbox_badge_counts_what_waits(client, advisor, company, training, lead_org):
    ServiceRequest.objects.create(
        service=training, company=company, referring_organisation=lead_org
    )
    badge = login(client, advisor).get("/accounts/inbox/badge/")
    assert 'id="inbox-count"' in badge.text


def test_a_company_with_nothing_planned_has_no_next_step(client, advisor, other_company, company):
    # other_company is looked after by the advisor's organisation (partner_org) and has
    # nothing open: it shows in the list; company belongs to the lead partner: it does not.
    page = login(client, advisor).get("/").text
    stalled = page[page.index('id="inbox-stalled"') :]
    assert other_company.name in stalled and company.name not in stalled


def test_a_viewer_sees_figures_and_nothing_to_act_on(client, viewer, programme, nonfin_indicator):
    response = login(client, viewer).get("/")
    assert response.templates[0].name == "accounts/home_viewer.html"
    assert "SME-NONFIN" in response.text
    assert "/requests/" not in response.text.split("<main>")[1]


def test_an_sme_sees_its_next_steps_with_the_meeting_video(client, sme_user, company, programme):
    event = Event.objects.create(
        programme=programme, title="B2B", scheduling_mode="self", format="online"
    )
    Session.objects.create(
        event=event,
        name="Day",
        date=timezone.localdate() + timedelta(days=2),
        start_time=time(9),
        end_time=time(10),
    )
    event.regenerate_slots()
    sme = Participant.objects.create(
        event=event,
        kind=ParticipantKind.SME,
        company=company,
        organisation=company.name,
        country="SE",
    )
    buyer = Participant.objects.create(
        event=event, kind="buyer", organisation="Osaka Buyer", email="b@example.jp", country="JP"
    )
    request = MeetingRequest.objects.create(
        event=event, sender=buyer, recipient=sme, status="accepted"
    )
    meeting = Meeting.objects.create(event=event, request=request, slot=event.slots.first())
    response = login(client, sme_user).get("/")
    assert response.templates[0].name == "accounts/home_sme.html"
    assert "Osaka Buyer" in response.text
    assert meeting.video_url in response.text
    assert company.registry_code not in response.text


def test_the_sme_menu_has_no_administration(client, sme_user, company):
    menu = login(client, sme_user).get("/").text.split("<main>")[0]
    for hidden in ("/stateaid/", "/scouting/", "/deals/", "/reporting/"):
        assert hidden not in menu


@pytest.mark.parametrize("who", ["manager", "lead_advisor", "viewer", "sme_user"])
def test_each_home_page_costs_the_same_queries_for_few_and_many_records(
    client,
    request,
    who,
    company,
    programme,
    lead_org,
    coaching,
    nonfin_indicator,
    django_assert_max_num_queries,
):
    user = request.getfixturevalue(who)
    client = login(client, user)
    fill(company, programme, coaching, lead_org, 2, advisor=None)
    with django_assert_max_num_queries(60) as few:
        assert client.get("/").status_code == 200
    fill(company, programme, coaching, lead_org, 8, advisor=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/").status_code == 200
    if who == "lead_advisor":
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get("/accounts/inbox/badge/").status_code == 200
