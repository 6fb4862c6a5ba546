"""Specification of the scheduler: valid schedules, the best weight then the fewest gaps, a
valid bound, specific reasons, reproducible answers, and a baseline it always matches.

Plain pytest and hypothesis, no Django. Events are random but derandomized, so every run
checks the same cases. No test asserts a running time: speed is for the benchmark.
"""

import doctest
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metacluster.core.scheduling import (
    event_from_json,
    first_come_first_served,
    generate_event,
    schedule,
    solve,
)

from .helpers import brute_force, check_schedule, count_gaps

PROPERTIES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def events(draw, *, max_slots=6, max_participants=6, max_requests=8):
    """Small events that exercise every rule: sessions, unavailability, limits, fixed slots,
    session restrictions, three-party meetings, tables or none."""
    n_slots = draw(st.integers(1, max_slots))
    n_sessions = draw(st.integers(1, min(2, n_slots)))
    # sessions as contiguous runs of slots, in time order
    cuts = (
        sorted(draw(st.sets(st.integers(1, n_slots - 1), max_size=n_sessions - 1)))
        if n_slots > 1
        else []
    )
    bounds = [0, *cuts, n_slots]
    slots = []
    for k in range(len(bounds) - 1):
        for i in range(bounds[k], bounds[k + 1]):
            slots.append({"id": f"s{i}", "start": i * 30, "end": i * 30 + 30, "session": f"day{k}"})
    slot_ids = [s["id"] for s in slots]
    sessions = sorted({s["session"] for s in slots})
    n_people = draw(st.integers(2, max_participants))
    people = []
    for i in range(n_people):
        person = {"id": f"p{i}"}
        if draw(st.booleans()):
            person["unavailable"] = draw(
                st.lists(st.sampled_from(slot_ids), unique=True, max_size=n_slots)
            )
        if draw(st.integers(0, 3)) == 0:
            person["max_meetings"] = draw(st.integers(0, 3))
        people.append(person)
    ids = [p["id"] for p in people]
    requests = []
    for j in range(draw(st.integers(0, max_requests))):
        size = draw(st.sampled_from([2, 2, 2, 3])) if n_people >= 3 else 2
        members = draw(st.lists(st.sampled_from(ids), min_size=size, max_size=size, unique=True))
        request = {"id": f"r{j}", "participants": members}
        request["weight"] = draw(st.sampled_from([1.0, 1.0, 2.0, 0.5, 3.25, 0.0]))
        if draw(st.integers(0, 4)) == 0:
            request["sessions"] = draw(st.lists(st.sampled_from(sessions), min_size=1, unique=True))
        if draw(st.integers(0, 4)) == 0:
            request["fixed_slot"] = draw(st.sampled_from(slot_ids))
        requests.append(request)
    tables = draw(st.one_of(st.none(), st.integers(0, 3)))
    return {"slots": slots, "tables": tables, "participants": people, "requests": requests}


def run(event: dict, **options) -> dict:
    options.setdefault("time_limit", 10)
    return schedule(event_from_json(event), **options).to_json()


# --- validity ---------------------------------------------------------------------------------


@settings(PROPERTIES, max_examples=60)
@given(events())
def test_every_schedule_is_valid_and_its_stats_add_up(event):
    # one meeting per participant and slot, availability, sessions, fixed slots,
    # max_meetings, tables; every request scheduled once or listed with a reason
    check_schedule(event, run(event))


@settings(PROPERTIES, max_examples=40)
@given(events())
def test_the_heuristic_alone_is_valid(event):
    check_schedule(event, run(event, method="heuristic"))


@settings(PROPERTIES, max_examples=40)
@given(events())
def test_first_come_first_served_is_valid_and_never_beats_the_optimiser(event):
    baseline = first_come_first_served(event_from_json(event)).to_json()
    optimised = run(event)

    check_schedule(event, baseline)
    assert baseline["stats"]["weight_scheduled"] <= optimised["stats"]["weight_scheduled"] + 1e-9


