"""Schedule an event: the heuristic for every size, CP-SAT on top where the model is small.

`schedule` is the optimiser, `first_come_first_served` the baseline it is measured against.
"""

from __future__ import annotations

import random
import time

from ..errors import InputError
from . import cpsat
from .bound import lp_bound, trivial_bound
from .heuristic import (
    Budget,
    State,
    greedy,
    greedy_order,
    improve_gaps,
    repair,
)
from .heuristic import first_come_first_served as _fcfs
from .model import Event, Meeting, Problem, Schedule, Unscheduled

__all__ = ["first_come_first_served", "schedule"]

# CP-SAT is run when the model has at most this many request-slot Booleans. Above it, the
# exact model rarely improves on the heuristic within a few seconds on 2 cores, while its
# construction alone takes seconds (measured with benchmarks/bench_scheduling.py).
EXACT_LIMIT = 60_000

# Heuristic steps (one candidate slot looked at) granted per second of time limit. The
# budget, not the clock, stops the heuristic, so results do not depend on machine load; this
# rate is about two thirds of what the development machine does, leaving room for the bound and
# for CP-SAT.
STEPS_PER_SECOND = 200_000

# Kicks in a row without gain after which the gap search stops before its budget is spent.
PATIENCE = 1000

# CP-SAT is not started with less time than this left: importing OR-Tools and building the
# model alone take a good part of it, and a run that ends past its time limit is worse than
# a schedule without CP-SAT's improvements.
MIN_CPSAT_SECONDS = 1.0


