"""`form_consortia`: proposals for every need, with alternatives, a bound and reasons.

1. The greedy batch cover gives a valid answer at once.
2. Unless `method="greedy"`, CP-SAT improves it: most needs covered, then the total score,
   every company within its capacity across needs (see `cpsat`).
3. For each need, the alternatives: the best complete groups no more similar than
   `max_similarity` (Jaccard) to the ones before, from companies that still have capacity
   beside the *other* needs' first proposals — so any alternative can replace its need's first
   proposal without overbooking anyone.
4. A need without a complete group gets the group that covers most, with what is missing and
   why (no company offers a capability, or the rules cannot all be met at once).
"""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction

from ..errors import InputError
from .cpsat import solve_batch, solve_need
from .greedy import greedy_alternatives, greedy_batch, greedy_group
from .model import SCALE, Instance, Need, Proposal, Result, make_proposal

__all__ = ["form_consortia", "suggest", "trivial_bound"]

METHODS = ("auto", "exact", "greedy")


def trivial_bound(instance: Instance, needs=None) -> int:
    """Needs whose every capability some company offers: no answer covers more."""
    needs = instance.needs if needs is None else needs
    return sum(
        1 for need in needs if not instance.missing(need, [c.id for c in instance.companies])
    )


def form_consortia(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    method: str = "auto",
    max_similarity: float = 0.5,
    seed: int = 0,
) -> Result:
    """Proposals for every need of `instance`.

    Parameters
    ----------
    instance : the needs, companies, affinities and competitor pairs.
    time_limit : seconds for the whole run (CP-SAT's budget; the greedy part takes
        milliseconds).
    method : "auto" or "exact" (greedy, then CP-SAT), or "greedy" (the greedy cover only).
    max_similarity : the most two proposals of one need may share, as a Jaccard index.
    seed : CP-SAT's random seed; the same input and seed give the same answer.

    Returns
    -------
    Result with, per need, its proposals best first (rank 1 is the one the batch assigns)
    and stats: needs, needs_covered, bound, score, score_bound, optimal, seconds, method.

    Notes
    -----
    Team formation (Lappas, Liu and Terzi, KDD 2009) and set cover with side constraints;
    the greedy cover has the classic ln(c) approximation on coverage alone, the CP-SAT model
    is exact when it finishes within the time limit (`optimal` says so).

    Example
    -------
    >>> from metacluster.core.consortia import instance_from_json
    >>> result = form_consortia(instance_from_json({
    ...     "needs": [{"id": "port", "capabilities": ["water", "energy"]}],
    ...     "companies": [{"id": "a", "country": "SE", "capabilities": ["water"]},
    ...                   {"id": "b", "country": "FI", "capabilities": ["energy"]}]}))
    >>> result.consortia[0].members, result.stats["needs_covered"], result.stats["optimal"]
    (['a', 'b'], 1, True)
    """
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    started = time.perf_counter()
    deadline = started + time_limit
    needs = list(instance.needs)
    capacity = {c.id: c.max_consortia for c in instance.companies}
    groups = greedy_batch(instance, needs)
    stats = {"method": method}
    if method == "greedy":
        bound, score_bound, optimal = trivial_bound(instance, needs), None, False
    else:
        outcome = solve_batch(
            instance, needs, capacity, groups, seconds=time_limit * 0.6, seed=seed
        )
        groups, bound = outcome.groups, outcome.covered_bound
        score_bound, optimal = outcome.score_bound, outcome.optimal
    proposals = []
    for need in needs:
        load = _load(instance, groups, skip=need.id)
        available = {cid: cap - load[cid] for cid, cap in capacity.items() if cap > load[cid]}
        proposals += _proposals_for(
            instance,
            need,
            groups.get(need.id),
            available,
            method=method,
            deadline=deadline,
            max_similarity=max_similarity,
            seed=seed,
        )
    covered = sum(1 for p in proposals if p.rank == 1 and p.complete)
    score = sum(p.score for p in proposals if p.rank == 1 and p.complete)
    stats.update(
        needs=len(needs),
        needs_covered=covered,
        bound=max(bound, covered),
        score=round(score, 3),
        score_bound=None if score_bound is None else round(score_bound / SCALE, 3),
        optimal=bool(optimal),
        seconds=round(time.perf_counter() - started, 3),
    )
    return Result(consortia=proposals, stats=stats)