@pytest.mark.parametrize(
    "options",
    [
        # a trade fair in miniature: tables are the bottleneck
        dict(participants=40, requests=150, tables=8, sessions=2, slots_per_session=8),
        # online across time zones, no tables
        dict(participants=60, requests=200, sessions=2, slots_per_session=24, online=True),
        # a planted, fully schedulable event
        dict(
            participants=50,
            requests=160,
            tables=12,
            sessions=1,
            slots_per_session=14,
            feasible=True,
        ),
    ],
)
@pytest.mark.parametrize("method", ["auto", "heuristic"])
def test_generated_events_get_valid_schedules(options, method):
    event = generate_event(**options, seed=5)

    result = run(event, method=method, time_limit=3)

    check_schedule(event, result)


def test_a_planted_event_is_scheduled_in_full():
    event = generate_event(
        60, 180, tables=12, sessions=1, slots_per_session=16, feasible=True, seed=1
    )

    result = run(event, time_limit=5)

    assert result["unscheduled"] == []
    assert result["stats"]["weight_scheduled"] == result["stats"]["upper_bound"]


# Trade-fair events of the published real ones' shape: 42-78 participants, a morning and an
# afternoon session (14-22 slots), 12-14 tables that are full in nearly every slot, 168-286
# requests. Each was generated with a planted schedule, so a schedule with every meeting
# exists (generate_event(P, R, tables=T, sessions=2, slots_per_session=S, feasible=True,
# seed=N) with, by file: 71/360/12/7/1154, 76/406/12/8/1708, 73/431/14/11/2911,
# 75/694/13/11/469); greedy and repair alone left one meeting out of each, and so did
# `schedule(time_limit=10)` before it asked CP-SAT for every request.
TIGHT = sorted((Path(__file__).parent / "fixtures").glob("tight-*.json"))


@pytest.mark.parametrize("path", TIGHT, ids=[p.stem for p in TIGHT])
def test_every_meeting_of_a_tight_two_session_event_is_scheduled(path):
    event = json.loads(path.read_text(encoding="utf-8"))

    result = run(event, time_limit=10)

    check_schedule(event, result)
    assert result["unscheduled"] == []
    assert result["stats"]["scheduled"] == len(event["requests"])


def test_the_tight_fixtures_are_tight():
    # what makes them hard: every table taken in at least 85% of the slots
    for path in TIGHT:
        event = json.loads(path.read_text(encoding="utf-8"))
        capacity = len(event["slots"]) * event["tables"]
        assert len(event["requests"]) >= 0.85 * capacity, path.name
        assert {s["session"] for s in event["slots"]} == {"day 1", "day 2"}


# --- optimality on tiny events -----------------------------------------------------------------


@settings(PROPERTIES, max_examples=40)
@given(events(max_slots=4, max_participants=4, max_requests=5))
def test_tiny_events_get_the_best_weight_then_the_fewest_gaps(event):
    best_weight, best_gaps = brute_force(event)

    result = run(event)

    assert result["stats"]["weight_scheduled"] == pytest.approx(best_weight)
    assert result["stats"]["gaps"] == best_gaps
    # the bound is valid: never below the true optimum
    assert result["stats"]["upper_bound"] >= best_weight - 1e-9


