"""Slots follow the facility's wall clock, in its own time zone, across clock changes."""

from datetime import UTC, date, datetime, time

from metacluster.testbeds.slots import OpeningHours, slot_at, slots_between

TALLINN = OpeningHours("Europe/Tallinn", frozenset({1, 2, 3, 4, 5}), time(9), time(17), 240)


def test_a_day_is_cut_into_equal_slots_in_local_time():
    slots = slots_between(TALLINN, date(2021, 3, 1), date(2021, 3, 1))
    # Tallinn is UTC+2 in winter.
    assert [s.starts_at for s in slots] == [
        datetime(2021, 3, 1, 7, tzinfo=UTC),
        datetime(2021, 3, 1, 11, tzinfo=UTC),
    ]
    assert slots[-1].ends_at == datetime(2021, 3, 1, 15, tzinfo=UTC)


def test_closed_days_have_no_slots():
    assert slots_between(TALLINN, date(2021, 3, 6), date(2021, 3, 7)) == []  # a weekend


def test_slots_keep_local_time_across_the_spring_clock_change():
    # Clocks went forward on Sunday 28 March 2021: 09:00 is 07:00 UTC on Friday, 06:00 on Monday.
    friday, monday = date(2021, 3, 26), date(2021, 3, 29)
    slots = slots_between(TALLINN, friday, monday)
    assert slots[0].starts_at.hour == 7 and slots[-2].starts_at.hour == 6


def test_a_partial_slot_at_closing_time_is_not_offered():
    hours = OpeningHours("Europe/Stockholm", frozenset({1}), time(8), time(11), 120)
    assert len(slots_between(hours, date(2021, 3, 1), date(2021, 3, 1))) == 1


def test_slot_at_finds_only_exact_slot_starts():
    assert slot_at(TALLINN, datetime(2021, 3, 1, 7, tzinfo=UTC)) is not None
    assert slot_at(TALLINN, datetime(2021, 3, 1, 8, tzinfo=UTC)) is None
    assert slot_at(TALLINN, datetime(2021, 3, 6, 7, tzinfo=UTC)) is None  # Saturday
