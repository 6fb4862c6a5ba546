"""Organisers arrange meetings for an SME: they send a request on its behalf or place the
meeting in a slot and at a table; outside a side's business hours they confirm first, a clash
is refused. The grid of participants × slots shows who meets whom, when and where."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from metacluster.events import workflows
from metacluster.events.choices import ParticipantKind, RequestStatus
from metacluster.events.models import Meeting, MeetingRequest, Participant


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def tables(event):
    event.tables = 1
    event.save()
    return event


@pytest.fixture
def new_york(buyer):
    """The buyer in New York, where a Stockholm morning is the middle of the night."""
    buyer.time_zone = "America/New_York"
    buyer.save()
    return buyer


# --- The rule ----------------------------------------------------------------------------------


def test_placing_creates_the_accepted_request_and_books_both_sides(event, sme_participant, buyer):
    slot = event.slots.first()
    meeting = workflows.arrange(sme_participant, buyer, slot, None)
    assert meeting.slot == slot and meeting.is_scheduled
    assert meeting.request.sender == sme_participant
    assert meeting.request.status == RequestStatus.ACCEPTED
    assert set(meeting.bookings.values_list("participant", flat=True)) == {
        sme_participant.pk,
        buyer.pk,
    }


def test_placing_accepts_a_pending_request_between_the_two(event, sme_participant, buyer):
    request = workflows.send_request(buyer, sme_participant)
    meeting = workflows.arrange(sme_participant, buyer, event.slots.first(), None)
    assert meeting.request == request
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_outside_business_hours_needs_a_confirmation_and_places_nothing_before(
    event, sme_participant, new_york
):
    slot = event.slots.first()  # 09:00 in Stockholm, 03:00 in New York
    with pytest.raises(workflows.OutsideBusinessHours) as raised:
        workflows.arrange(sme_participant, new_york, slot, None, confirmed=False)
    assert "America/New_York" in raised.value.messages[0]
    assert not Meeting.objects.exists() and not MeetingRequest.objects.exists()
    meeting = workflows.arrange(sme_participant, new_york, slot, None, confirmed=True)
    assert meeting.is_scheduled


def test_a_participant_busy_in_the_slot_is_refused(
    event, sme_participant, other_participant, buyer
):
    slot = event.slots.first()
    workflows.arrange(other_participant, buyer, slot, None)
    with pytest.raises(ValidationError, match="already has a meeting"):
        workflows.arrange(sme_participant, buyer, slot, None)
    assert Meeting.objects.count() == 1
    assert not MeetingRequest.objects.filter(sender=sme_participant).exists()


def test_a_taken_table_is_refused(tables, sme_participant, other_participant, buyer, company):
    event = tables
    slot = event.slots.first()
    workflows.arrange(other_participant, buyer, slot, 1)
    third = Participant.objects.create(
        event=event, kind=ParticipantKind.BUYER, organisation="Riga Port", country="LV"
    )
    with pytest.raises(ValidationError, match="Table 1 is taken"):
        workflows.arrange(sme_participant, third, slot, 1)


def test_two_already_meeting_are_sent_to_the_meeting_to_move_it(event, sme_participant, buyer):
    first, second = list(event.slots.all())[:2]
    workflows.arrange(sme_participant, buyer, first, None)
    with pytest.raises(ValidationError, match="already meet"):
        workflows.arrange(sme_participant, buyer, second, None)


def test_only_participants_of_the_event_and_two_different_ones(event, sme_participant):
    with pytest.raises(ValidationError):
        workflows.arrange(sme_participant, sme_participant, event.slots.first(), None)


# --- The page ----------------------------------------------------------------------------------


def _url(event):
    return f"/events/{event.pk}/meetings/new/"


def test_an_organiser_places_a_meeting_for_an_sme(event, advisor, sme_participant, buyer):
    slot = event.slots.first()
    response = login(advisor).post(
        _url(event),
        {"sme": sme_participant.pk, "counterpart": buyer.pk, "slot": slot.pk, "action": "place"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/meetings/{meeting.pk}/"
    assert meeting.slot == slot


def test_the_page_warns_outside_business_hours_and_places_on_confirmation(
    event, advisor, sme_participant, new_york
):
    client = login(advisor)
    data = {
        "sme": sme_participant.pk,
        "counterpart": new_york.pk,
        "slot": event.slots.first().pk,
        "action": "place",
    }
    response = client.post(_url(event), data)
    assert response.status_code == 200
    assert "outside 08:00–18:00" in response.text and 'name="confirm"' in response.text
    assert not Meeting.objects.exists()
    # A confirmation given for another slot does not count.
    response = client.post(_url(event), {**data, "confirm": str(event.slots.last().pk)})
    assert response.status_code == 200 and not Meeting.objects.exists()
    response = client.post(_url(event), {**data, "confirm": str(data["slot"])})
    assert response.status_code == 302 and Meeting.objects.get().is_scheduled


def test_the_page_refuses_a_clash_with_the_reason(
    event, advisor, sme_participant, other_participant, buyer
):
    slot = event.slots.first()
    workflows.arrange(other_participant, buyer, slot, None)
    response = login(advisor).post(
        _url(event),
        {"sme": sme_participant.pk, "counterpart": buyer.pk, "slot": slot.pk, "action": "place"},
    )
    assert response.status_code == 200 and "already has a meeting" in response.text
    assert Meeting.objects.count() == 1


def test_an_organiser_sends_a_request_on_the_sme_s_behalf(
    event, advisor, sme_participant, buyer, mailoutbox
):
    response = login(advisor).post(
        _url(event),
        {
            "sme": sme_participant.pk,
            "counterpart": buyer.pk,
            "message": "Street lighting pilot",
            "action": "request",
        },
    )
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.sender, request.recipient) == (sme_participant, buyer)
    assert request.status == RequestStatus.PENDING and request.message == "Street lighting pilot"


def test_the_sme_side_must_be_an_sme(event, advisor, sme_participant, buyer):
    response = login(advisor).post(
        _url(event), {"sme": buyer.pk, "counterpart": sme_participant.pk, "action": "request"}
    )
    assert response.status_code == 200 and not MeetingRequest.objects.exists()


def test_the_page_preselects_the_participant_and_slot_from_the_grid(
    event, advisor, sme_participant, buyer
):
    slot = event.slots.first()
    response = login(advisor).get(f"{_url(event)}?participant={sme_participant.pk}&slot={slot.pk}")
    assert f'<option value="{sme_participant.pk}" selected>' in response.text
    assert f'<option value="{slot.pk}" selected>' in response.text
    response = login(advisor).get(f"{_url(event)}?participant={buyer.pk}")
    assert response.status_code == 200


@pytest.mark.parametrize("who, status", [("viewer", 403), ("sme_user", 403), ("outsider", 404)])
def test_only_the_event_s_organisers_arrange_meetings(
    event, sme_participant, buyer, request, who, status
):
    client = login(request.getfixturevalue(who))
    data = {
        "sme": sme_participant.pk,
        "counterpart": buyer.pk,
        "slot": event.slots.first().pk,
        "action": "place",
    }
    assert client.get(_url(event)).status_code == status
    assert client.post(_url(event), data).status_code == status
    assert not Meeting.objects.exists()


def test_a_participant_of_another_event_cannot_be_chosen(
    event, advisor, sme_participant, outsider_programme
):
    from metacluster.events.models import Event

    elsewhere = Event.objects.create(programme=outsider_programme, title="Elsewhere")
    stranger = Participant.objects.create(
        event=elsewhere, kind=ParticipantKind.BUYER, organisation="Stranger", country="LV"
    )
    response = login(advisor).post(
        _url(event),
        {"sme": sme_participant.pk, "counterpart": stranger.pk, "action": "request"},
    )
    assert response.status_code == 200 and not MeetingRequest.objects.exists()


# --- The grid ----------------------------------------------------------------------------------


def _grid(event):
    return f"/events/{event.pk}/grid/"


def test_the_grid_shows_each_meeting_free_and_unavailable_cells(
    tables, advisor, sme_participant, other_participant, buyer
):
    event = tables
    first = event.slots.first()
    meeting = workflows.arrange(sme_participant, buyer, first, 1)
    later = event.sessions.last()
    other_participant.unavailable_sessions.add(later)
    text = login(advisor).get(_grid(event)).text
    assert 'class="table-scroll"' in text
    assert f'href="/events/{event.pk}/meetings/{meeting.pk}/"' in text
    assert "Table 1" in text
    assert f"meetings/new/?participant={other_participant.pk}&amp;slot={first.pk}" in text
    assert "Unavailable" in text
    later_slot = event.slots.filter(session=later).first()
    assert f"participant={other_participant.pk}&amp;slot={later_slot.pk}" not in text


def test_the_grid_is_linked_from_the_event_navigation(event, advisor):
    assert f'href="/events/{event.pk}/grid/"' in login(advisor).get(f"/events/{event.pk}/").text


def test_the_grid_takes_as_many_queries_whatever_the_number_of_participants(
    event, advisor, sme_participant, other_participant, buyer
):
    client = login(advisor)
    workflows.arrange(sme_participant, buyer, event.slots.first(), None)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_grid(event)).status_code == 200
        return len(captured)

    before = count()
    for n in range(5):
        extra = Participant.objects.create(
            event=event, kind=ParticipantKind.BUYER, organisation=f"Buyer {n}", country="DE"
        )
        extra.unavailable_sessions.add(event.sessions.last())
        workflows.arrange(other_participant, extra, list(event.slots.all())[n + 1], None)
    assert count() == before


def test_a_viewer_sees_the_grid_without_place_links(event, viewer, sme_participant):
    text = login(viewer).get(_grid(event)).text
    assert "meetings/new/" not in text


@pytest.mark.parametrize("who", ["outsider", "sme_user"])
def test_outsiders_and_sme_users_get_no_grid(event, sme_participant, request, who):
    assert login(request.getfixturevalue(who)).get(_grid(event)).status_code == 404
