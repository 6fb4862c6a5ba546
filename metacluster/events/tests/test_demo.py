"""The demo events work for every demo user: each event page opens (or is refused the way it
should be), the data has what the demo promises, and a buyer's personal link works."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import Client

from metacluster.accounts.models import User
from metacluster.events.choices import RequestStatus
from metacluster.events.models import Event, Meeting, MeetingOutcome

PAGES = ["", "participants/", "requests/", "agenda/", "schedule/", "sessions/", "analytics/"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_the_demo_has_events_with_requests_in_every_state_and_a_final_agenda(demo, db):
    digital = Event.objects.get(title__startswith="4SmartGrowth digital")
    assert set(digital.participants.values_list("country", flat=True)) >= {"CN", "VN", "CL"}
    assert digital.agenda_status == "final"
    assert digital.meetings.scheduled().count() >= 50
    states = set(Event.objects.values_list("requests__status", flat=True))
    assert states >= set(RequestStatus.values)
    assert MeetingOutcome.objects.exclude(meeting__deal=None).exists()
    sme = User.objects.get(username="sme")
    assert Event.objects.visible_to(sme).count() >= 1


@pytest.mark.parametrize(
    "username", ["admin", "manager.sisp", "advisor.tehnopol", "viewer", "sme", "manager.fov"]
)
def test_every_event_page_opens_or_is_refused_as_it_should(demo, db, username):
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    assert client.get("/events/").status_code == 200
    for event in Event.objects.all():
        visible = Event.objects.visible_to(user).filter(pk=event.pk).exists()
        for page in PAGES:
            status = client.get(f"/events/{event.pk}/{page}", follow=True).status_code
            if not visible:
                assert status == 404, (event, page)
            elif user.is_sme and page in ("schedule/", "sessions/", "analytics/"):
                assert status == 404, (event, page)
            else:
                assert status == 200, (event, page, status)


def test_a_demo_buyer_s_personal_link_opens_their_pages(demo, db):
    buyer = Event.objects.get(title__startswith="4SmartGrowth digital").participants.filter(
        kind="buyer", country="CL"
    )[0]
    key = buyer.issue_link()
    client = Client()
    for page in ("", "participants/", "requests/", "agenda/", "agenda.ics"):
        assert client.get(f"/events/p/{key}/{page}").status_code == 200, page
    agenda = client.get(f"/events/p/{key}/agenda/").text
    assert "America/Santiago" in agenda or "-03" in agenda


def test_the_sme_user_opens_its_meetings_and_invites(demo, db):
    user = User.objects.get(username="sme")
    client = Client()
    client.force_login(user)
    meetings = Meeting.objects.filter(
        Q(request__sender__company=user.company) | Q(request__recipient__company=user.company)
    )
    assert meetings.exists()
    for meeting in meetings.distinct():
        base = f"/events/{meeting.event_id}/meetings/{meeting.pk}/"
        assert client.get(base).status_code == 200
        assert client.get(base + "invite.ics").status_code == 200
