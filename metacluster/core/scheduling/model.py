"""The B2B meeting scheduling problem as plain data: an event in, a schedule out.

`event_from_json` validates an event read from JSON and raises `InvalidEvent` with a message
that names the offending record; `Schedule.to_json` is the output format. `Problem` is the
compiled form every solver works on: participants, slots and requests become indices, and the
set of slots a request may take (its *domain*) and the slots a participant is busy in become
Python integers used as bit sets, so "a slot both participants have free" is one `&`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import CoreError, InputError

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
]

# Weights are read to this many decimals so that the optimisers can work on integers and the
# bound they prove holds for the weights as reported (see `Problem.weight_units`).
WEIGHT_DECIMALS = 6


class SchedulingError(CoreError):
    """Base class of the errors raised by metacluster.core.scheduling."""


class InvalidEvent(SchedulingError, InputError):
    """The event is malformed: a missing id, an unknown reference, slots out of order..."""


@dataclass(frozen=True)
class Slot:
    """A time slot; `session` groups slots (a day, a morning) for gaps and request sessions."""

    id: str | int
    start: str | float | None = None
    end: str | float | None = None
    session: str | None = None


@dataclass(frozen=True)
class Participant:
    """`max_meetings` None means no limit; `unavailable` holds slot ids."""

    id: str | int
    unavailable: tuple = ()
    max_meetings: int | None = None


@dataclass(frozen=True)
class Request:
    """A meeting of two or more participants; `sessions` None allows every session."""

    id: str | int
    participants: tuple
    weight: float = 1.0
    sessions: tuple | None = None
    fixed_slot: str | int | None = None


@dataclass(frozen=True)
class Event:
    """Slots in time order; `tables` None means as many meetings per slot as needed."""

    slots: tuple[Slot, ...] = ()
    participants: tuple[Participant, ...] = ()
    requests: tuple[Request, ...] = ()
    tables: int | None = None


@dataclass(frozen=True)
class Meeting:
    request: str | int
    slot: str | int
    table: int | None


@dataclass(frozen=True)
class Unscheduled:
    request: str | int
    reason: str


@dataclass
class Schedule:
    """A solver's answer: `stats` has requests, scheduled, weight_scheduled, gaps,
    upper_bound and seconds. `optimal` is True when the schedule is proven best on both
    counts: its weight equals the upper bound and no schedule of that weight has fewer gaps
    (not part of the JSON, whose shape is fixed; the benchmark reports it)."""

    meetings: list[Meeting] = field(default_factory=list)
    unscheduled: list[Unscheduled] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    optimal: bool = False

    def to_json(self) -> dict:
        return {
            "meetings": [
                {"request": m.request, "slot": m.slot, "table": m.table} for m in self.meetings
            ],
            "unscheduled": [{"request": u.request, "reason": u.reason} for u in self.unscheduled],
            "stats": dict(self.stats),
        }


# --- reading JSON ---------------------------------------------------------------------------


def _id(value, what: str):
    # bool is an int in Python, but `true` is never meant as an id.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidEvent(f"{what} must have an id that is a string or an integer, not {value!r}")
    return value


def _object(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidEvent(f"{what} must be a JSON object, not {value!r}")
    return value


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidEvent(f"{what} must be a list, not {value!r}")
    return value


def _count(value, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEvent(f"{what} must be a whole number or null, not {value!r}")
    if value < 0:
        raise InvalidEvent(f"{what} must not be negative, got {value}")
    return value


def _instant(value, what: str):
    """A slot time: an ISO 8601 string (with or without UTC offset) or a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidEvent(f"{what} must be an ISO 8601 time or a number, not {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise InvalidEvent(f"{what} must be finite, not {value!r}")
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise InvalidEvent(f"{what} is not an ISO 8601 time: {value!r}") from None
    raise InvalidEvent(f"{what} must be an ISO 8601 time or a number, not {value!r}")


def _before(a, b, what: str) -> bool:
    try:
        return a < b
    except TypeError:
        # naive against aware datetimes, or a datetime against a number
        raise InvalidEvent(f"{what}: slot times mix formats or time zones") from None


def _unique(ids: list, what: str) -> None:
    seen = set()
    for value in ids:
        if value in seen:
            raise InvalidEvent(f"two {what}s have the id {value!r}")
        seen.add(value)


def event_from_json(data) -> Event:
    """Validate an event read from JSON and return it as an `Event`.

    Every field but the ids is optional. Raises `InvalidEvent` naming the first problem found:
    a missing or duplicate id, an unknown participant, slot or session, a request with fewer
    than two distinct participants, slots out of time order, a negative count or weight.

    Example
    -------
    >>> event = event_from_json({
    ...     "slots": [{"id": "s1"}, {"id": "s2"}],
    ...     "participants": [{"id": "a"}, {"id": "b", "unavailable": ["s1"]}],
    ...     "requests": [{"id": "r1", "participants": ["a", "b"]}],
    ... })
    >>> event.requests[0]
    Request(id='r1', participants=('a', 'b'), weight=1.0, sessions=None, fixed_slot=None)
    >>> event_from_json({"participants": [{"id": "a"}],
    ...                  "requests": [{"id": "r1", "participants": ["a"]}]})
    Traceback (most recent call last):
    ...
    metacluster.core.scheduling.model.InvalidEvent: request 'r1' must have at least two participants
    """
    data = _object(data, "the event")
    slots = []
    previous = None
    for index, raw in enumerate(_list(data.get("slots"), "slots")):
        raw = _object(raw, f"slot #{index + 1}")
        slot_id = _id(raw.get("id"), f"slot #{index + 1}")
        session = raw.get("session")
        if session is not None and not isinstance(session, str):
            raise InvalidEvent(f"slot {slot_id!r}: session must be a string, not {session!r}")
        start = _instant(raw.get("start"), f"slot {slot_id!r}: start")
        end = _instant(raw.get("end"), f"slot {slot_id!r}: end")
        if start is not None and end is not None and not _before(start, end, f"slot {slot_id!r}"):
            raise InvalidEvent(f"slot {slot_id!r} ends before it starts")
        # Slots may not overlap: a participant is in one meeting per slot, which only means
        # "one meeting at a time" if slots are disjoint in time.
        here = start if start is not None else end
        if previous is not None and here is not None:
            prev_id, prev_start, prev_end = previous
            if prev_end is not None:
                ordered = not _before(here, prev_end, f"slot {slot_id!r}")
            else:
                ordered = _before(prev_start, here, f"slot {slot_id!r}")
            if not ordered:
                raise InvalidEvent(
                    f"slots are not in time order: {slot_id!r} starts before {prev_id!r} ends"
                )
        if start is not None or end is not None:
            previous = (slot_id, start, end)
        slots.append(Slot(slot_id, raw.get("start"), raw.get("end"), session))
    _unique([s.id for s in slots], "slot")
    slot_ids = {s.id for s in slots}
    sessions = {s.session for s in slots}

    participants = []
    for index, raw in enumerate(_list(data.get("participants"), "participants")):
        raw = _object(raw, f"participant #{index + 1}")
        pid = _id(raw.get("id"), f"participant #{index + 1}")
        unavailable = _list(raw.get("unavailable"), f"participant {pid!r}: unavailable")
        for slot_id in unavailable:
            if isinstance(slot_id, list | dict) or slot_id not in slot_ids:
                raise InvalidEvent(
                    f"participant {pid!r} is unavailable in unknown slot {slot_id!r}"
                )
        limit = _count(raw.get("max_meetings"), f"participant {pid!r}: max_meetings")
        participants.append(Participant(pid, tuple(unavailable), limit))
    _unique([p.id for p in participants], "participant")
    participant_ids = {p.id for p in participants}

    requests = []
    for index, raw in enumerate(_list(data.get("requests"), "requests")):
        raw = _object(raw, f"request #{index + 1}")
        rid = _id(raw.get("id"), f"request #{index + 1}")
        members = _list(raw.get("participants"), f"request {rid!r}: participants")
        for pid in members:
            if isinstance(pid, list | dict) or pid not in participant_ids:
                raise InvalidEvent(f"request {rid!r} names unknown participant {pid!r}")
        if len(members) < 2:
            raise InvalidEvent(f"request {rid!r} must have at least two participants")
        if len(set(members)) != len(members):
            raise InvalidEvent(f"request {rid!r} names a participant twice")
        weight = raw.get("weight", 1.0)
        if weight is None:
            weight = 1.0
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise InvalidEvent(f"request {rid!r}: weight must be a number, not {weight!r}")
        if not math.isfinite(weight) or weight < 0:
            raise InvalidEvent(f"request {rid!r}: weight must be finite and not negative")
        allowed = raw.get("sessions")
        if allowed is not None:
            allowed = _list(allowed, f"request {rid!r}: sessions")
            for name in allowed:
                if isinstance(name, list | dict) or name not in sessions:
                    raise InvalidEvent(f"request {rid!r} names unknown session {name!r}")
            allowed = tuple(allowed)
        fixed = raw.get("fixed_slot")
        if fixed is not None and (isinstance(fixed, list | dict) or fixed not in slot_ids):
            raise InvalidEvent(f"request {rid!r} has unknown fixed_slot {fixed!r}")
        requests.append(
            Request(rid, tuple(members), round(float(weight), WEIGHT_DECIMALS), allowed, fixed)
        )
    _unique([r.id for r in requests], "request")

    tables = _count(data.get("tables"), "tables")
    return Event(tuple(slots), tuple(participants), tuple(requests), tables)


# --- the compiled problem -------------------------------------------------------------------


def bits(mask: int):
    """The indices of the set bits of `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class Problem:
    """An `Event` as indices and bit sets, the form every solver works on.

    Slots are renumbered so that each session's slots are contiguous, in time order (sessions
    in order of first appearance); slot `i` of the bit sets is `slot_ids[i]`. Two slots are
    *adjacent* when they are consecutive in the same session: a participant meeting in both has
    no gap between them, whatever their clock times (a planned coffee break is not idle time).
    """

    def __init__(self, event: Event):
        self.event = event
        order: dict = {}
        for slot in event.slots:
            order.setdefault(slot.session, []).append(slot)
        ordered = [slot for group in order.values() for slot in group]
        self.slot_ids = [slot.id for slot in ordered]
        self.slot_index = {slot.id: i for i, slot in enumerate(ordered)}
        self.n_slots = len(ordered)
        self.session_names = list(order)
        self.session_masks = []
        self.first = 0  # bits of the first slot of each session
        i = 0
        for group in order.values():
            self.session_masks.append(((1 << len(group)) - 1) << i)
            self.first |= 1 << i
            i += len(group)
        self.all_slots = (1 << self.n_slots) - 1
        self.not_first = self.all_slots & ~self.first
        session_of = dict(zip(self.session_names, self.session_masks, strict=True))

        self.participant_ids = [p.id for p in event.participants]
        index = {pid: i for i, pid in enumerate(self.participant_ids)}
        self.available = []
        self.cap = []
        for p in event.participants:
            mask = self.all_slots
            for slot_id in p.unavailable:
                mask &= ~(1 << self.slot_index[slot_id])
            self.available.append(mask)
            self.cap.append(p.max_meetings if p.max_meetings is not None else 1 << 30)
        self.tables = event.tables

        self.request_ids = [r.id for r in event.requests]
        self.parts = []
        self.allowed = []  # slots of the allowed sessions (and the fixed slot)
        self.domain = []  # ... where every participant is also available
        self.weight = []
        for r in event.requests:
            parts = tuple(index[pid] for pid in r.participants)
            allowed = self.all_slots
            if r.sessions is not None:
                allowed = 0
                for name in r.sessions:
                    allowed |= session_of[name]
            if r.fixed_slot is not None:
                allowed &= 1 << self.slot_index[r.fixed_slot]
            domain = allowed
            for p in parts:
                domain &= self.available[p]
            if any(self.cap[p] == 0 for p in parts) or self.tables == 0:
                domain = 0
            self.parts.append(parts)
            self.allowed.append(allowed)
            self.domain.append(domain)
            self.weight.append(r.weight)
        self.n_requests = len(self.request_ids)
        self.n_participants = len(self.participant_ids)
        # Integer weights: exact, since weights were rounded to WEIGHT_DECIMALS when read.
        self.weight_units = 10**WEIGHT_DECIMALS
        self.iweight = [round(w * self.weight_units) for w in self.weight]
        self.requests_of = [[] for _ in range(self.n_participants)]
        for r, parts in enumerate(self.parts):
            for p in parts:
                self.requests_of[p].append(r)

    def gaps(self, mask: int) -> int:
        """Idle periods between two meetings of one participant, summed over sessions.

        `mask` holds the slots the participant meets in. Each session's meetings form blocks
        of adjacent slots; the gaps are the blocks beyond the first of each session.
        """
        if not mask:
            return 0
        starts = mask & ~((mask << 1) & self.not_first)
        n = starts.bit_count()
        for session in self.session_masks:
            if mask & session:
                n -= 1
        return n

    def reason(self, r: int, slot_of: list[int], busy: list[int], count: list[int]) -> str:
        """Why request `r` is not in the schedule, as specifically as is cheap to tell.

        `slot_of[q]` is the slot of request q (-1 when unscheduled), `busy[p]` the slots
        participant p meets in, `count[p]` its number of meetings.
        """
        event, parts = self.event, self.parts[r]
        pid = self.participant_ids
        fixed = event.requests[r].fixed_slot
        if self.tables == 0:
            return "the event has no tables"
        for p in parts:
            if self.cap[p] == 0:
                return f"participant {pid[p]} takes no meetings (max_meetings is 0)"
        if fixed is not None:
            f = self.slot_index[fixed]
            if not self.allowed[r]:
                return f"fixed slot {fixed} is outside the allowed sessions"
            for p in parts:
                if not self.available[p] >> f & 1:
                    return f"participant {pid[p]} is unavailable in fixed slot {fixed}"
        for p in parts:
            if not self.allowed[r] & self.available[p]:
                return f"participant {pid[p]} has no available slot in the allowed sessions"
        if not self.domain[r]:
            return "the participants have no common available slot in the allowed sessions"
        for p in parts:
            if count[p] >= self.cap[p]:
                return f"capacity: participant {pid[p]} already has its maximum of {self.cap[p]} meetings"
        if fixed is not None:
            f = self.slot_index[fixed]
            for p in parts:
                if busy[p] >> f & 1:
                    for q in self.requests_of[p]:
                        if slot_of[q] == f:
                            return (
                                f"fixed slot {fixed} conflicts with request {self.request_ids[q]}"
                            )
            return f"fixed slot {fixed} has no free table"
        return "capacity: not chosen by the optimiser"