def schedule(
    event: Event, *, time_limit: float = 10.0, seed: int = 0, method: str = "auto"
) -> Schedule:
    """Schedule as much weight as possible, then with as few gaps as possible.

    Parameters
    ----------
    event : Event
        Slots, participants, requests and tables, e.g. from `event_from_json`.
    time_limit : float
        Seconds the whole run may take, imports of SciPy and OR-Tools included. The answer
        is the best found by then.
    seed : int
        Breaks ties in the heuristic and seeds CP-SAT. Same event, seed and time limit:
        same schedule (unless the machine is so slow that the wall-clock safety net stops a
        phase early, or greedy and repair leave out a request that may fit: the search for
        a schedule with every request runs CP-SAT's parallel portfolio, which may find
        another complete schedule on another run).
    method : {"auto", "heuristic", "exact"}
        "heuristic" never runs CP-SAT; "exact" always does; "auto" does when the model has
        at most `EXACT_LIMIT` request-slot pairs.

    Returns
    -------
    Schedule
        Meetings with table numbers, unscheduled requests with a reason each, and stats:
        requests, scheduled, weight_scheduled, gaps, upper_bound (a proven bound on the
        weight of any schedule) and seconds.

    Raises
    ------
    InputError
        (a `ValueError`) If `time_limit` is not positive or `method` is unknown.

    Example
    -------
    >>> from metacluster.core.scheduling import event_from_json
    >>> event = event_from_json({
    ...     "slots": [{"id": 1}, {"id": 2}, {"id": 3}],
    ...     "participants": [{"id": "buyer"}, {"id": "a"}, {"id": "b"}],
    ...     "requests": [
    ...         {"id": "r1", "participants": ["buyer", "a"]},
    ...         {"id": "r2", "participants": ["buyer", "b"], "fixed_slot": 3},
    ...     ],
    ... })
    >>> result = schedule(event, time_limit=5).to_json()
    >>> result["meetings"]
    [{'request': 'r1', 'slot': 2, 'table': None}, {'request': 'r2', 'slot': 3, 'table': None}]
    >>> result["stats"]["gaps"], result["stats"]["upper_bound"]
    (0, 2.0)

    Notes
    -----
    1. A greedy pass places requests heaviest and most constrained first, each in the free
       slot that adds fewest gaps. Repair inserts what is left with moves of rising cost:
       ejecting a blocking meeting to another slot, a Kempe-chain interchange (the
       augmenting step of edge colouring), evicting meetings with augmenting swaps (which
       gain meetings even at equal weights), ejection chains two deep. An iterated local
       search of Kempe-chain interchanges then closes gaps. Each step is a few bit
       operations on per-participant bit sets, so 90,000 requests take seconds; the work is
       budgeted in steps (`STEPS_PER_SECOND` per second of `time_limit`), not in seconds.
       Small events get several such starts from different greedy orders.
    2. An LP relaxation of per-participant and per-table capacities gives a valid upper
       bound (`metacluster.core.scheduling.bound`); a schedule that reaches it has the
       optimal weight.
    3. When the model has at most `EXACT_LIMIT` request-slot pairs, the weight comes
       before the gaps: if greedy and repair leave out a request and no capacity rule says
       that not all requests fit, CP-SAT is asked for a schedule with every request first
       (a feasibility question it answers in seconds on tight events where repair is stuck
       one meeting short), and the gap search starts from that. Then the CP-SAT model of
       Bofill et al. (weight, then gaps) starts from the best schedule: it raises the
       weight if the bound is not reached, proves a tighter bound, and proves gaps minimal
       on small events (`metacluster.core.scheduling.cpsat`). The LP bound is only
       solved (SciPy imported) when some capacity rule binds.

    Measured on 2 cores (benchmarks/README.md): every meeting of 50-80 participant forums
    with 0-1 gaps in 0.3-5 s; every meeting of tight two-session trade fairs (71-76
    participants, tables full in nearly every slot); a 700-participant trade fair at its
    bound in 5 s; 90,000
    online requests at 99.6% of the bound in 43 s and 330 MB.

    M. Bofill, J. Coll, M. Garcia, J. Giráldez-Cru, G. Pesant, J. Suy, M. Villaret,
    "Constraint Solving Approaches to the Business-to-Business Meeting Scheduling Problem",
    Journal of Artificial Intelligence Research 74 (2022).
    """
    if not time_limit > 0:
        raise InputError(f"time_limit must be positive, not {time_limit!r}")
    if method not in ("auto", "heuristic", "exact"):
        raise InputError(f"method must be auto, heuristic or exact, not {method!r}")
    began = time.perf_counter()
    deadline = began + time_limit
    pb = Problem(event)
    rng = random.Random(seed)
    size = sum(d.bit_count() for d in pb.domain)
    exact = method == "exact" or (method == "auto" and size <= EXACT_LIMIT)

    steps = int(time_limit * STEPS_PER_SECOND)
    # Alone, the heuristic gets the whole budget. With CP-SAT, the weight comes first: a
    # tenth of the budget for greedy and repair, then CP-SAT's weight phase if they fall
    # short of the bound (`_complete`). Then half the budget for gaps, spent on several
    # starts: the heuristic's gap search (an iterated local search) beats a single CP-SAT
    # worker at lowering gaps by far, and restarts from other greedy orders diversify it
    # better than a longer search. CP-SAT's last part is to prove bounds and optima.
    if exact:
        first, bound = _complete(pb, rng, steps // 10, began, deadline, seed)
        st = _multistart(
            pb, rng, bound, int(steps * 0.5), safety(began, deadline, 0.6), first=first
        )
    else:
        bound = lp_bound(pb)
        st = _multistart(pb, rng, bound, steps, safety(began, deadline, 0.9), starts=1)
    slot_of = list(st.slot_of)

    # Nothing left to prove when the weight reaches the bound and no one has a gap.
    done = st.weight >= bound and st.total_gaps() == 0
    gaps_proven = False
    # CP-SAT's gap phase only when there is time left to build its model and search.
    now = time.perf_counter()
    late = now > safety(began, deadline, 0.75) or deadline - now < MIN_CPSAT_SECONDS
    if exact and pb.n_requests and not done and not late:

        def polish(found: list[int]) -> list[int]:
            state = State(pb)
            for r, s in enumerate(found):
                if s >= 0:
                    state.place(r, s)
            improve_gaps(
                state, rng, Budget(steps // 5, safety(began, deadline, 0.8)), patience=PATIENCE
            )
            return state.slot_of

        found, proven_bound, gaps_proven = cpsat.solve(
            pb,
            slot_of,
            seconds=time_limit * (0.3 if st.weight >= bound else 0.6),
            deadline=deadline - 0.05 * time_limit,
            seed=seed,
            skip_weight=st.weight >= bound,
            polish=polish,
        )
        if _better(pb, found, slot_of):
            slot_of = found
        elif gaps_proven and _weight_and_gaps(pb, found) != _weight_and_gaps(pb, slot_of):
            gaps_proven = False
        if proven_bound is not None:
            bound = min(bound, proven_bound)
    result = build_schedule(pb, slot_of, bound, time.perf_counter() - began)
    weight, gaps = _weight_and_gaps(pb, slot_of)
    result.optimal = weight >= bound and (gaps == 0 or gaps_proven)
    return result


def first_come_first_served(event: Event) -> Schedule:
    """The baseline: requests in input (acceptance) order, each booked into the earliest
    slot where all its participants and a table are free, never moved afterwards.

    Cost: O(requests * participants per request) bit operations.

    Example
    -------
    >>> from metacluster.core.scheduling import event_from_json
    >>> event = event_from_json({
    ...     "slots": [{"id": 1}, {"id": 2}],
    ...     "participants": [{"id": "a"}, {"id": "b"}, {"id": "c", "unavailable": [2]}],
    ...     "requests": [{"id": "ab", "participants": ["a", "b"]},
    ...                  {"id": "ac", "participants": ["a", "c"]}],
    ... })
    >>> [(m.request, m.slot) for m in first_come_first_served(event).meetings]
    [('ab', 1)]
    """
    began = time.perf_counter()
    pb = Problem(event)
    st = _fcfs(pb)
    return build_schedule(pb, st.slot_of, lp_bound(pb), time.perf_counter() - began)


def _complete(
    pb: Problem, rng: random.Random, steps: int, began: float, deadline: float, seed: int
) -> tuple[State, int]:
    """Every request first, when every request fits: greedy and repair, then CP-SAT if
    they leave out a request the bound says may fit, before any time goes to gaps.

    On tight events (tables full in nearly every slot, popular participants booked in
    nearly every slot) greedy and repair can leave out a meeting that fits, and only an
    exact search finds the reshuffle that seats it. When the LP bound does not rule out
    that every request fits, CP-SAT is asked for exactly that (`cpsat.schedule_every`), a
    question it answers in a second or two on such events.

    Returns the schedule (as a State, for the gap search to start from) and the bound: the
    total weight of the requests that have a slot when all of them are scheduled (so that
    no LP is solved), else the LP bound."""
    bound = everything = trivial_bound(pb)
    st = State(pb)
    greedy(st, greedy_order(pb, rng))
    if st.weight < bound:
        repair(st, rng, Budget(steps, safety(began, deadline, 0.1)), target=bound)
    if st.weight < bound:
        bound = lp_bound(pb)
    until = safety(began, deadline, 0.6)
    if st.weight >= bound or bound < everything or until - time.perf_counter() < MIN_CPSAT_SECONDS:
        return st, bound
    found, _ = cpsat.schedule_every(pb, list(st.slot_of), deadline=until, seed=seed)
    if found is not None:
        st = State(pb)
        for r, s in enumerate(found):
            if s >= 0:
                st.place(r, s)
    return st, bound


def _multistart(
    pb: Problem,
    rng: random.Random,
    bound: int,
    steps: int,
    deadline: float,
    starts: int = 8,
    first: State | None = None,
) -> State:
    """The best of up to `starts` runs of greedy, repair and gap search, each from its own
    seeded greedy order, within `steps` in all; stops early on a schedule that reaches the
    bound without gaps. `first`, if given, is the first run's schedule after repair."""
    best, best_key, left = None, None, steps
    for start in range(starts):
        each = left if start == starts - 1 else max(left // 2, steps // starts)
        budget = Budget(each // 2, deadline)
        if start == 0 and first is not None:
            st = first
        else:
            st = State(pb)
            greedy(st, greedy_order(pb, rng))
            if st.weight < bound:
                repair(st, rng, budget, target=bound)
        spent = each // 2 - max(budget.left, 0)
        # the gap search may use what the repair left
        budget = Budget(each - spent, deadline)
        improve_gaps(st, rng, budget, patience=PATIENCE)
        spent += each - spent - max(budget.left, 0)
        left -= spent
        key = (st.weight, -st.total_gaps())
        if best_key is None or key > best_key:
            best, best_key = st, key
        if (best_key[0] >= bound and best_key[1] == 0) or left < steps // (2 * starts):
            break
        if time.perf_counter() > deadline:
            break
    return best


def safety(began: float, deadline: float, fraction: float) -> float:
    """The wall-clock time by which a phase must stop even if its step budget is left."""
    return began + (deadline - began) * fraction


def _weight_and_gaps(pb: Problem, slot_of: list[int]) -> tuple[int, int]:
    busy = [0] * pb.n_participants
    weight = 0
    for r, s in enumerate(slot_of):
        if s >= 0:
            weight += pb.iweight[r]
            for p in pb.parts[r]:
                busy[p] |= 1 << s
    return weight, sum(pb.gaps(b) for b in busy)


def _better(pb: Problem, a: list[int], b: list[int]) -> bool:
    weight_a, gaps_a = _weight_and_gaps(pb, a)
    weight_b, gaps_b = _weight_and_gaps(pb, b)
    return (weight_a, -gaps_a) > (weight_b, -gaps_b)


def assign_tables(pb: Problem, slot_of: list[int]) -> list[int | None]:
    """Table numbers 1..tables, distinct within each slot. A meeting keeps the table one of
    its participants had in its previous meeting when that table is free, so a hosted buyer
    stays seated and the visitors come to it."""
    table: list[int | None] = [None] * pb.n_requests
    if pb.tables is None:
        return table
    in_slot: list[list[int]] = [[] for _ in range(pb.n_slots)]
    for r, s in enumerate(slot_of):
        if s >= 0:
            in_slot[s].append(r)
    last: dict[int, int] = {}
    for s in range(pb.n_slots):
        used: set[int] = set()
        for r in in_slot[s]:
            for p in pb.parts[r]:
                t = last.get(p)
                if t is not None and t not in used:
                    table[r] = t
                    used.add(t)
                    break
        free = (t for t in range(1, pb.tables + 1) if t not in used)
        for r in in_slot[s]:
            if table[r] is None:
                table[r] = next(free)
        for r in in_slot[s]:
            for p in pb.parts[r]:
                last[p] = table[r]
    return table


def build_schedule(pb: Problem, slot_of: list[int], bound: int, seconds: float) -> Schedule:
    """The `Schedule` of an assignment of slots to requests (-1: unscheduled)."""
    busy = [0] * pb.n_participants
    count = [0] * pb.n_participants
    for r, s in enumerate(slot_of):
        if s >= 0:
            for p in pb.parts[r]:
                busy[p] |= 1 << s
                count[p] += 1
    tables = assign_tables(pb, slot_of)
    position = {slot.id: i for i, slot in enumerate(pb.event.slots)}
    meetings = sorted(
        (
            Meeting(pb.request_ids[r], pb.slot_ids[s], tables[r])
            for r, s in enumerate(slot_of)
            if s >= 0
        ),
        key=lambda m: (position[m.slot], m.table or 0),
    )
    order = {rid: r for r, rid in enumerate(pb.request_ids)}
    if pb.tables is None:
        meetings.sort(key=lambda m: (position[m.slot], order[m.request]))
    unscheduled = [
        Unscheduled(pb.request_ids[r], pb.reason(r, slot_of, busy, count))
        for r, s in enumerate(slot_of)
        if s < 0
    ]
    weight = sum(pb.iweight[r] for r, s in enumerate(slot_of) if s >= 0)
    stats = {
        "requests": pb.n_requests,
        "scheduled": len(meetings),
        "weight_scheduled": _weight(weight, pb),
        "gaps": sum(pb.gaps(b) for b in busy),
        "upper_bound": _weight(bound, pb),
        "seconds": round(seconds, 3),
    }
    return Schedule(meetings, unscheduled, stats)


def _weight(units: int, pb: Problem) -> float:
    return round(units / pb.weight_units, 6)
