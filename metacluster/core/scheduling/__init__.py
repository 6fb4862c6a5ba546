"""B2B meeting scheduling: who meets whom, in which slot, at which table.

An event has time slots (grouped in sessions such as days), participants (with slots they
are unavailable in and a maximum number of meetings), meeting requests of two or more
participants (with a weight, allowed sessions and possibly a fixed slot) and a number of
tables per slot. `schedule` first maximises the total weight of the scheduled requests, then
minimises *gaps*: for each participant and session, the idle periods between two of its
meetings. It reports a proven upper bound on the weight, so an organiser can see how close
the schedule is to the best possible.

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
