"""iCalendar invites update rather than duplicate: same UID, higher SEQUENCE, CANCEL at the end."""

from icalendar import Calendar

from metacluster.events import ical, workflows


def parse(content: bytes):
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence_then_is_cancelled(
    event, sme_participant, buyer
):
    request = workflows.send_request(sme_participant, buyer, message="Smart poles")
    workflows.answer_request(request, buyer, accept=True)
    slots = list(event.slots.all())
    meeting = workflows.place(request, slots[0], None)
    calendar, first = parse(ical.meeting_invite(meeting, sme_participant))
    assert calendar["METHOD"] == "REQUEST"
    assert first.decoded("DTSTART") == slots[0].start
    assert "Shanghai Smart Lighting Co" in str(first["SUMMARY"])
    assert str(first["LOCATION"]).startswith("https://meet.jit.si/Metacluster-")

    meeting = workflows.move(meeting, slots[3], None)
    _, moved = parse(ical.meeting_invite(meeting))
    assert str(moved["UID"]) == str(first["UID"])
    assert moved["SEQUENCE"] > first["SEQUENCE"]
    assert moved.decoded("DTSTART") == slots[3].start

    meeting = workflows.cancel_meeting(meeting)
    calendar, cancelled = parse(ical.meeting_invite(meeting))
    assert calendar["METHOD"] == "CANCEL"
    assert str(cancelled["UID"]) == str(first["UID"])
    assert cancelled["SEQUENCE"] > moved["SEQUENCE"]
    assert cancelled["STATUS"] == "CANCELLED"


def test_the_video_room_is_unguessable_and_only_for_online_meetings(event, sme_participant, buyer):
    request = workflows.send_request(sme_participant, buyer)
    workflows.answer_request(request, buyer, accept=True)
    meeting = workflows.place(request, event.slots.first(), None)
    assert len(meeting.room) > 30
    event.format = "onsite"
    event.venue = "Tallinn Science Park Tehnopol"
    event.save()
    meeting.refresh_from_db()
    assert meeting.video_url == ""
