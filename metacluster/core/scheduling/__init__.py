"""B2B meeting scheduling: who meets whom, in which slot, at which table.

An event has time slots (grouped in sessions such as days), participants (with slots they
are unavailable in and a maximum number of meetings), meeting requests of two or more
participants (with a weight, allowed sessions and possibly a fixed slot) and a number of
tables per slot. `schedule` first maximises the total weight of the scheduled requests, then
minimises *gaps*: for each participant and session, the idle periods between two of its
meetings. It reports a proven upper bound on the weight, so an organiser can see how close
the schedule is to the best possible.

The rules, precisely:

- a participant is in at most one meeting per slot, never in a slot it is unavailable in,
  and in at most `max_meetings` meetings;
- a request is scheduled at most once, in a slot of its allowed `sessions` (all if none
  are given) and, if it has a `fixed_slot`, in that slot; a fixed request is not forced:
  like any other it is scheduled when that adds weight, so two fixed requests that share a
  participant and a slot cannot both be, and the reason says which one holds the slot;
- with `tables`, at most that many meetings per slot, numbered 1..tables (a meeting keeps
  the table of a participant's previous meeting when it can);
- a *gap* is an idle period between two meetings of a participant within one session: slots
  1 and 4 of a session make one gap, not two; the end of a session and the start of the
  next make none. An unavailable slot between two meetings counts as idle too.

Pure Python over plain data; no Django. From the command line::

    python -m metacluster.core.scheduling event.json --output schedule.json --time-limit 10
    python -m metacluster.core.scheduling.generate --participants 700 --requests 2500 \\
        --tables 60 --seed 1 --output event.json

or, in an installed project, `metacluster schedule ...` and `metacluster generate-event ...`.
"""

from .generate import generate_event
from .model import (
    Event,
    InvalidEvent,
    Meeting,
    Participant,
    Request,
    Schedule,
    SchedulingError,
    Slot,
    Unscheduled,
    event_from_json,
)
from .solve import first_come_first_served, schedule

__all__ = [
    "Event",
    "InvalidEvent",
    "Meeting",
    "Participant",
    "Request",
    "Schedule",
    "SchedulingError",
    "Slot",
    "Unscheduled",
    "event_from_json",
    "first_come_first_served",
    "generate_event",
    "schedule",
]