def suggest(
    instance: Instance,
    need_id,
    *,
    alternatives: int | None = None,
    time_limit: float = 1.0,
    method: str = "auto",
    max_similarity: float = 0.5,
    seed: int = 0,
) -> list[Proposal]:
    """Proposals for one need, best first: the interactive path. Companies' `max_consortia`
    should already count the consortia they are in."""
    need = next((n for n in instance.needs if n.id == need_id), None)
    if need is None:
        raise KeyError(need_id)
    if alternatives is not None:
        need = replace(need, alternatives=alternatives)
    capacity = {c.id: c.max_consortia for c in instance.companies if c.max_consortia > 0}
    first = greedy_group(instance, need, capacity)
    hint = None if instance.violations(need, first) else first
    return _proposals_for(
        instance,
        need,
        hint,
        capacity,
        method=method,
        deadline=time.perf_counter() + time_limit,
        max_similarity=max_similarity,
        seed=seed,
        first_is_given=False,
    )


def _load(instance: Instance, groups: dict, skip) -> dict:
    load = {c.id: 0 for c in instance.companies}
    for nid, members in groups.items():
        if nid != skip:
            for m in members:
                load[m] += 1
    return load


def _proposals_for(
    instance: Instance,
    need: Need,
    first: list | None,
    available: dict,
    *,
    method: str,
    deadline: float,
    max_similarity: float,
    seed: int,
    first_is_given: bool = True,
) -> list[Proposal]:
    """The need's proposals: `first` (the batch's group, or a hint when not `first_is_given`),
    then alternatives; or one incomplete proposal saying what is missing."""
    wanted = need.alternatives
    if method == "greedy":
        first = first or greedy_group(instance, need, available)
        if instance.violations(need, first):
            return [_incomplete(instance, need, available)]
        groups = [first]
        for group in greedy_alternatives(
            instance, need, wanted + 1, available, max_similarity=max_similarity
        ):
            if len(groups) < wanted and all(_similar_ok(group, g, max_similarity) for g in groups):
                groups.append(group)
        return [make_proposal(instance, need, g, rank=i + 1) for i, g in enumerate(groups)]
    groups: list = []
    optimal_flags: list = []
    if first_is_given and first is None:
        # The batch left this need out; the companies left over may still form a group.
        first = greedy_group(instance, need, available)
        if instance.violations(need, first):
            return [_incomplete(instance, need, available)]
    if first_is_given:
        groups.append(first)
        optimal_flags.append(False)
    fallback: list = []

    def greedy_hint():
        # The greedy alternatives, computed only when CP-SAT cannot answer in time.
        if not fallback:
            fallback.extend(
                greedy_alternatives(
                    instance, need, wanted, available, max_similarity=max_similarity
                )
            )
        return next(
            (
                g
                for g in fallback
                if not instance.violations(need, g)
                and all(_similar_ok(g, other, max_similarity) for other in groups)
            ),
            None,
        )

    while len(groups) < wanted:
        remaining = deadline - time.perf_counter()
        outcome = None
        if remaining > 0.02:
            outcome = solve_need(
                instance,
                need,
                available,
                groups,
                first if not groups else None,
                seconds=remaining / (wanted - len(groups)),
                max_similarity=max_similarity,
                seed=seed,
            )
            if not outcome.feasible:
                break  # proven: no other group differs enough
        if outcome is not None and need.id in outcome.groups:
            groups.append(outcome.groups[need.id])
            optimal_flags.append(outcome.optimal)
            continue
        hint = greedy_hint()
        if hint is None:
            break
        groups.append(hint)
        optimal_flags.append(False)
    if not groups:
        return [_incomplete(instance, need, available)]
    proposals = []
    for i, (group, optimal) in enumerate(zip(groups, optimal_flags, strict=True)):
        proposal = make_proposal(instance, need, group, rank=i + 1)
        proposal.optimal = optimal
        proposals.append(proposal)
    return proposals


def _similar_ok(a, b, max_similarity: float) -> bool:
    a, b = set(a), set(b)
    # The same inequality as the CP-SAT cut, in exact rational arithmetic.
    j = Fraction(max_similarity).limit_denominator(100)
    return (1 + j) * len(a & b) <= j * (len(a) + len(b))


def _incomplete(instance: Instance, need: Need, available: dict) -> Proposal:
    """The group that covers most, and why no group meets every rule."""
    group = greedy_group(instance, need, available)
    proposal = make_proposal(instance, need, group)
    proposal.complete = False
    everyone = [c.id for c in instance.companies]
    nobody_offers = instance.missing(need, everyone)
    committed = [cap for cap in instance.missing(need, list(available)) if cap not in nobody_offers]
    reasons = []
    if nobody_offers:
        reasons.append("no company offers " + ", ".join(map(str, nobody_offers)))
    if committed:
        reasons.append(
            "the companies that offer "
            + ", ".join(map(str, committed))
            + " have no capacity left for another consortium"
        )
    if not reasons and proposal.missing:
        reasons.append(
            f"no group of at most {need.max_size} companies that are not competitors "
            "covers every capability"
        )
    if not reasons:
        reasons.append("no group meets every rule at once: " + proposal.reason)
    reason = "; ".join(reasons)
    proposal.reason = reason
    return proposal
