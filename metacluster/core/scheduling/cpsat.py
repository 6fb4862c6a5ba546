"""The exact model: OR-Tools CP-SAT, weight first, then gaps, warm-started by the heuristic.

One Boolean x[r, s] per request and slot of its domain. Phase 1 maximises the scheduled
weight; phase 2 keeps the weight at least at phase 1's best and minimises gaps, counted per
participant and session as (blocks of adjacent meetings) - (1 if it meets in the session):
block starts are Booleans `start[p, s] >= busy[p, s] - busy[p, s - 1]`, which the
minimisation makes exact. This lexicographic two-phase scheme is the one Bofill et al. use
for the B2B scheduling problem with MaxSAT, CP and MIP solvers, here on a single CP-SAT
model. Both phases start from the heuristic's schedule as a hint, so the answer is never
worse than the heuristic's, whenever the time runs out.

Runs are reproducible: one worker, a fixed `random_seed`, and a *deterministic* time limit
(CP-SAT's count of work, independent of machine load); the wall-clock limit is only a safety
net.
"""

from __future__ import annotations

import time
from math import gcd

from .model import Problem, bits

__all__ = ["schedule_every", "solve"]

# CP-SAT's deterministic time runs at about half a unit per wall second on the development
# machine for these models; the budget is scaled down so that the wall-clock
# safety net, which would make the result depend on machine load, does not bind.
DETERMINISTIC_PER_SECOND = 0.4

# Threads of the portfolio that looks for a schedule with every request (`schedule_every`);
# on 2 cores, 4 found the tight events' schedules fastest (8 and 1 were slower).
COMPLETE_WORKERS = 4


def _solver(seconds: float, wall: float, seed: int, workers: int = 1):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(seconds * DETERMINISTIC_PER_SECOND, 0.01)
    solver.parameters.max_time_in_seconds = max(wall, 0.05)
    return solver


