"""Bookable slots of a facility: its opening hours cut into equal slots, in its own time zone.

Plain Python (no Django). Opening hours are local wall-clock times, so a slot at 09:00 in
Stockholm is 08:00 UTC in winter and 07:00 UTC in summer; slots are returned in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["OpeningHours", "Slot", "slots_between", "slot_at"]


@dataclass(frozen=True)
class OpeningHours:
    time_zone: str
    weekdays: frozenset[int]  # ISO weekdays, 1 = Monday
    opens_at: time
    closes_at: time
    slot_minutes: int


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC

    def local_start(self, time_zone: str) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(time_zone))


def _day_slots(hours: OpeningHours, day: date) -> list[Slot]:
    if day.isoweekday() not in hours.weekdays:
        return []
    zone = ZoneInfo(hours.time_zone)
    step = timedelta(minutes=hours.slot_minutes)
    start = datetime.combine(day, hours.opens_at)
    close = datetime.combine(day, hours.closes_at)
    slots = []
    while start + step <= close:
        # Wall-clock arithmetic first, then the zone: a slot keeps its local length even on
        # the night the clocks change.
        local_start = start.replace(tzinfo=zone)
        local_end = (start + step).replace(tzinfo=zone)
        slots.append(Slot(local_start.astimezone(UTC), local_end.astimezone(UTC)))
        start += step
    return slots


def slots_between(hours: OpeningHours, first: date, last: date) -> list[Slot]:
    """Every slot on the local days `first` to `last` inclusive, in time order.

    >>> from datetime import date, time
    >>> hours = OpeningHours("Europe/Tallinn", frozenset({1}), time(9), time(13), 120)
    >>> [s.starts_at.strftime("%H:%M") for s in slots_between(hours, date(2026, 1, 5), date(2026, 1, 5))]
    ['07:00', '09:00']
    """
    slots = []
    day = first
    while day <= last:
        slots.extend(_day_slots(hours, day))
        day += timedelta(days=1)
    return slots


def slot_at(hours: OpeningHours, starts_at: datetime) -> Slot | None:
    """The slot that starts exactly at `starts_at` (any time zone), or None if none does."""
    try:
        local_day = starts_at.astimezone(ZoneInfo(hours.time_zone)).date()
        slots = _day_slots(hours, local_day)
    except OverflowError:  # the last day of year 9999 has no room for a slot
        return None
    for slot in slots:
        if slot.starts_at == starts_at.astimezone(UTC):
            return slot
    return None
