"""Feed an event from the database to the scheduler core and store what comes back.

`scheduler_input` turns accepted requests, availability and locked meetings into the core's
`Event`; `schedule_all` runs `metacluster.core.scheduling.schedule` and writes the meetings
(slot and table) in one transaction. Ids in the core are the database primary keys.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metacluster.core.scheduling import model as core
from metacluster.core.scheduling.solve import schedule

from .choices import MeetingStatus, RequestStatus
from .models import Booking, Event, Meeting, MeetingRequest

DEFAULT_TIME_LIMIT = 10.0


def scheduler_input(event: Event) -> core.Event:
    slots = list(event.slots.order_by("start"))
    by_session: dict[int, list[int]] = {}
    for slot in slots:
        by_session.setdefault(slot.session_id, []).append(slot.pk)
    participants = []
    for person in event.participants.prefetch_related("unavailable_sessions"):
        unavailable = tuple(
            slot_id
            for session in person.unavailable_sessions.all()
            for slot_id in by_session.get(session.pk, [])
        )
        participants.append(core.Participant(person.pk, unavailable, event.max_meetings))
    locked = dict(
        event.meetings.filter(status=MeetingStatus.SCHEDULED, locked=True).values_list(
            "request_id", "slot_id"
        )
    )
    requests = [
        core.Request(
            request.pk,
            (request.sender_id, request.recipient_id),
            float(request.weight),
            None,
            locked.get(request.pk),
        )
        for request in event.requests.filter(status=RequestStatus.ACCEPTED).order_by("pk")
    ]
    return core.Event(
        slots=tuple(
            core.Slot(s.pk, s.start.isoformat(), s.end.isoformat(), str(s.session_id))
            for s in slots
        ),
        participants=tuple(participants),
        requests=tuple(requests),
        tables=event.tables,
    )


def schedule_all(event: Event, *, time_limit: float = DEFAULT_TIME_LIMIT, seed: int = 0) -> dict:
    """Schedule every accepted request of the event, keeping locked meetings where they are.

    Meetings that move get a higher iCalendar sequence; meetings the scheduler can no longer
    place are cancelled. Returns the scheduler's stats (also kept on the event)."""
    MeetingRequest.objects.filter(event=event).expire_due()
    if not event.slots.exists():
        raise ValidationError(_("The event has no slots yet: add sessions first."))
    try:
        result = schedule(scheduler_input(event), time_limit=time_limit, seed=seed)
    except core.SchedulingError as error:
        raise ValidationError(str(error)) from None
    placed = {m.request: (m.slot, m.table) for m in result.meetings}
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        current = {m.request_id: m for m in event.meetings.all()}
        Booking.objects.filter(meeting__event=event).delete()
        changed, created = [], []
        for request_id, meeting in current.items():
            old = (meeting.slot_id, meeting.table, meeting.status)
            if request_id in placed:
                meeting.slot_id, meeting.table = placed[request_id]
                meeting.status = MeetingStatus.SCHEDULED
            else:
                meeting.status = MeetingStatus.CANCELLED
                meeting.locked = False
            if (meeting.slot_id, meeting.table, meeting.status) != old:
                meeting.sequence += 1
                changed.append(meeting)
        for request_id, (slot_id, table) in placed.items():
            if request_id not in current:
                created.append(
                    Meeting(event=event, request_id=request_id, slot_id=slot_id, table=table)
                )
        # Free the tables of the meetings that change first, so that two of them swapping
        # tables never collide midway; a meeting that stays keeps a table no one else takes.
        if len(changed) > 5000:  # too many ids for one query: free them all, rewrite them all
            event.meetings.update(table=None)
            changed = list(current.values())
        else:
            Meeting.objects.filter(pk__in=[m.pk for m in changed]).update(table=None)
        Meeting.objects.bulk_update(
            changed, ["slot", "table", "status", "locked", "sequence"], batch_size=500
        )
        Meeting.objects.bulk_create(created)
        sides = dict(
            (pk, (s, r))
            for pk, s, r in event.requests.filter(pk__in=placed).values_list(
                "pk", "sender_id", "recipient_id"
            )
        )
        meetings = event.meetings.filter(status=MeetingStatus.SCHEDULED)
        Booking.objects.bulk_create(
            Booking(meeting_id=m.pk, participant_id=person, slot_id=m.slot_id)
            for m in meetings
            for person in sides[m.request_id]
        )
        stats = dict(result.stats)
        stats["unscheduled"] = [
            {"request": u.request, "reason": u.reason} for u in result.unscheduled[:50]
        ]
        event.schedule_stats = stats
        Event.objects.filter(pk=event.pk).update(schedule_stats=stats)
    return stats