def _model(pb: Problem, *, every: bool = False):
    """The CP-SAT model's rules: (model, x[r, s], x's per (participant, slot)). With `every`,
    each request that has a slot at all must be scheduled."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x: dict[tuple[int, int], object] = {}
    for r in range(pb.n_requests):
        if pb.domain[r]:
            for s in bits(pb.domain[r]):
                x[r, s] = model.new_bool_var(f"x{r}_{s}")
            once = [x[r, s] for s in bits(pb.domain[r])]
            if every:
                model.add_exactly_one(once)
            else:
                model.add_at_most_one(once)

    by_participant_slot: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    for (r, s), var in x.items():
        by_slot.setdefault(s, []).append(var)
        for p in pb.parts[r]:
            by_participant_slot.setdefault((p, s), []).append(var)
    for terms in by_participant_slot.values():
        if len(terms) > 1:
            model.add_at_most_one(terms)
    for p in range(pb.n_participants):
        terms = [x[r, s] for r in pb.requests_of[p] if pb.domain[r] for s in bits(pb.domain[r])]
        if pb.cap[p] < len(pb.requests_of[p]) and terms:
            model.add(sum(terms) <= pb.cap[p])
    if pb.tables is not None:
        for terms in by_slot.values():
            if len(terms) > pb.tables:
                model.add(sum(terms) <= pb.tables)
    return model, x, by_participant_slot


def schedule_every(
    pb: Problem, hint: list[int], *, deadline: float, seed: int = 0, workers: int = COMPLETE_WORKERS
) -> tuple[list[int] | None, bool]:
    """Look for a schedule with every request that has a slot, starting from `hint`.

    Returns (slot per request, False) when one is found, (None, True) when CP-SAT proves
    there is none, (None, False) when `deadline` (a `time.perf_counter()` value) comes first.
    A feasibility question, not an optimisation: CP-SAT propagates "every request exactly
    once" far better than it raises a weight objective by one, and its parallel portfolio
    (`workers` threads: LNS, core-based and fixed searches side by side) finds these
    reshuffles an order of magnitude faster than one worker. The price is reproducibility:
    which complete schedule is found may differ between runs (its weight cannot).
    """
    from ortools.sat.python import cp_model

    model, x, _ = _model(pb, every=True)
    for (r, s), var in x.items():
        model.add_hint(var, hint[r] == s)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(deadline - time.perf_counter(), 0.05)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slot_of = [-1] * pb.n_requests
        for (r, s), var in x.items():
            if solver.boolean_value(var):
                slot_of[r] = s
        return slot_of, False
    return None, status == cp_model.INFEASIBLE


def solve(
    pb: Problem,
    hint: list[int] | None,
    *,
    seconds: float,
    deadline: float,
    seed: int = 0,
    skip_weight: bool = False,
    polish=None,
    workers: int = 1,
    deterministic: bool = True,
) -> tuple[list[int], int | None, bool]:
    """Improve the schedule `hint` (slot per request, -1 for none), or solve from scratch
    when `hint` is None.

    Returns (slot per request, proven upper bound on the weight in units or None, whether
    the gaps are proven minimal for that weight). `workers` above 1 runs CP-SAT's parallel
    portfolio, faster but no longer reproducible; so does `deterministic=False`, which lets
    each phase run until the wall clock stops it. With `skip_weight` the hint's weight is
    taken as optimal (the caller has a bound equal to it) and only gaps are minimised.
    `polish(slot_of) -> slot_of` is applied to phase 1's answer before it becomes phase 2's
    hint (the heuristic's gap search).

    Cost: the model has sum over requests of |domain| Booleans plus one per participant and
    slot it may meet in; each phase gets about half of `seconds`.
    """
    from ortools.sat.python import cp_model

    if not deterministic:
        seconds = 1e9
    model, x, by_participant_slot = _model(pb)

    step = 0
    for r in range(pb.n_requests):
        step = gcd(step, pb.iweight[r])
    step = step or 1
    weight = sum(pb.iweight[r] // step * var for (r, _), var in x.items())

    def set_hint(slot_of):
        model.clear_hints()
        if hint is None:
            return
        for (r, s), var in x.items():
            model.add_hint(var, slot_of[r] == s)

    def read(solver):
        slot_of = [-1] * pb.n_requests
        for (r, s), var in x.items():
            if solver.boolean_value(var):
                slot_of[r] = s
        return slot_of

    best = list(hint) if hint is not None else [-1] * pb.n_requests
    best_weight = sum(pb.iweight[r] for r in range(pb.n_requests) if best[r] >= 0) // step
    bound = None
    if not skip_weight:
        model.maximize(weight)
        set_hint(best)
        solver = _solver(seconds * 2 / 3, (deadline - time.perf_counter()) * 0.7, seed, workers)
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = read(solver)
            found_weight = round(solver.objective_value)
            if found_weight > best_weight:
                best, best_weight = found, found_weight
            bound = int(solver.best_objective_bound + 1e-6) * step
            if status == cp_model.OPTIMAL:
                bound = best_weight * step
        if polish is not None:
            best = polish(best)
        model.clear_objective()
        hint = best

    # Phase 2: the weight stays, gaps go down. Block starts and "meets in the session" are
    # defined exactly (not only bounded by the objective) so that the hint below is complete.
    model.add(weight >= best_weight)
    gap_terms, session_terms, aux = [], [], []
    for p in range(pb.n_participants):
        if len(pb.requests_of[p]) < 2:
            continue
        reach = 0
        for r in pb.requests_of[p]:
            reach |= pb.domain[r]
        busy = {}
        for s in bits(reach):
            terms = by_participant_slot.get((p, s))
            if terms:
                b = model.new_bool_var(f"b{p}_{s}")
                model.add(sum(terms) == b)
                busy[s] = b
                aux.append((b, p, 1 << s, 0))
        for session in pb.session_masks:
            inside = list(bits(reach & session))
            if len(inside) < 2:
                continue
            for s in inside:
                start = model.new_bool_var(f"g{p}_{s}")
                model.add_implication(start, busy[s])
                previous = busy.get(s - 1) if s > 0 and (session >> (s - 1)) & 1 else None
                if previous is None:
                    model.add(start == busy[s])
                    aux.append((start, p, 1 << s, 0))
                else:
                    model.add(start >= busy[s] - previous)
                    model.add_implication(start, previous.Not())
                    aux.append((start, p, 1 << s, 1 << (s - 1)))
                gap_terms.append(start)
            meets = model.new_bool_var(f"m{p}_{session}")
            model.add_max_equality(meets, [busy[s] for s in inside])
            session_terms.append(meets)
            aux.append((meets, p, reach & session, 0))

    def set_full_hint(slot_of):
        set_hint(slot_of)
        if hint is None:
            return
        mask = [0] * pb.n_participants
        for r, s in enumerate(slot_of):
            if s >= 0:
                for p in pb.parts[r]:
                    mask[p] |= 1 << s
        # (var, p, any of these busy, none of those busy)
        for var, p, some, none in aux:
            model.add_hint(var, bool(mask[p] & some) and not mask[p] & none)

    if not gap_terms:
        return best, bound, True
    model.minimize(sum(gap_terms) - sum(session_terms))
    set_full_hint(best)
    solver = _solver(
        seconds if skip_weight else seconds / 3, deadline - time.perf_counter(), seed, workers
    )
    status = solver.solve(model)
    proven = False
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best = read(solver)
        proven = status == cp_model.OPTIMAL
    return best, bound, proven
