"""iCalendar invites that update rather than duplicate.

Each meeting keeps one UID for life; its `sequence` rises whenever it moves or is cancelled, so
a calendar that has the invite replaces it (RFC 5545 §3.8.7.4; RFC 5546 METHOD:REQUEST and
METHOD:CANCEL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Meeting, Participant

if TYPE_CHECKING:
    from icalendar import Calendar
    from icalendar import Event as VEvent

PRODID = "-//Metacluster//Matchmaking events//EN"


def _calendar(method: str) -> Calendar:
    import icalendar  # imported here: slow to import, needed only for invites

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@metacluster"


def _vevent(meeting: Meeting, viewer: Participant | None) -> VEvent:
    event = meeting.event
    sender, recipient = meeting.request.sender, meeting.request.recipient
    other = meeting.request.other_side(viewer) if viewer else None
    summary = f"{event.title}: " + (
        f"{other.organisation}" if other else f"{sender.organisation} – {recipient.organisation}"
    )
    import icalendar

    item = icalendar.Event()
    item.add("uid", meeting_uid(meeting))
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", meeting.updated_at)
    item.add("dtstart", meeting.slot.start)
    item.add("dtend", meeting.slot.end)
    item.add("summary", summary)
    location = meeting.video_url or event.venue
    if meeting.table and not meeting.video_url:
        location = f"{event.venue}, table {meeting.table}".strip(", ")
    if location:
        item.add("location", location)
    if meeting.video_url:
        item.add("url", meeting.video_url)
    lines = [
        f"{sender.organisation} ({sender.country_name}) – "
        f"{recipient.organisation} ({recipient.country_name})"
    ]
    if meeting.video_url:
        lines.append(meeting.video_url)
    if meeting.request.message:
        lines.append(meeting.request.message)
    item.add("description", "\n\n".join(lines))
    item.add("status", "CONFIRMED" if meeting.is_scheduled else "CANCELLED")
    for person in (sender, recipient):
        if person.email:
            item.add("attendee", f"mailto:{person.email}", parameters={"CN": person.organisation})
    return item


def meeting_invite(meeting: Meeting, viewer: Participant | None = None) -> bytes:
    """One meeting's invite: METHOD:REQUEST while scheduled, METHOD:CANCEL once cancelled."""
    calendar = _calendar("REQUEST" if meeting.is_scheduled else "CANCEL")
    calendar.add_component(_vevent(meeting, viewer))
    return calendar.to_ical()


def agenda_calendar(meetings, viewer: Participant | None = None) -> bytes:
    """A participant's whole agenda (cancelled meetings included, marked so) to subscribe to."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "Metacluster")
    for meeting in meetings:
        calendar.add_component(_vevent(meeting, viewer))
    return calendar.to_ical()