@pytest.mark.parametrize(
    ("event", "weight", "gaps"),
    [
        # A consortium of two SMEs meets a buyer in the one slot all three have free; the
        # buyer's other meeting goes next to it, not after a hole.
        (
            {
                "slots": [{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}],
                "participants": [
                    {"id": "buyer"},
                    {"id": "sme1", "unavailable": [1, 2]},
                    {"id": "sme2", "unavailable": [4]},
                    {"id": "x"},
                ],
                "requests": [
                    {"id": "consortium", "participants": ["sme1", "buyer", "sme2"]},
                    {"id": "other", "participants": ["buyer", "x"]},
                ],
            },
            2.0,
            0,
        ),
        # Heavier first: one slot, two requests sharing a participant; weight 3 beats 2.
        (
            {
                "slots": [{"id": 1}],
                "participants": [{"id": "x"}, {"id": "y"}, {"id": "z"}],
                "requests": [
                    {"id": "light", "participants": ["x", "y"], "weight": 2},
                    {"id": "heavy", "participants": ["x", "z"], "weight": 3},
                ],
            },
            3.0,
            0,
        ),
        # Weight before gaps: scheduling the third meeting creates a gap, and is still right.
        (
            {
                "slots": [{"id": 1}, {"id": 2}, {"id": 3}],
                "participants": [
                    {"id": "host"},
                    {"id": "a", "unavailable": [2, 3]},
                    {"id": "b", "unavailable": [1, 2]},
                ],
                "requests": [
                    {"id": "r1", "participants": ["host", "a"]},
                    {"id": "r2", "participants": ["host", "b"]},
                ],
            },
            2.0,
            1,
        ),
    ],
)
def test_hand_made_events_get_their_known_optimum(event, weight, gaps):
    result = run(event)

    assert (result["stats"]["weight_scheduled"], result["stats"]["gaps"]) == (weight, gaps)
    assert (weight, gaps) == brute_force(event)


def test_gaps_count_idle_periods_not_idle_slots():
    # Meetings in slots 1 and 4 of one session: one gap, however long.
    event = {
        "slots": [{"id": i} for i in range(1, 5)],
        "participants": [
            {"id": "p"},
            {"id": "q", "unavailable": [2, 3, 4]},
            {"id": "r", "unavailable": [1, 2, 3]},
        ],
        "requests": [
            {"id": "pq", "participants": ["p", "q"]},
            {"id": "pr", "participants": ["p", "r"]},
        ],
    }

    result = run(event)

    assert result["stats"]["gaps"] == 1 == count_gaps(event, {"pq": 1, "pr": 4})


def test_no_gap_across_sessions():
    # Morning ends with a meeting, afternoon starts with one: not a gap.
    event = {
        "slots": [
            {"id": 1, "session": "am"},
            {"id": 2, "session": "am"},
            {"id": 3, "session": "pm"},
        ],
        "participants": [
            {"id": "p"},
            {"id": "q", "unavailable": [2, 3]},
            {"id": "r", "unavailable": [1, 2]},
        ],
        "requests": [
            {"id": "pq", "participants": ["p", "q"]},
            {"id": "pr", "participants": ["p", "r"]},
        ],
    }

    assert run(event)["stats"]["gaps"] == 0


# --- tables -----------------------------------------------------------------------------------


def test_tables_limit_meetings_per_slot_and_are_numbered_from_one():
    event = {
        "slots": [{"id": 1}, {"id": 2}],
        "tables": 2,
        "participants": [{"id": f"p{i}"} for i in range(10)],
        "requests": [{"id": i, "participants": [f"p{2 * i}", f"p{2 * i + 1}"]} for i in range(5)],
    }

    result = run(event)

    check_schedule(event, result)
    assert result["stats"]["scheduled"] == 4
    assert result["stats"]["upper_bound"] == 4
    assert sorted(m["table"] for m in result["meetings"]) == [1, 1, 2, 2]


def test_a_buyer_keeps_its_table():
    # The buyer meets three visitors in a row; whoever else meets, the buyer's table stays.
    event = {
        "slots": [{"id": i} for i in range(3)],
        "tables": 3,
        "participants": [{"id": "buyer"}, *({"id": f"v{i}"} for i in range(6))],
        "requests": [
            *({"id": f"b{i}", "participants": ["buyer", f"v{i}"]} for i in range(3)),
            {"id": "x", "participants": ["v3", "v4"]},
            {"id": "y", "participants": ["v4", "v5"]},
        ],
    }

    result = run(event)

    tables = {m["table"] for m in result["meetings"] if m["request"].startswith("b")}
    assert len(tables) == 1


# --- reasons ----------------------------------------------------------------------------------


