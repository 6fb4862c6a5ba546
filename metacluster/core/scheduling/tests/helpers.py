"""Independent checks of a schedule against its event, both as plain JSON.

Nothing here uses the scheduler's own code: validity, gaps and the optimum are recomputed
from the JSON with the simplest possible loops, so that a bug in the bit-set machinery cannot
hide itself.
"""

from __future__ import annotations

import itertools


def weight_of(request: dict) -> float:
    weight = request.get("weight")
    return 1.0 if weight is None else float(weight)


def session_order(event: dict) -> dict:
    """Slot ids per session, in time order."""
    order: dict = {}
    for slot in event.get("slots") or []:
        order.setdefault(slot.get("session"), []).append(slot["id"])
    return order


def count_gaps(event: dict, placed: dict) -> int:
    """Idle periods between two meetings, per participant and session; `placed` maps a
    request id to its slot id."""
    requests = {r["id"]: r for r in event.get("requests") or []}
    meets = {(p, slot) for rid, slot in placed.items() for p in requests[rid]["participants"]}
    gaps = 0
    for participant in event.get("participants") or []:
        for ids in session_order(event).values():
            positions = [i for i, slot in enumerate(ids) if (participant["id"], slot) in meets]
            gaps += sum(1 for a, b in zip(positions, positions[1:], strict=False) if b > a + 1)
    return gaps


def is_feasible(event: dict, placed: dict) -> bool:
    """Whether placing requests in slots (ignoring tables numbers) breaks no hard rule."""
    return not violations(event, placed)


def violations(event: dict, placed: dict, tables: dict | None = None) -> list[str]:
    """Every hard rule `placed` (request id -> slot id) breaks; `tables` (request id ->
    table) is checked too when given."""
    problems = []
    slots = {s["id"]: s for s in event.get("slots") or []}
    people = {p["id"]: p for p in event.get("participants") or []}
    requests = {r["id"]: r for r in event.get("requests") or []}
    seen = {}
    load: dict = {}
    count: dict = {}
    for rid, slot in placed.items():
        request = requests[rid]
        if slot not in slots:
            problems.append(f"{rid} in unknown slot {slot}")
            continue
        if request.get("fixed_slot") is not None and slot != request["fixed_slot"]:
            problems.append(f"{rid} not in its fixed slot")
        if (
            request.get("sessions") is not None
            and slots[slot].get("session") not in request["sessions"]
        ):
            problems.append(f"{rid} in a session it does not allow")
        for p in request["participants"]:
            if slot in (people[p].get("unavailable") or []):
                problems.append(f"{p} unavailable in {slot} but meets in {rid}")
            if (p, slot) in seen:
                problems.append(f"{p} in {seen[p, slot]} and {rid} in {slot}")
            seen[p, slot] = rid
            count[p] = count.get(p, 0) + 1
        load.setdefault(slot, []).append(rid)
    for p, n in count.items():
        limit = people[p].get("max_meetings")
        if limit is not None and n > limit:
            problems.append(f"{p} has {n} meetings, more than {limit}")
    limit = event.get("tables")
    for slot, rids in load.items():
        if limit is not None and len(rids) > limit:
            problems.append(f"{len(rids)} meetings in {slot} for {limit} tables")
        if tables is not None:
            numbers = [tables[rid] for rid in rids]
            if limit is None:
                if any(n is not None for n in numbers):
                    problems.append(f"table numbers in {slot} without tables")
            else:
                if len(set(numbers)) != len(numbers):
                    problems.append(f"two meetings at one table in {slot}")
                if any(not isinstance(n, int) or not 1 <= n <= limit for n in numbers):
                    problems.append(f"table number out of 1..{limit} in {slot}")
    return problems


def check_schedule(event: dict, result: dict) -> None:
    """Assert that `result` (Schedule.to_json()) is a valid schedule of `event`, with every
    request accounted for once and stats that match the meetings."""
    requests = {r["id"]: r for r in event.get("requests") or []}
    placed = {m["request"]: m["slot"] for m in result["meetings"]}
    tables = {m["request"]: m["table"] for m in result["meetings"]}
    assert len(placed) == len(result["meetings"]), "a request is scheduled twice"
    assert violations(event, placed, tables) == []
    unscheduled = [u["request"] for u in result["unscheduled"]]
    assert len(set(unscheduled)) == len(unscheduled)
    assert not set(unscheduled) & set(placed)
    assert set(unscheduled) | set(placed) == set(requests)
    for item in result["unscheduled"]:
        assert isinstance(item["reason"], str) and item["reason"]
    stats = result["stats"]
    assert stats["requests"] == len(requests)
    assert stats["scheduled"] == len(placed)
    weight = sum(weight_of(requests[rid]) for rid in placed)
    assert abs(stats["weight_scheduled"] - weight) < 1e-6
    assert stats["gaps"] == count_gaps(event, placed)
    assert stats["upper_bound"] >= stats["weight_scheduled"] - 1e-9
    assert stats["seconds"] >= 0


def brute_force(event: dict) -> tuple[float, int]:
    """The best (weight, gaps) over every way of placing each request in a slot or
    nowhere, tables permitting: exponential, for tiny events only."""
    slots = [s["id"] for s in event.get("slots") or []]
    requests = event.get("requests") or []
    best = (0.0, 0)
    for choice in itertools.product([None, *slots], repeat=len(requests)):
        placed = {r["id"]: s for r, s in zip(requests, choice, strict=True) if s is not None}
        if violations(event, placed):
            continue
        weight = round(sum(weight_of(r) for r in requests if r["id"] in placed), 6)
        gaps = count_gaps(event, placed)
        if (weight, -gaps) > (best[0], -best[1]):
            best = (weight, gaps)
    return best
