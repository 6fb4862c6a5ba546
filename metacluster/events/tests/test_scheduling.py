"""“Schedule all” from the database: accepted requests, availability and locked meetings go in,
meetings with slots and tables come out; what moves gets a new invite version."""

import pytest
from django.core.exceptions import ValidationError

from metacluster.events import workflows
from metacluster.events.adapters import schedule_all, scheduler_input
from metacluster.events.choices import MeetingStatus, RequestStatus
from metacluster.events.models import Booking, Meeting, Participant


@pytest.fixture
def buyers(event):
    return [
        Participant.objects.create(
            event=event,
            kind="buyer",
            organisation=f"Buyer {n}",
            email=f"buyer{n}@example.cn",
            country="CN",
            time_zone="Asia/Shanghai",
        )
        for n in range(4)
    ]


def accept_all(smes, buyers):
    for sme in smes:
        for buyer in buyers:
            request = workflows.send_request(sme, buyer)
            workflows.answer_request(request, buyer, accept=True)


def test_every_accepted_request_is_scheduled_without_double_booking(
    event, sme_participant, other_participant, buyers
):
    accept_all([sme_participant, other_participant], buyers)
    workflows.send_request(sme_participant, other_participant)  # pending: not scheduled
    stats = schedule_all(event, time_limit=2)
    assert stats["requests"] == stats["scheduled"] == 8
    assert stats["upper_bound"] == 8
    meetings = Meeting.objects.filter(status=MeetingStatus.SCHEDULED)
    assert meetings.count() == 8
    assert all(m.request.status == RequestStatus.ACCEPTED for m in meetings)
    seats = list(Booking.objects.values_list("participant", "slot"))
    assert len(seats) == len(set(seats)) == 16


def test_unavailable_sessions_are_respected(event, sme_participant, buyers):
    accept_all([sme_participant], buyers)
    first_day = event.sessions.first()
    sme_participant.unavailable_sessions.add(first_day)
    schedule_all(event, time_limit=1)
    assert not Meeting.objects.filter(slot__session=first_day).exists()
    assert Meeting.objects.scheduled().count() == 4


def test_tables_limit_meetings_per_slot_and_are_distinct(
    event, sme_participant, other_participant, buyers
):
    event.tables = 1
    event.save()
    accept_all([sme_participant, other_participant], buyers)
    schedule_all(event, time_limit=2)
    per_slot = list(Meeting.objects.scheduled().values_list("slot", "table"))
    assert len(per_slot) == 8
    assert len({slot for slot, _ in per_slot}) == 8  # one table: one meeting per slot
    assert {table for _, table in per_slot} == {1}


def test_a_locked_meeting_stays_and_rescheduling_bumps_only_what_moved(
    event, sme_participant, buyers
):
    accept_all([sme_participant], buyers)
    schedule_all(event, time_limit=1)
    last = event.slots.last()
    locked = Meeting.objects.scheduled().first()
    workflows.move(locked, last, None)
    workflows.set_locked(locked, True)
    fixed = {r.id: r.fixed_slot for r in scheduler_input(event).requests}
    assert fixed[locked.request_id] == last.pk
    before = {m.pk: (m.slot_id, m.sequence) for m in Meeting.objects.all()}
    schedule_all(event, time_limit=1)
    locked.refresh_from_db()
    assert locked.slot == last and locked.locked
    for meeting in Meeting.objects.all():
        slot, sequence = before[meeting.pk]
        assert meeting.sequence == sequence + (meeting.slot_id != slot)


def test_a_request_withdrawn_after_scheduling_is_cancelled_not_deleted(
    event, sme_participant, buyers
):
    accept_all([sme_participant], buyers[:1])
    schedule_all(event, time_limit=1)
    meeting = Meeting.objects.get()
    workflows.withdraw_request(meeting.request, sme_participant)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 1


def test_an_event_without_sessions_cannot_be_scheduled(programme):
    from metacluster.events.models import Event

    empty = Event.objects.create(programme=programme, title="Empty")
    with pytest.raises(ValidationError, match="no slots"):
        schedule_all(empty, time_limit=1)