def reasons(event: dict) -> dict:
    return {u["request"]: u["reason"] for u in run(event)["unscheduled"]}


def test_reasons_name_the_participant_without_a_slot():
    event = {
        "slots": [{"id": "s1", "session": "am"}, {"id": "s2", "session": "pm"}],
        "participants": [{"id": "p1"}, {"id": "p3", "unavailable": ["s1"]}],
        "requests": [{"id": "r1", "participants": ["p1", "p3"], "sessions": ["am"]}],
    }

    assert reasons(event) == {"r1": "participant p3 has no available slot in the allowed sessions"}


def test_reasons_say_when_participants_never_overlap():
    event = {
        "slots": [{"id": 1}, {"id": 2}],
        "participants": [{"id": "a", "unavailable": [1]}, {"id": "b", "unavailable": [2]}],
        "requests": [{"id": "r", "participants": ["a", "b"]}],
    }

    assert reasons(event) == {
        "r": "the participants have no common available slot in the allowed sessions"
    }


def test_reasons_name_the_request_holding_a_fixed_slot():
    event = {
        "slots": [{"id": "s5"}, {"id": "s6"}],
        "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        "requests": [
            {"id": "r9", "participants": ["a", "b"], "fixed_slot": "s5", "weight": 2},
            {"id": "r1", "participants": ["a", "c"], "fixed_slot": "s5"},
        ],
    }

    assert reasons(event) == {"r1": "fixed slot s5 conflicts with request r9"}


@pytest.mark.parametrize(
    ("participant", "reason"),
    [
        # unavailable in the fixed slot
        ({"id": "b", "unavailable": ["s1"]}, "participant b is unavailable in fixed slot s1"),
        # no meetings at all
        ({"id": "b", "max_meetings": 0}, "participant b takes no meetings (max_meetings is 0)"),
    ],
)
def test_reasons_for_a_participant_who_cannot_meet(participant, reason):
    event = {
        "slots": [{"id": "s1"}, {"id": "s2"}],
        "participants": [{"id": "a"}, participant],
        "requests": [{"id": "r", "participants": ["a", "b"], "fixed_slot": "s1"}],
    }

    assert reasons(event) == {"r": reason}


def test_reasons_name_a_participant_at_its_limit_and_plain_capacity():
    event = {
        "slots": [{"id": 1}, {"id": 2}],
        "participants": [{"id": "a", "max_meetings": 1}, {"id": "b"}, {"id": "c"}, {"id": "d"}],
        "requests": [
            {"id": "ab", "participants": ["a", "b"], "weight": 2},
            {"id": "ac", "participants": ["a", "c"]},
            {"id": "bd1", "participants": ["b", "d"]},
            {"id": "bd2", "participants": ["d", "b", "c"]},
            {"id": "cd", "participants": ["c", "d"]},
        ],
    }

    found = reasons(event)

    assert found["ac"] == "capacity: participant a already has its maximum of 1 meetings"
    assert "capacity: not chosen by the optimiser" in found.values()


def test_no_tables_means_nothing_is_scheduled():
    event = {
        "slots": [{"id": 1}],
        "tables": 0,
        "participants": [{"id": "a"}, {"id": "b"}],
        "requests": [{"id": "r", "participants": ["a", "b"]}],
    }

    assert reasons(event) == {"r": "the event has no tables"}


# --- determinism, options ---------------------------------------------------------------------


def without_seconds(result: dict) -> dict:
    return {**result, "stats": {k: v for k, v in result["stats"].items() if k != "seconds"}}


@pytest.mark.parametrize("method", ["auto", "heuristic"])
def test_the_same_seed_gives_the_same_schedule(method):
    # Small enough for CP-SAT to finish before the limit, so the clock cannot interfere.
    event = generate_event(30, 70, tables=6, sessions=1, slots_per_session=12, seed=11)

    first = run(event, seed=3, method=method, time_limit=30)
    second = run(event, seed=3, method=method, time_limit=30)

    assert without_seconds(first) == without_seconds(second)


