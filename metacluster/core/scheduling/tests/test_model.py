"""Specification of reading an event: what is accepted, and the message for what is not.

Plain pytest, no Django.
"""

import doctest

import pytest

from metacluster.core.scheduling import InvalidEvent, SchedulingError, event_from_json, model
from metacluster.core.scheduling.model import Problem


def minimal(**changes) -> dict:
    event = {
        "slots": [{"id": "s1"}, {"id": "s2"}],
        "participants": [{"id": "a"}, {"id": "b"}],
        "requests": [{"id": "r1", "participants": ["a", "b"]}],
    }
    event.update(changes)
    return event


def test_everything_but_ids_is_optional():
    event = event_from_json(minimal())

    assert event.tables is None
    assert event.slots[0].session is None
    assert event.participants[0].max_meetings is None
    assert event.participants[0].unavailable == ()
    request = event.requests[0]
    assert (request.weight, request.sessions, request.fixed_slot) == (1.0, None, None)


def test_an_empty_event_is_valid():
    event = event_from_json({})

    assert (event.slots, event.participants, event.requests) == ((), (), ())


def test_integer_ids_are_kept_as_integers():
    event = event_from_json(
        {
            "slots": [{"id": 1}],
            "participants": [{"id": 10}, {"id": 11}],
            "requests": [{"id": 7, "participants": [10, 11], "fixed_slot": 1}],
        }
    )

    assert event.requests[0] == model.Request(7, (10, 11), 1.0, None, 1)


def test_a_request_may_have_three_participants():
    event = event_from_json(
        minimal(
            participants=[{"id": "a"}, {"id": "b"}, {"id": "c"}],
            requests=[{"id": "r1", "participants": ["a", "b", "c"]}],
        )
    )

    assert event.requests[0].participants == ("a", "b", "c")


def test_weights_are_read_to_six_decimals():
    event = event_from_json(
        minimal(requests=[{"id": "r", "participants": ["a", "b"], "weight": 1 / 3}])
    )

    assert event.requests[0].weight == 0.333333


@pytest.mark.parametrize(
    "times",
    [
        # ISO times with an offset, back to back
        [("2026-03-10T09:00+01:00", "2026-03-10T09:30+01:00"), ("2026-03-10T08:30Z", None)],
        # plain numbers (minutes), with a break between
        [(0, 20), (30, 50)],
        # only starts
        [(0, None), (1, None)],
        # no times at all
        [(None, None), (None, None)],
    ],
)
def test_slots_in_time_order_are_accepted(times):
    slots = [{"id": f"s{i}", "start": a, "end": b} for i, (a, b) in enumerate(times)]

    assert len(event_from_json({"slots": slots}).slots) == 2


def test_the_problem_puts_each_session_together_and_counts_its_gaps():
    # Sessions interleaved in time: slots are regrouped so that each session is contiguous.
    event = event_from_json(
        {
            "slots": [
                {"id": 1, "session": "am"},
                {"id": 2, "session": "pm"},
                {"id": 3, "session": "am"},
                {"id": 4, "session": "pm"},
            ]
        }
    )
    pb = Problem(event)

    assert pb.slot_ids == [1, 3, 2, 4]
    # meetings in slots 1, 3 (adjacent in "am") and 4: no gap
    assert pb.gaps(0b1011) == 0
    # meetings in slots 1 and 4 of a one-session day with a hole: one gap, not two
    single = Problem(event_from_json({"slots": [{"id": i} for i in range(1, 5)]}))
    assert single.gaps(0b1001) == 1
    assert single.gaps(0b1101) == 1
    assert single.gaps(0b0101) == 1
    assert single.gaps(0) == 0


