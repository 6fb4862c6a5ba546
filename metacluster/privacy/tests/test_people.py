"""GDPR for the other people the platform holds: event participants (their contact person,
e-mail, time zone, meeting requests and meetings) and staff users (their profile, API tokens
and the audit entries they are the actor of). Same pages and permission rules as for contacts
and SME users; the same legal holds keep business records, never a person's identity."""

from datetime import date, time

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import Client

from metacluster.accounts.models import ApiToken
from metacluster.events.models import Event, Meeting, MeetingRequest, Participant, Session

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def event(programme):
    event = Event.objects.create(
        programme=programme, title="Smart City Matchmaking", time_zone="Europe/Stockholm"
    )
    Session.objects.create(
        event=event, name="Morning", date=date(2020, 10, 26), start_time=time(9), end_time=time(11)
    )
    event.regenerate_slots()
    return event


@pytest.fixture
def buyer(event):
    return Participant.objects.create(
        event=event, kind="buyer", organisation="Shanghai Smart Lighting Co",
        contact_name="Li Wei", email="li.wei@example.cn", country="CN", time_zone="Asia/Shanghai",
    )  # fmt: skip


@pytest.fixture
def meeting(event, buyer, company):
    sme = Participant.objects.create(
        event=event, kind="sme", company=company, organisation=company.name, country="SE"
    )
    request = MeetingRequest.objects.create(
        event=event, sender=buyer, recipient=sme, message="Li here: call me on +86 138 0000",
        status="accepted", expires_at=event.created_at,
    )  # fmt: skip
    return Meeting.objects.create(event=event, request=request, slot=event.slots.first())


# --- Event participants -----------------------------------------------------------------------


def test_a_participant_export_holds_their_contact_requests_and_meetings(manager, buyer, meeting):
    client = logged_in(manager)
    data = client.get(f"/privacy/participant/{buyer.pk}/export.json").json()
    assert data["subject"]["contact_name"] == "Li Wei"
    assert data["subject"]["email"] == "li.wei@example.cn"
    assert data["subject"]["time_zone"] == "Asia/Shanghai"
    assert "token_hash" not in data["subject"]
    assert data["records"]["meeting_requests"][0]["message"].startswith("Li here")
    assert len(data["records"]["meetings"]) == 1
    page = client.get(f"/privacy/participant/{buyer.pk}/export.html")
    assert "li.wei@example.cn" in page.text


def test_erasing_a_participant_under_hold_keeps_meetings_without_the_person(
    manager, buyer, meeting
):
    response = logged_in(manager).post(f"/privacy/participant/{buyer.pk}/erase/")
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.contact_name, buyer.email, buyer.token_hash) == ("", "", None)
    assert buyer.time_zone == "Europe/Stockholm"  # the event's, not the person's
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # funder evidence of the programme
    request = MeetingRequest.objects.get(pk=meeting.request_id)
    assert request.message == "" and request.reply == ""


def test_erasing_a_participant_without_hold_deletes_them_and_their_meetings(
    manager, buyer, meeting, settings
):
    settings.FUNDER_EVIDENCE_YEARS = 0  # the programme ended in 2022: no hold any more
    logged_in(manager).post(f"/privacy/participant/{buyer.pk}/erase/")
    assert not Participant.objects.filter(pk=buyer.pk).exists()
    assert not Meeting.objects.exists()


def test_only_the_events_programme_managers_handle_a_participants_data(
    advisor, viewer, outsider, buyer
):
    for user, status in ((advisor, 403), (viewer, 403), (outsider, 404)):
        client = logged_in(user)
        assert client.get(f"/privacy/participant/{buyer.pk}/export.json").status_code == status
        assert client.post(f"/privacy/participant/{buyer.pk}/erase/").status_code == status
    assert Participant.objects.get(pk=buyer.pk).email == "li.wei@example.cn"


# --- Staff users ------------------------------------------------------------------------------


@pytest.fixture
def colleague(lead_org):
    from metacluster.conftest import make_user

    return make_user("colleague", organisation=lead_org, role="advisor")


def test_a_staff_users_export_holds_profile_tokens_and_audit_entries(manager, colleague, company):
    ApiToken.issue(colleague, "laptop")
    with set_actor(colleague):
        company.name = "Alpha Renamed AB"
        company.save()
    data = logged_in(manager).get(f"/privacy/user/{colleague.pk}/export.json").json()
    assert data["subject"]["email"] == "colleague@example.org" and "password" not in data["subject"]
    assert [token["name"] for token in data["records"]["api_tokens"]] == ["laptop"]
    assert "key_hash" not in data["records"]["api_tokens"][0]
    assert data["records"]["audit_entries"][0]["object_repr"] == "Alpha Renamed AB"


def test_erasing_a_staff_user_pseudonymises_them_as_actor_and_keeps_the_entries(
    manager, colleague, company
):
    ApiToken.issue(colleague, "laptop")
    with set_actor(colleague):
        company.name = "Alpha Renamed AB"
        company.save()
    response = logged_in(manager).post(f"/privacy/user/{colleague.pk}/erase/")
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.username == f"erased-{colleague.pk}" and colleague.email == ""
    assert not colleague.is_active and not colleague.has_usable_password()
    assert not ApiToken.objects.filter(user=colleague, revoked_at__isnull=True).exists()
    entry = LogEntry.objects.filter(actor=colleague).get(object_repr="Alpha Renamed AB")
    assert entry.actor_email is None and entry.changes_dict["name"][1] == "Alpha Renamed AB"


def test_staff_users_data_is_for_their_organisations_managers_and_themselves(
    manager, advisor, outsider, colleague
):
    assert logged_in(colleague).get(f"/privacy/user/{colleague.pk}/export.json").status_code == 200
    assert logged_in(advisor).get(f"/privacy/user/{colleague.pk}/export.json").status_code == 404
    assert logged_in(outsider).get(f"/privacy/user/{colleague.pk}/export.json").status_code == 404
    assert logged_in(colleague).post(f"/privacy/user/{manager.pk}/erase/").status_code == 403
    assert logged_in(outsider).post(f"/privacy/user/{colleague.pk}/erase/").status_code == 404
    manager.refresh_from_db()
    assert manager.is_active


def test_the_profile_page_links_the_users_own_export(colleague):
    page = logged_in(colleague).get("/accounts/profile/").text
    assert f"/privacy/user/{colleague.pk}/export.json" in page
