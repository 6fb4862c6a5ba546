"""The exact model: OR-Tools CP-SAT, needs covered first, then quality.

For every need n a Boolean ``active[n]`` (the need gets a consortium) and for every eligible
company c a Boolean ``x[n, c]``:

- ``x[n, c] → active[n]``; for every required capability r: ``active[n] → OR x[n, c]`` over
  the companies offering r;
- ``min_size · active[n] ≤ Σ_c x[n, c] ≤ max_size``;
- a Boolean ``y[n, k]`` per country k with ``y[n, k] → OR x[n, c]`` over k's companies, and
  ``Σ_k y[n, k] ≥ min_countries`` if active;
- competitors: ``¬x[n, a] ∨ ¬x[n, b]`` unless the need allows them together;
- capacity: ``Σ_n x[n, c] ≤ max_consortia[c]``;
- diversity (alternatives of one need): for every earlier group P with t members,
  Jaccard(S, P) ≤ J, linear as ``(1 + J) · |S ∩ P| ≤ J · (|S| + t)``.

Phase 1 maximises Σ active; phase 2 keeps that many needs covered and maximises the score:
``Σ value[n, c] · x[n, c] + Σ affinity[a, b] · z[n, a, b] + LEAD_BONUS · lead[n]`` with
``z → x[n, a] ∧ x[n, b]`` for positive affinity (and ``x[n, a] ∧ x[n, b] → z`` for negative),
``lead[n] → OR x[n, c]`` over exporters. Both phases are hinted with the greedy answer, so the
result is never worse than the greedy cover. Runs are reproducible: one worker, a fixed seed
and a deterministic time limit (wall clock only as a safety net).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from .model import LEAD_BONUS, Instance, Need

__all__ = ["Outcome", "solve_batch", "solve_need"]

# CP-SAT's deterministic time runs at one unit per one to two wall seconds for these models
# (more on a loaded machine); the wall-clock limit above it is only a safety net.
DETERMINISTIC_PER_SECOND = 0.5


@dataclass
class Outcome:
    groups: dict  # need id -> member ids, for the needs covered
    covered_bound: int  # no assignment covers more needs
    score_units: int  # of the groups found, in model units
    score_bound: int | None  # no assignment with as many needs covered scores more
    optimal: bool
    feasible: bool = True


def _solver(seconds: float, seed: int):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # The LP relaxation with the coverage rows cut the search by orders of magnitude on the
    # benchmark instances (60 companies / 10 needs: seconds to a tenth of a second).
    solver.parameters.linearization_level = 2
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(seconds * DETERMINISTIC_PER_SECOND, 0.01)
    solver.parameters.max_time_in_seconds = max(seconds * 1.5, 0.1)
    return solver


class _Model:
    """The CP-SAT model of several needs sharing the companies' capacity."""

    def __init__(self, instance: Instance, needs: list[Need], available: dict):
        from ortools.sat.python import cp_model

        self.cp = cp_model.CpModel()
        self.instance, self.needs = instance, needs
        self.position = {c.id: i for i, c in enumerate(instance.companies)}
        self.x: dict = {}  # (need id, company id) -> var
        self.active: dict = {}
        self.score_terms: list = []
        for need in needs:
            self._add_need(need, available)
        for company in instance.companies:
            uses = [self.x[n.id, company.id] for n in needs if (n.id, company.id) in self.x]
            limit = available.get(company.id, 0)
            if len(uses) > limit:
                self.cp.Add(sum(uses) <= limit)

    def _add_need(self, need: Need, available: dict) -> None:
        cp, inst = self.cp, self.instance
        active = cp.NewBoolVar(f"active[{need.id}]")
        self.active[need.id] = active
        candidates = [c for c in inst.eligible(need) if available.get(c.id, 0) > 0]
        x = {c.id: cp.NewBoolVar(f"x[{need.id},{c.id}]") for c in candidates}
        for c in candidates:
            self.x[need.id, c.id] = x[c.id]
            cp.AddImplication(x[c.id], active)
            self.score_terms.append(inst.units(inst.member_value(c, need)) * x[c.id])
        for cap in need.capabilities:
            offering = [x[c.id] for c in candidates if cap in c.capabilities]
            cp.AddBoolOr([*offering, active.Not()])
        size = sum(x.values())
        cp.Add(size >= need.min_size).OnlyEnforceIf(active)
        cp.Add(size <= need.max_size)
        by_country: dict = {}
        for c in candidates:
            by_country.setdefault(c.country, []).append(x[c.id])
        present = []
        for country, members in sorted(by_country.items()):
            y = cp.NewBoolVar(f"y[{need.id},{country}]")
            cp.AddBoolOr([*members, y.Not()])
            present.append(y)
        cp.Add(sum(present) >= need.min_countries).OnlyEnforceIf(active)
        for a, b in self._pairs(inst.competitors, x):
            if not need.allow_competitors:
                cp.AddBoolOr([x[a].Not(), x[b].Not()])
        for a, b in self._pairs(inst.affinity, x):
            if not need.allow_competitors and inst.compete(a, b):
                continue
            units = inst.units(inst.pair_affinity(a, b))
            if units == 0:
                continue
            z = cp.NewBoolVar(f"z[{need.id},{a},{b}]")
            if units > 0:
                cp.AddImplication(z, x[a])
                cp.AddImplication(z, x[b])
            else:
                cp.AddBoolOr([x[a].Not(), x[b].Not(), z])
            self.score_terms.append(units * z)
        exporters = [x[c.id] for c in candidates if c.export_experience]
        if exporters:
            lead = cp.NewBoolVar(f"lead[{need.id}]")
            cp.AddBoolOr([*exporters, lead.Not()])
            self.score_terms.append(inst.units(LEAD_BONUS) * lead)

    def _pairs(self, pairs, x: dict) -> list:
        """The pairs (of frozensets) with both companies among `x`, in input order: set
        iteration order varies between runs, and the model must not."""
        position = self.position
        found = []
        for pair in pairs:
            a, b = sorted(pair, key=position.__getitem__)
            if a in x and b in x:
                found.append((a, b))
        return sorted(found, key=lambda p: (position[p[0]], position[p[1]]))

    def need_vars(self, need: Need) -> dict:
        return {cid: var for (nid, cid), var in self.x.items() if nid == need.id}

    def exclude_similar(self, need: Need, previous: list, max_similarity: float) -> None:
        """No group more similar than `max_similarity` (Jaccard) to any in `previous`."""
        j = Fraction(max_similarity).limit_denominator(100)
        x = self.need_vars(need)
        size = sum(x.values())
        for group in previous:
            shared = sum(x[m] for m in group if m in x)
            # (1 + J)·shared <= J·(size + t), times J's denominator to stay in integers.
            self.cp.Add((j.denominator + j.numerator) * shared <= j.numerator * (size + len(group)))

    def hint(self, groups: dict) -> None:
        for need in self.needs:
            chosen = set(groups.get(need.id, ()))
            self.cp.AddHint(self.active[need.id], need.id in groups)
            for cid, var in self.need_vars(need).items():
                self.cp.AddHint(var, cid in chosen)

    def groups(self, solver) -> dict:
        found = {}
        for need in self.needs:
            if solver.BooleanValue(self.active[need.id]):
                found[need.id] = [
                    c.id
                    for c in self.instance.companies
                    if (need.id, c.id) in self.x and solver.BooleanValue(self.x[need.id, c.id])
                ]
        return found