@pytest.mark.parametrize(
    ("event", "message"),
    [
        # not an object
        ([], "the event must be a JSON object"),
        # slots not a list
        ({"slots": {"id": 1}}, "slots must be a list"),
        # a slot without an id
        ({"slots": [{"session": "am"}]}, "slot #1 must have an id"),
        # an id that is a boolean
        ({"slots": [{"id": True}]}, "slot #1 must have an id"),
        # two slots with the same id
        ({"slots": [{"id": 1}, {"id": 1}]}, "two slots have the id 1"),
        # slots out of time order
        (
            {
                "slots": [
                    {"id": 1, "start": "2026-03-10T10:00"},
                    {"id": 2, "start": "2026-03-10T09:00"},
                ]
            },
            "slots are not in time order: 2 starts before 1 ends",
        ),
        # overlapping slots
        (
            {"slots": [{"id": 1, "start": 0, "end": 30}, {"id": 2, "start": 20, "end": 50}]},
            "not in time order",
        ),
        # two slots starting at the same time
        ({"slots": [{"id": 1, "start": 0}, {"id": 2, "start": 0}]}, "not in time order"),
        # a slot that ends before it starts
        ({"slots": [{"id": 1, "start": 30, "end": 0}]}, "slot 1 ends before it starts"),
        # a time that is not ISO 8601
        ({"slots": [{"id": 1, "start": "10 March 9am"}]}, "not an ISO 8601 time"),
        # naive and aware times mixed
        (
            {
                "slots": [
                    {"id": 1, "start": "2026-03-10T09:00"},
                    {"id": 2, "start": "2026-03-10T10:00Z"},
                ]
            },
            "mix formats or time zones",
        ),
        # a session name that is not a string
        ({"slots": [{"id": 1, "session": 3}]}, "session must be a string"),
        # a participant without an id
        (
            minimal(participants=[{"id": "a"}, {"max_meetings": 2}]),
            "participant #2 must have an id",
        ),
        # two participants with the same id
        (minimal(participants=[{"id": "a"}, {"id": "a"}]), "two participants have the id 'a'"),
        # negative max_meetings
        (
            minimal(participants=[{"id": "a", "max_meetings": -1}, {"id": "b"}]),
            "must not be negative",
        ),
        # max_meetings that is not a whole number
        (minimal(participants=[{"id": "a", "max_meetings": 2.5}, {"id": "b"}]), "whole number"),
        # unavailable in a slot that does not exist
        (
            minimal(participants=[{"id": "a", "unavailable": ["s9"]}, {"id": "b"}]),
            "unknown slot 's9'",
        ),
        # a request without an id
        (minimal(requests=[{"participants": ["a", "b"]}]), "request #1 must have an id"),
        # a request naming an unknown participant
        (minimal(requests=[{"id": "r1", "participants": ["a", "zz"]}]), "unknown participant 'zz'"),
        # a request with one participant
        (minimal(requests=[{"id": "r1", "participants": ["a"]}]), "at least two participants"),
        # a request with no participants at all
        (minimal(requests=[{"id": "r1"}]), "at least two participants"),
        # the same participant twice
        (minimal(requests=[{"id": "r1", "participants": ["a", "a"]}]), "names a participant twice"),
        # two requests with the same id
        (
            minimal(requests=[{"id": 1, "participants": ["a", "b"]}] * 2),
            "two requests have the id 1",
        ),
        # a fixed slot that does not exist
        (
            minimal(requests=[{"id": "r1", "participants": ["a", "b"], "fixed_slot": "s9"}]),
            "unknown fixed_slot 's9'",
        ),
        # a session that does not exist
        (
            minimal(requests=[{"id": "r1", "participants": ["a", "b"], "sessions": ["day 9"]}]),
            "unknown session 'day 9'",
        ),
        # a negative weight
        (
            minimal(requests=[{"id": "r1", "participants": ["a", "b"], "weight": -1}]),
            "not negative",
        ),
        # a weight that is not a number
        (
            minimal(requests=[{"id": "r1", "participants": ["a", "b"], "weight": "high"}]),
            "weight must be a number",
        ),
        # an infinite weight
        (
            minimal(requests=[{"id": "r1", "participants": ["a", "b"], "weight": float("inf")}]),
            "finite",
        ),
        # negative tables
        (minimal(tables=-1), "tables must not be negative"),
        # tables that is not a number
        (minimal(tables="many"), "tables must be a whole number"),
    ],
)
def test_malformed_events_are_rejected_with_a_clear_message(event, message):
    with pytest.raises(InvalidEvent, match=message.replace("(", r"\(")):
        event_from_json(event)


def test_invalid_event_is_a_scheduling_error_and_a_value_error():
    assert issubclass(InvalidEvent, SchedulingError)
    assert issubclass(InvalidEvent, ValueError)


def test_the_docstring_examples_run():
    result = doctest.testmod(model)

    assert result.attempted > 0
    assert result.failed == 0
