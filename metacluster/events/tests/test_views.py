"""The pages: who may open what (outsiders 404, private requests stay private, a buyer's link
opens only that buyer's pages), times in both sides' time zones, exports."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from metacluster.events import workflows
from metacluster.events.adapters import schedule_all
from metacluster.events.models import Event, MeetingRequest


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def private_request(other_participant, buyer):
    """A request between two others, which the SME user must not see."""
    return workflows.send_request(other_participant, buyer, message="Confidential pricing")


def test_the_index_lists_visible_events_only(event, manager, outsider):
    assert event.title in login(manager).get("/events/").text
    assert event.title not in login(outsider).get("/events/").text


@pytest.mark.parametrize(
    "path",
    [
        "",
        "participants/",
        "requests/",
        "schedule/",
        "sessions/",
        "analytics/",
        "agenda/",
        "grid/",
        "meetings/new/",
    ],
)
def test_outsiders_get_404_on_every_event_page(event, outsider, path):
    assert login(outsider).get(f"/events/{event.pk}/{path}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "",
        "participants/",
        "requests/",
        "schedule/",
        "sessions/",
        "analytics/",
        "grid/",
        "meetings/new/",
    ],
)
def test_organisers_open_every_page(event, sme_participant, buyer, advisor, path):
    assert login(advisor).get(f"/events/{event.pk}/{path}").status_code == 200


def test_a_viewer_sees_but_cannot_schedule(event, viewer):
    client = login(viewer)
    assert client.get(f"/events/{event.pk}/schedule/").status_code == 200
    assert client.post(f"/events/{event.pk}/schedule/run/").status_code == 403


def test_an_sme_user_sees_its_own_requests_but_not_others_private_ones(
    event, sme_user, sme_participant, buyer, private_request
):
    mine = workflows.send_request(sme_participant, buyer, message="Our own request")
    client = login(sme_user)
    page = client.get(f"/events/{event.pk}/requests/").text
    assert "Our own request" in page
    assert "Confidential pricing" not in page
    # Nor through the buyer's profile, nor by answering it, nor through organiser pages.
    assert (
        "Confidential pricing"
        not in client.get(f"/events/{event.pk}/participants/{buyer.pk}/").text
    )
    answer = client.post(f"/events/{event.pk}/requests/{private_request.pk}/answer/")
    assert answer.status_code == 404
    assert client.get(f"/events/{event.pk}/schedule/").status_code == 404
    assert client.get(f"/events/{event.pk}/analytics/").status_code == 404
    assert mine.status == "pending"


def test_an_sme_user_acts_only_for_its_own_company(
    event, sme_user, sme_participant, other_participant, buyer
):
    client = login(sme_user)
    client.post(f"/events/{event.pk}/participants/{buyer.pk}/request/", {"message": "Hi"})
    sent = MeetingRequest.objects.get()
    assert sent.sender == sme_participant
    # It cannot edit another participant's profile.
    edit = client.get(f"/events/{event.pk}/participants/{other_participant.pk}/edit/")
    assert edit.status_code == 403


def test_an_sme_user_of_a_company_not_taking_part_gets_404(event, sme_user):
    assert login(sme_user).get(f"/events/{event.pk}/").status_code == 404


def test_a_buyer_link_opens_the_buyer_s_pages_and_answers_requests(
    event, sme_participant, buyer, buyer_key, private_request
):
    client = Client()
    base = f"/events/p/{buyer_key}/"
    request = workflows.send_request(sme_participant, buyer, message="Smart poles")
    page = client.get(base + "requests/")
    assert page.status_code == 200 and "Smart poles" in page.text
    client.post(base + f"requests/{request.pk}/answer/", {"answer": "accept"})
    request.refresh_from_db()
    assert request.status == "accepted"
    # No organiser pages by link; a wrong key is a 404.
    assert client.get(base + "schedule/").status_code == 404
    assert client.get(base + "analytics/").status_code == 404
    assert client.get("/events/p/mce_not-a-real-key/").status_code == 404


def test_a_buyer_link_does_not_show_other_pairs_requests(
    event, sme_participant, other_participant, buyer_key
):
    secret = workflows.send_request(sme_participant, other_participant, message="Between SMEs")
    client = Client()
    page = client.get(f"/events/p/{buyer_key}/requests/").text
    assert "Between SMEs" not in page
    answer = client.post(f"/events/p/{buyer_key}/requests/{secret.pk}/answer/")
    assert answer.status_code == 404


def test_the_agenda_shows_each_meeting_in_my_time_and_theirs_across_a_dst_change(
    event, sme_user, sme_participant, buyer
):
    """Stockholm leaves summer time on 25 October 2020; Shanghai has none. The same local
    09:00 slot is 15:00 in Shanghai on Saturday and 16:00 on Monday."""
    for day_slot in (event.slots.all()[0], event.slots.all()[6]):
        other = event.participants.create(
            kind="buyer",
            organisation=f"Buyer at {day_slot.pk}",
            email=f"b{day_slot.pk}@example.cn",
            country="CN",
            time_zone="Asia/Shanghai",
        )
        request = workflows.send_request(sme_participant, other)
        workflows.answer_request(request, other, accept=True)
        workflows.place(request, day_slot, None)
    Event.objects.filter(pk=event.pk).update(agenda_status="final")
    sme_user.time_zone = "Europe/Stockholm"
    sme_user.save()
    page = login(sme_user).get(f"/events/{event.pk}/agenda/").text
    # The event is in 2020, not this year: the dates carry their year.
    assert "Sat 24 Oct 2020, 09:00–09:20 CEST" in page
    assert "Sat 24 Oct 2020, 15:00–15:20 CST" in page
    assert "Mon 26 Oct 2020, 09:00–09:20 CET" in page
    assert "Mon 26 Oct 2020, 16:00–16:20 CST" in page


def test_the_agenda_puts_the_next_meeting_first_and_past_ones_last(
    event, sme_user, sme_participant, buyer
):
    slots = sorted(event.slots.all(), key=lambda slot: slot.start)[:3]
    meetings = []
    for index, slot in enumerate(slots):
        other = event.participants.create(
            kind="buyer", organisation=f"Buyer {index}", email=f"b{index}@example.cn", country="CN"
        )
        request = workflows.send_request(sme_participant, other)
        workflows.answer_request(request, other, accept=True)
        meetings.append(workflows.place(request, slot, None))
    Event.objects.filter(pk=event.pk).update(agenda_status="final")
    # A minute into the second meeting: the first is over, the second still matters.
    with time_machine.travel(slots[1].start + timedelta(minutes=1), tick=False):
        page = login(sme_user).get(f"/events/{event.pk}/agenda/").text
    order = [page.index(f'id="meeting-{m.pk}"') for m in meetings]
    assert order[1] < order[2] < order[0]  # next, then later, then the past one
    card = page[order[1] : order[2]]
    assert "Next meeting" in card


def test_the_agenda_is_hidden_from_participants_until_published(
    event, sme_user, sme_participant, buyer
):
    request = workflows.send_request(sme_participant, buyer)
    workflows.answer_request(request, buyer, accept=True)
    meeting = workflows.place(request, event.slots.first(), None)
    client = login(sme_user)
    assert "not published" in client.get(f"/events/{event.pk}/agenda/").text
    assert client.get(f"/events/{event.pk}/meetings/{meeting.pk}/invite.ics").status_code == 404
    Event.objects.filter(pk=event.pk).update(agenda_status="preliminary")
    invite = client.get(f"/events/{event.pk}/meetings/{meeting.pk}/invite.ics")
    assert invite.status_code == 200 and b"BEGIN:VCALENDAR" in invite.content


def test_organisers_schedule_all_and_publish(event, manager, sme_participant, buyer):
    request = workflows.send_request(sme_participant, buyer)
    workflows.answer_request(request, buyer, accept=True)
    client = login(manager)
    client.post(f"/events/{event.pk}/schedule/run/")
    assert event.meetings.scheduled().count() == 1
    client.post(f"/events/{event.pk}/schedule/publish/", {"status": "final"})
    event.refresh_from_db()
    assert event.agenda_status == "final"


def test_moving_into_a_conflict_shows_the_conflict_and_changes_nothing(
    event, manager, sme_participant, other_participant, buyer
):
    slots = list(event.slots.all())
    pairs = [(sme_participant, buyer), (other_participant, buyer)]
    meetings = []
    for (a, b), slot in zip(pairs, slots, strict=False):
        request = workflows.send_request(a, b)
        workflows.answer_request(request, b, accept=True)
        meetings.append(workflows.place(request, slot, None))
    response = login(manager).post(
        f"/events/{event.pk}/meetings/{meetings[0].pk}/", {"action": "move", "slot": slots[1].pk}
    )
    assert "already has a meeting" in response.text
    meetings[0].refresh_from_db()
    assert meetings[0].slot == slots[0]


def test_analytics_export_as_csv_and_xlsx(
    event, manager, sme_participant, buyer, other_participant
):
    request = workflows.send_request(sme_participant, buyer)
    workflows.answer_request(request, buyer, accept=True)
    workflows.send_request(other_participant, buyer)
    expired = workflows.send_request(other_participant, sme_participant)
    MeetingRequest.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    schedule_all(event, time_limit=1)
    client = login(manager)
    csv = client.get(f"/events/{event.pk}/analytics/?format=csv").content.decode()
    assert "Requests sent,3" in csv and "Expired,1" in csv and "Pending,1" in csv
    assert "Participants without a meeting,1" in csv
    xlsx = client.get(f"/events/{event.pk}/analytics/?format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.worksheets[0].values)
    assert rows[0][0] == "Participant" and len(rows) == 4


def test_organisers_add_a_buyer_and_issue_a_link_shown_once(event, advisor):
    client = login(advisor)
    response = client.post(
        f"/events/{event.pk}/participants/add/",
        {
            "kind": "buyer",
            "organisation": "Santiago Movilidad SpA",
            "email": "compras@example.cl",
            "country": "CL",
            "time_zone": "America/Santiago",
        },
    )
    assert response.status_code == 302
    person = event.participants.get(email="compras@example.cl")
    page = client.post(f"/events/{event.pk}/participants/{person.pk}/link/").text
    key = page.split("/events/p/")[1].split("/")[0]
    assert Client().get(f"/events/p/{key}/").status_code == 200
    person.refresh_from_db()
    assert key not in person.token_hash


def test_an_invitation_e_mails_the_personal_link_with_the_sessions_in_the_buyer_s_time(
    event, advisor, buyer, mailoutbox
):
    login(advisor).post(f"/events/{event.pk}/participants/{buyer.pk}/link/", {"send": "1"})
    (mail,) = mailoutbox
    assert mail.to == ["buyer@example.cn"]
    assert "/events/p/mce_" in mail.body
    # 09:00 in Stockholm on 24 October 2020 (summer time) is 15:00 in Shanghai.
    assert "Sat 24 Oct 2020, 15:00" in mail.body


def test_a_buyer_edits_their_profile_and_availability_by_link(event, buyer, buyer_key):
    client = Client()
    base = f"/events/p/{buyer_key}/participants/{buyer.pk}/edit/"
    first_day, second_day = event.sessions.all()
    response = client.post(
        base,
        {
            "version": buyer.version,
            "contact_name": "Li Wei",
            "time_zone": "Asia/Shanghai",
            "profile": "Street lighting for 40 districts",
            "available_in": [second_day.pk],
        },
    )
    assert response.status_code == 302, response.content
    buyer.refresh_from_db()
    assert buyer.contact_name == "Li Wei"
    assert list(buyer.unavailable_sessions.all()) == [first_day]
    # Another participant's profile is not theirs to edit.
    other = event.participants.create(
        kind="buyer", organisation="X", email="x@example.org", country="VN"
    )
    assert client.get(f"/events/p/{buyer_key}/participants/{other.pk}/edit/").status_code == 403


def test_malformed_posts_are_refused_calmly_and_answers_never_redirect_off_site(
    event, advisor, sme_participant, buyer, buyer_key
):
    request = workflows.send_request(sme_participant, buyer)
    client = Client()
    response = client.post(
        f"/events/p/{buyer_key}/requests/{request.pk}/answer/",
        {"answer": "decline", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/events/p/{buyer_key}/requests/"
    staff = login(advisor)
    assert (
        staff.post(
            f"/events/{event.pk}/sessions/", {"action": "delete-session", "id": "x"}
        ).status_code
        == 302
    )
    event.scheduling_mode = "self"
    event.save()
    request = workflows.send_request(
        buyer,
        event.participants.create(
            kind="buyer", organisation="Y", email="y@example.org", country="VN"
        ),
    )
    assert (
        client.post(
            f"/events/p/{buyer_key}/requests/{request.pk}/book/", {"slot": "abc"}
        ).status_code
        == 200
    )


def test_a_stale_edit_of_the_event_is_refused_and_changes_nothing(event, advisor):
    client = login(advisor)
    form = {
        "title": "Renamed",
        "description": "",
        "format": "online",
        "venue": "",
        "time_zone": "Europe/Stockholm",
        "slot_minutes": 20,
        "pause_minutes": 0,
        "tables": "",
        "max_meetings": "",
        "request_mode": "approval",
        "scheduling_mode": "organiser",
        "request_expiry_hours": 72,
        "video_base_url": "https://meet.jit.si/",
        "version": event.version,
    }
    assert client.post(f"/events/{event.pk}/edit/", form).status_code == 302
    stale = client.post(f"/events/{event.pk}/edit/", {**form, "title": "Other name"})
    assert "Someone else changed this record" in stale.text
    event.refresh_from_db()
    assert event.title == "Renamed" and event.slots.count() == 12


def test_a_longer_meeting_length_recuts_the_slots_unless_a_meeting_would_be_lost(
    event, advisor, sme_participant, buyer
):
    request = workflows.send_request(sme_participant, buyer)
    workflows.answer_request(request, buyer, accept=True)
    workflows.place(request, event.slots.all()[1], None)  # 09:20
    form = {
        "title": event.title,
        "format": "online",
        "time_zone": "Europe/Stockholm",
        "slot_minutes": 30,
        "pause_minutes": 0,
        "request_mode": "approval",
        "scheduling_mode": "organiser",
        "request_expiry_hours": 72,
        "video_base_url": "https://meet.jit.si/",
        "version": event.version,
    }
    refused = login(advisor).post(f"/events/{event.pk}/edit/", form)
    assert "holds meetings" in refused.text
    event.refresh_from_db()
    assert event.slot_minutes == 20 and event.slots.count() == 12


def test_analytics_exports_write_formula_like_names_as_text(event, manager, buyer):
    evil = '\t=HYPERLINK("http://evil.example/")'  # a tab first: spreadsheets skip it
    buyer.organisation = evil
    buyer.save()
    client = login(manager)
    csv = client.get(f"/events/{event.pk}/analytics/?format=csv").content.decode()
    assert '"\'\t=HYPERLINK(""http://evil.example/"")"' in csv
    xlsx = client.get(f"/events/{event.pk}/analytics/?format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    values = [cell.value for row in book.worksheets[0].iter_rows() for cell in row]
    assert "'" + evil in values


def _published_meeting(event, sme_participant, buyer):
    request = workflows.send_request(sme_participant, buyer)
    workflows.answer_request(request, buyer, accept=True)
    meeting = workflows.place(request, event.slots.first(), None)
    Event.objects.filter(pk=event.pk).update(agenda_status="final")
    return meeting


def test_an_organiser_downloads_the_event_s_whole_agenda(
    event, advisor, sme_participant, other_participant, buyer
):
    _published_meeting(event, sme_participant, buyer)
    _published_meeting(
        event,
        other_participant,
        buyer.__class__.objects.create(
            event=event,
            kind="buyer",
            organisation="Tallinn Port",
            country="EE",
            time_zone="Europe/Tallinn",
        ),
    )
    schedule = login(advisor).get(f"/events/{event.pk}/schedule/").text
    assert f'href="/events/{event.pk}/agenda.ics"' in schedule
    response = login(advisor).get(f"/events/{event.pk}/agenda.ics")
    assert response.status_code == 200
    calendar = response.content.decode()
    assert calendar.count("BEGIN:VEVENT") == 2
    assert "Shanghai Smart Lighting Co" in calendar and "Tallinn Port" in calendar


def test_an_outsider_gets_no_agenda_of_the_event(event, outsider, sme_participant, buyer):
    _published_meeting(event, sme_participant, buyer)
    assert login(outsider).get(f"/events/{event.pk}/agenda.ics").status_code == 404


def test_a_participant_s_agenda_holds_only_their_own_meetings(
    event, sme_user, sme_participant, other_participant, buyer
):
    _published_meeting(event, sme_participant, buyer)
    other_buyer = buyer.__class__.objects.create(
        event=event,
        kind="buyer",
        organisation="Tallinn Port",
        country="EE",
        time_zone="Europe/Tallinn",
    )
    _published_meeting(event, other_participant, other_buyer)
    calendar = login(sme_user).get(f"/events/{event.pk}/agenda.ics").content.decode()
    assert calendar.count("BEGIN:VEVENT") == 1 and "Tallinn Port" not in calendar


def test_the_agenda_offers_the_video_link_only_around_the_meeting(
    event, sme_user, sme_participant, buyer
):
    meeting = _published_meeting(event, sme_participant, buyer)
    client = login(sme_user)
    with time_machine.travel(meeting.slot.start + timedelta(minutes=5), tick=False):
        assert "Join video meeting" in client.get(f"/events/{event.pk}/agenda/").text
    with time_machine.travel(meeting.slot.end + timedelta(days=400), tick=False):
        assert "Join video meeting" not in client.get(f"/events/{event.pk}/agenda/").text
    with time_machine.travel(meeting.slot.start - timedelta(days=2), tick=False):
        assert "Join video meeting" not in client.get(f"/events/{event.pk}/agenda/").text


def test_the_agenda_keeps_the_reported_outcome_chosen(event, sme_user, sme_participant, buyer):
    meeting = _published_meeting(event, sme_participant, buyer)
    client = login(sme_user)
    response = client.post(
        f"/events/{event.pk}/meetings/{meeting.pk}/outcome/", {"outcome": "lead"}, follow=True
    )
    assert "the outcome is recorded" in response.text
    select = response.text.split(f'id="meeting-{meeting.pk}"')[1].split("</select>")[0]
    assert '<option value="lead" selected>' in select
    assert '<option value="none" selected>' not in select
    assert "Deal: " in response.text.split(f'id="meeting-{meeting.pk}"')[1].split("</tr>")[0]