def solve_batch(
    instance: Instance,
    needs: list[Need],
    available: dict,
    hint: dict,
    *,
    seconds: float,
    seed: int = 0,
) -> Outcome:
    """Groups for `needs`: most needs covered, then the highest total score, every company
    within `available` (company id -> consortia it may still join). `hint` (need id ->
    members) is a known valid answer, e.g. the greedy cover's."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    model = _Model(instance, needs, available)
    model.hint(hint)
    coverable = _coverable(instance, needs, available)
    if len(hint) >= coverable:
        # The hint covers every need some companies could cover at all: phase 1 is solved.
        best, covered, covered_bound, first_optimal = hint, len(hint), coverable, True
    else:
        # Phase 1: needs covered.
        model.cp.Maximize(sum(model.active.values()))
        solver = _solver(seconds / 2, seed)
        status = solver.Solve(model.cp)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if status == cp_model.INFEASIBLE:  # cannot happen: nothing active is always valid
                raise RuntimeError("the consortium model is infeasible")
            return Outcome(hint, coverable, _units(instance, hint), None, False)
        covered = round(solver.ObjectiveValue())
        covered_bound = min(coverable, int(solver.BestObjectiveBound() + 1e-6))
        first_optimal = status == cp_model.OPTIMAL
        best = model.groups(solver)
        if len(hint) > covered:  # the time ran out before the solver matched the hint
            best, covered = hint, len(hint)
    # Phase 2: the score, with at least that many needs covered.
    model.cp.ClearObjective()
    model.cp.Add(sum(model.active.values()) >= covered)
    model.cp.ClearHints()
    model.hint(best)
    model.cp.Maximize(sum(model.score_terms))
    remaining = max(seconds - (time.perf_counter() - started), seconds / 4)
    solver = _solver(remaining, seed)
    status = solver.Solve(model.cp)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = model.groups(solver)
        if _units(instance, found) >= _units(instance, best):
            best = found
        score_bound = int(solver.BestObjectiveBound() + 1e-6)
    else:
        score_bound = None
    optimal = first_optimal and status == cp_model.OPTIMAL
    return Outcome(best, covered_bound, _units(instance, best), score_bound, optimal)


def solve_need(
    instance: Instance,
    need: Need,
    available: dict,
    previous: list,
    hint: list | None,
    *,
    seconds: float,
    max_similarity: float = 0.5,
    seed: int = 0,
) -> Outcome:
    """The best complete group for one need that is no more similar than `max_similarity` to
    any group in `previous`. `feasible` is False when the solver proves there is none."""
    from ortools.sat.python import cp_model

    model = _Model(instance, [need], available)
    model.cp.Add(model.active[need.id] == 1)
    model.exclude_similar(need, previous, max_similarity)
    if hint:
        model.hint({need.id: hint})
    model.cp.Maximize(sum(model.score_terms))
    solver = _solver(seconds, seed)
    status = solver.Solve(model.cp)
    if status == cp_model.INFEASIBLE:
        return Outcome({}, 0, 0, None, True, feasible=False)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        groups = {need.id: hint} if hint else {}
        return Outcome(groups, 1, _units(instance, groups), None, False)
    groups = model.groups(solver)
    if hint and instance.unit_score(need, hint) > _units(instance, groups):
        groups = {need.id: hint}
    return Outcome(
        groups,
        1,
        _units(instance, groups),
        int(solver.BestObjectiveBound() + 1e-6),
        status == cp_model.OPTIMAL,
    )


def _coverable(instance: Instance, needs: list[Need], available: dict) -> int:
    """Needs whose every capability some company with capacity offers: a bound on the needs
    any answer covers."""
    able = [c.id for c in instance.companies if available.get(c.id, 0) > 0]
    return sum(1 for need in needs if not instance.missing(need, able))


def _units(instance: Instance, groups: dict) -> int:
    needs = {n.id: n for n in instance.needs}
    return sum(instance.unit_score(needs[nid], members) for nid, members in groups.items())