def test_an_empty_event_gives_an_empty_schedule():
    result = run({})

    assert result == {
        "meetings": [],
        "unscheduled": [],
        "stats": {
            **result["stats"],
            "requests": 0,
            "scheduled": 0,
            "weight_scheduled": 0.0,
            "gaps": 0,
            "upper_bound": 0.0,
        },
    }


@pytest.mark.parametrize(
    "options",
    [
        # no time at all
        {"time_limit": 0},
        # negative time
        {"time_limit": -1},
        # a method that does not exist
        {"method": "magic"},
    ],
)
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        schedule(event_from_json({}), **options)


def test_the_docstring_examples_run():
    result = doctest.testmod(solve)

    assert result.attempted > 0
    assert result.failed == 0


def dense_tiny_event(rng: random.Random) -> dict:
    """A tiny event crowded enough that requests compete: hypothesis favours sparse ones."""
    n_slots = rng.randint(2, 4)
    n_sessions = rng.randint(1, 2)
    slots = [
        {"id": f"s{i}", "session": f"d{min(i * n_sessions // n_slots, n_sessions - 1)}"}
        for i in range(n_slots)
    ]
    slot_ids = [s["id"] for s in slots]
    people = []
    for i in range(rng.randint(3, 5)):
        person = {"id": f"p{i}"}
        if rng.random() < 0.4:
            person["unavailable"] = rng.sample(slot_ids, rng.randint(1, n_slots - 1))
        if rng.random() < 0.2:
            person["max_meetings"] = rng.randint(0, 3)
        people.append(person)
    requests = []
    for j in range(rng.randint(3, 6)):
        size = 3 if rng.random() < 0.2 else 2
        request = {
            "id": f"r{j}",
            "participants": rng.sample([p["id"] for p in people], size),
            "weight": rng.choice([1, 1, 2, 0.5]),
        }
        if rng.random() < 0.15:
            request["fixed_slot"] = rng.choice(slot_ids)
        if rng.random() < 0.15:
            request["sessions"] = [rng.choice(sorted({s["session"] for s in slots}))]
        requests.append(request)
    tables = rng.choice([None, None, 1, 2, 3])
    return {"slots": slots, "tables": tables, "participants": people, "requests": requests}


@pytest.mark.parametrize("seed", range(80))
def test_crowded_tiny_events_get_the_exhaustive_optimum(seed):
    event = dense_tiny_event(random.Random(seed))
    best_weight, best_gaps = brute_force(event)

    result = run(event)

    check_schedule(event, result)
    assert result["stats"]["weight_scheduled"] == pytest.approx(best_weight)
    assert result["stats"]["gaps"] == best_gaps
    assert result["stats"]["upper_bound"] >= best_weight - 1e-9


def test_a_schedule_proven_best_says_so():
    event = event_from_json(
        {
            "slots": [{"id": 1}, {"id": 2}],
            "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
            "requests": [
                {"id": "ab", "participants": ["a", "b"]},
                {"id": "ac", "participants": ["a", "c"]},
            ],
        }
    )

    result = schedule(event, time_limit=5)

    assert result.optimal
    assert result.stats["weight_scheduled"] == result.stats["upper_bound"] == 2.0


def test_first_come_first_served_books_in_acceptance_order():
    # The first request takes slot 1, the earliest; the second, which could only have used
    # slot 1, is left out, although the optimiser fits both.
    event = event_from_json(
        {
            "slots": [{"id": 1}, {"id": 2}],
            "participants": [{"id": "a"}, {"id": "b"}, {"id": "c", "unavailable": [2]}],
            "requests": [
                {"id": "ab", "participants": ["a", "b"]},
                {"id": "ac", "participants": ["a", "c"]},
            ],
        }
    )

    baseline = first_come_first_served(event)

    assert [(m.request, m.slot) for m in baseline.meetings] == [("ab", 1)]
    assert [u.request for u in baseline.unscheduled] == ["ac"]
    assert schedule(event, time_limit=5).stats["scheduled"] == 2
