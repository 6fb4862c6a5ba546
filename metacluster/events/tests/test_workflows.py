"""Requests, expiry, self-booking without double booking, moves with conflicts, outcomes that
feed the deals pipeline."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal
from metacluster.events import workflows
from metacluster.events.choices import MeetingStatus, RequestMode, RequestStatus
from metacluster.events.models import Booking, MeetingRequest, Participant


def accepted(sender, recipient):
    request = workflows.send_request(sender, recipient, message="Let us meet")
    return workflows.answer_request(request, recipient, accept=True)


def test_a_request_waits_for_the_recipient_and_only_the_recipient_answers(sme_participant, buyer):
    request = workflows.send_request(sme_participant, buyer, message="Street lighting pilots?")
    assert request.status == RequestStatus.PENDING
    with pytest.raises(ValidationError):
        workflows.answer_request(request, sme_participant, accept=True)
    workflows.answer_request(request, buyer, accept=False, reply="Not this year")
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED and request.reply == "Not this year"
    with pytest.raises(ValidationError):
        workflows.answer_request(request, buyer, accept=True)


def test_only_one_open_request_per_pair_in_either_direction(sme_participant, buyer):
    workflows.send_request(sme_participant, buyer)
    with pytest.raises(ValidationError):
        workflows.send_request(sme_participant, buyer)
    with pytest.raises(ValidationError):
        workflows.send_request(buyer, sme_participant)


def test_in_an_auto_accept_event_a_request_is_accepted_at_once(event, sme_participant, buyer):
    event.request_mode = RequestMode.AUTO
    event.save()
    sme_participant.event.refresh_from_db()
    assert workflows.send_request(sme_participant, buyer).status == RequestStatus.ACCEPTED


def test_pending_requests_expire_after_the_event_s_time_and_then_cannot_be_answered(
    event, sme_participant, buyer
):
    request = workflows.send_request(sme_participant, buyer)
    assert request.expires_at == request.created_at + timedelta(hours=event.request_expiry_hours)
    with time_machine.travel(request.expires_at + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="expired"):
            workflows.answer_request(request, buyer, accept=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    # An expired request no longer blocks a new one.
    workflows.send_request(sme_participant, buyer)


def test_the_expire_requests_command_expires_only_what_is_due(
    sme_participant, buyer, other_participant
):
    due = workflows.send_request(sme_participant, buyer)
    fresh = workflows.send_request(other_participant, buyer)
    MeetingRequest.objects.filter(pk=due.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    call_command("expire_requests", verbosity=0)
    due.refresh_from_db()
    fresh.refresh_from_db()
    assert (due.status, fresh.status) == (RequestStatus.EXPIRED, RequestStatus.PENDING)


def test_self_booking_takes_a_common_free_slot_and_never_double_books(
    event, sme_participant, other_participant, buyer
):
    first = accepted(sme_participant, buyer)
    second = accepted(other_participant, buyer)
    slot = event.slots.first()
    meeting = workflows.book(first, slot, sme_participant)
    assert meeting.slot == slot
    assert set(Booking.objects.filter(slot=slot).values_list("participant", flat=True)) == {
        sme_participant.pk,
        buyer.pk,
    }
    # The buyer is busy then: the other SME cannot take the same slot with the buyer.
    with pytest.raises(ValidationError, match="already has a meeting"):
        workflows.book(second, slot, other_participant)
    with pytest.raises(ValidationError):
        workflows.book(second, event.slots.all()[1], sme_participant)  # not a side of it


def test_the_database_refuses_a_double_booking_even_without_the_checks(
    event, sme_participant, other_participant, buyer
):
    first = accepted(sme_participant, buyer)
    second = accepted(other_participant, buyer)
    slot = event.slots.first()
    workflows.place(first, slot, None)
    with pytest.raises(IntegrityError):
        workflows.place(second, slot, None)


def test_a_move_into_a_conflict_is_refused_with_the_reason(
    event, sme_participant, other_participant, buyer
):
    slots = list(event.slots.all())
    one = workflows.place(accepted(sme_participant, buyer), slots[0], None)
    workflows.place(accepted(other_participant, buyer), slots[1], None)
    assert workflows.conflicts(one.request, slots[1], None, ignore=one)
    with pytest.raises(ValidationError, match="already has a meeting"):
        workflows.move(one, slots[1], None)
    sme_participant.unavailable_sessions.add(slots[2].session)
    with pytest.raises(ValidationError, match="not available"):
        workflows.move(one, slots[2], None)
    moved = workflows.move(one, slots[8], None)
    assert moved.slot == slots[8] and moved.sequence == 1


def test_tables_are_numbered_and_never_shared(event, sme_participant, other_participant, buyer):
    event.tables = 1
    event.save()
    slot = event.slots.first()
    first = workflows.book(accepted(sme_participant, buyer), slot, sme_participant)
    assert first.table == 1
    hanoi = Participant.objects.create(
        event=event,
        kind="buyer",
        organisation="Hanoi Water",
        email="water@example.vn",
        country="VN",
        time_zone="Asia/Ho_Chi_Minh",
    )
    extra = accepted(other_participant, hanoi)
    with pytest.raises(ValidationError, match="table"):
        workflows.book(extra, slot, other_participant)


def test_cancelling_keeps_the_meeting_for_its_invite_and_frees_both_sides(
    event, sme_participant, buyer
):
    meeting = workflows.place(accepted(sme_participant, buyer), event.slots.first(), None)
    workflows.cancel_meeting(meeting)
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 1
    assert not Booking.objects.exists()


def test_an_agreement_reported_after_the_meeting_opens_a_deal_for_the_sme(
    event, sme_participant, buyer, company
):
    meeting = workflows.place(accepted(sme_participant, buyer), event.slots.first(), None)
    with time_machine.travel(meeting.slot.start - timedelta(hours=1)):
        with pytest.raises(ValidationError, match="after the meeting"):
            workflows.report_outcome(meeting, buyer, "lead")
    workflows.report_outcome(meeting, buyer, "lead", note="Wants a quote")
    meeting.refresh_from_db()
    deal = meeting.deal
    assert (deal.company, deal.market, deal.counterpart) == (company, "CN", buyer.organisation)
    assert deal.stage == DealStage.MEETING
    workflows.report_outcome(meeting, sme_participant, "agreement")
    deal.refresh_from_db()
    assert deal.stage == DealStage.AGREEMENT and deal.agreement_type == "sale"
    # A later, lesser report never moves the deal back; the same side reports once.
    workflows.report_outcome(meeting, buyer, "pilot")
    deal.refresh_from_db()
    assert deal.stage == DealStage.AGREEMENT
    assert meeting.outcomes.count() == 2
    assert Deal.objects.count() == 1


def test_no_follow_up_records_the_outcome_without_a_deal(event, sme_participant, buyer):
    meeting = workflows.place(accepted(sme_participant, buyer), event.slots.first(), None)
    workflows.report_outcome(meeting, sme_participant, "none")
    assert not Deal.objects.exists()
    with pytest.raises(ValidationError):
        workflows.report_outcome(meeting, sme_participant, "bogus")


def test_free_slots_leave_out_busy_unavailable_and_full_slots(
    event, sme_participant, other_participant, buyer
):
    slots = list(event.slots.all())
    workflows.place(accepted(other_participant, buyer), slots[0], None)
    request = accepted(sme_participant, buyer)
    sme_participant.unavailable_sessions.add(slots[6].session)  # the second day
    free = workflows.free_slots(request)
    assert free == slots[1:6]
    assert all(not workflows.conflicts(request, slot, None) for slot in free)


# --- E-mail notices ----------------------------------------------------------------------------


def test_the_person_asked_hears_of_a_request_once_it_is_saved(
    sme_participant, buyer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflows.send_request(sme_participant, buyer, message="Street lighting pilots?")
    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert notice.to == ["buyer@example.cn"]
    assert sme_participant.organisation in notice.subject
    assert "Street lighting pilots?" in notice.body
    assert "(Asia/Shanghai)" in notice.body  # the expiry in the buyer's own time zone


def test_the_sender_hears_the_answer_with_the_reply_once(
    sme_participant, buyer, sme_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = workflows.send_request(sme_participant, buyer)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.answer_request(request, buyer, accept=False, reply="Not this year")
    # The SME takes part through its company: its users hear of it.
    assert [m.to for m in mailoutbox] == [[sme_user.email]]
    assert "declined" in mailoutbox[0].subject
    assert "Not this year" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            workflows.answer_request(request, buyer, accept=True)
    assert len(mailoutbox) == 1


def test_a_stale_copy_of_an_answered_request_cannot_answer_again(
    sme_participant, buyer, sme_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = workflows.send_request(sme_participant, buyer)
    stale_copy = MeetingRequest.objects.get(pk=request.pk)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.answer_request(request, buyer, accept=True)
        with pytest.raises(ValidationError):
            workflows.answer_request(stale_copy, buyer, accept=False)
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.ACCEPTED
    assert len(mailoutbox) == 1


def test_a_withdrawal_is_announced_to_the_person_asked(
    sme_participant, buyer, mailoutbox, django_capture_on_commit_callbacks
):
    request = workflows.send_request(sme_participant, buyer)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.withdraw_request(request, sme_participant)
    assert [m.to for m in mailoutbox] == [["buyer@example.cn"]]
    assert "withdrew" in mailoutbox[0].subject


def test_nothing_is_sent_when_the_request_is_refused(
    sme_participant, buyer, mailoutbox, django_capture_on_commit_callbacks
):
    workflows.send_request(sme_participant, buyer)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            workflows.send_request(sme_participant, buyer)
    assert mailoutbox == []


def test_placing_outside_a_participants_business_hours_warns_until_confirmed(
    event, sme_participant, buyer
):
    from metacluster.events.models import Meeting, Participant

    slot = event.slots.order_by("start").first()  # 09:00 in Stockholm
    # Shanghai is six hours ahead: 15:00 there, within 08–18
    assert workflows.outside_business_hours(accepted(sme_participant, buyer), slot) == []
    new_york = Participant.objects.create(
        event=event, kind="buyer", organisation="Gotham Lamps Inc", email="g@example.com",
        country="US", time_zone="America/New_York",
    )  # fmt: skip
    request = accepted(sme_participant, new_york)
    with pytest.raises(workflows.OutsideBusinessHours) as warned:
        workflows.place(request, slot, None, confirmed=False)
    assert warned.value.messages == [
        "Gotham Lamps Inc: 03:00–03:20 in their time zone (America/New_York), outside 08:00–18:00."
    ]
    assert not Meeting.objects.filter(request=request).exists()  # nothing placed
    meeting = workflows.place(request, slot, None, confirmed=True)  # the organiser confirms
    assert meeting.slot == slot
