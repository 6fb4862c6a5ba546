"""Sessions become slots in UTC; secret links are stored as hashes; who sees which event."""

from datetime import UTC, datetime, time

from metacluster.events.models import Break, Event, Participant


def test_sessions_are_cut_into_slots_in_utc_across_the_end_of_summer_time(event):
    starts = [slot.start for slot in event.slots.all()]
    assert len(starts) == 12  # 2 days × 2 hours ÷ 20 minutes
    # 09:00 in Stockholm is 07:00 UTC in summer time (Saturday) and 08:00 UTC after it ends.
    assert starts[0] == datetime(2020, 10, 24, 7, 0, tzinfo=UTC)
    assert starts[6] == datetime(2020, 10, 26, 8, 0, tzinfo=UTC)


def test_a_break_removes_the_slots_it_overlaps_and_pauses_separate_meetings(event):
    event.pause_minutes = 10
    event.save()
    session = event.sessions.first()
    Break.objects.create(session=session, name="Keynote", start_time=time(9, 30), end_time=time(10))
    event.regenerate_slots()
    local = [s.start.astimezone(event.zone).time() for s in session.slots.all()]
    # 09:00–09:20, then the keynote until 10:00, then 10:00–10:20, 10:30–10:50.
    assert local == [time(9), time(10), time(10, 30)]


def test_a_personal_link_is_stored_only_as_a_hash_and_a_new_one_replaces_it(buyer):
    key = buyer.issue_link()
    buyer.refresh_from_db()
    assert key not in (buyer.token_hash, buyer.token_prefix + "x")
    assert Participant.objects.by_key(key) == buyer
    newer = buyer.issue_link()
    assert Participant.objects.by_key(key) is None
    assert Participant.objects.by_key(newer) == buyer
    assert Participant.objects.by_key("") is None
    assert Participant.objects.by_key("mce_guess") is None


def test_staff_of_partners_see_the_event_outsiders_do_not(event, manager, advisor, outsider):
    assert Event.objects.visible_to(manager).filter(pk=event.pk).exists()
    assert Event.objects.visible_to(advisor).filter(pk=event.pk).exists()
    assert not Event.objects.visible_to(outsider).exists()


def test_an_sme_user_sees_only_the_events_its_company_takes_part_in(event, sme_user):
    assert not Event.objects.visible_to(sme_user).exists()
    Participant.objects.create(
        event=event,
        kind="sme",
        company=sme_user.company,
        organisation=sme_user.company.name,
        country="SE",
    )
    assert list(Event.objects.visible_to(sme_user)) == [event]


def _meeting(event, sme_participant, buyer):
    from metacluster.events import workflows

    request = workflows.send_request(sme_participant, buyer)
    workflows.answer_request(request, buyer, accept=True)
    return workflows.place(request, event.slots.first(), None)


def test_a_video_meeting_can_be_joined_from_shortly_before_its_start_to_its_end(
    event, sme_participant, buyer
):
    from datetime import timedelta

    from metacluster.events.models import JOIN_EARLY

    meeting = _meeting(event, sme_participant, buyer)
    start, end = meeting.slot.start, meeting.slot.end
    assert not meeting.is_joinable(start - JOIN_EARLY - timedelta(minutes=1))  # too early
    assert meeting.is_joinable(start - JOIN_EARLY)  # people arrive a little early
    assert meeting.is_joinable(start + timedelta(minutes=5))
    assert not meeting.is_joinable(end)  # over
    assert not meeting.is_joinable(end + timedelta(days=365))  # long past


def test_a_cancelled_or_onsite_meeting_offers_no_video(event, sme_participant, buyer):
    from metacluster.events import workflows

    meeting = _meeting(event, sme_participant, buyer)
    during = meeting.slot.start
    Event.objects.filter(pk=event.pk).update(format="onsite")
    meeting.event.refresh_from_db()
    assert not meeting.is_joinable(during)
    Event.objects.filter(pk=event.pk).update(format="online")
    meeting.event.refresh_from_db()
    workflows.cancel_meeting(meeting)
    assert not meeting.is_joinable(during)
