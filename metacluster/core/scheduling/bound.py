"""A valid upper bound on the weight any schedule can reach, from a small linear programme.

The bound is the optimum of a relaxation, so it can only be above the true optimum:

- each request is scheduled at most once (0 <= y_r <= 1) and only if it has a slot at all;
- a participant takes at most min(max_meetings, number of slots any of its requests could
  use) meetings, and the same Hall-type count holds for every group of its requests that can
  only use one session or one set of slots ("these 12 requests all need the morning, and the
  participant has 8 morning slots");
- with `tables`, at most `tables` meetings per slot in any group of slots, counted the same
  way.

These are the per-participant capacity bounds of the B2B scheduling literature, made joint by
the LP (solved with HiGHS through `scipy.optimize.linprog`). The time-indexed LP (one variable
per request and slot) is tighter but 30 times larger; on realistic instances the aggregate one
is already within a few per cent of the optimum, and CP-SAT's own bound replaces it where the
exact model runs.
"""

from __future__ import annotations

from .model import Problem

__all__ = ["trivial_bound", "lp_bound"]

# A Hall-type constraint for every distinct domain of a participant's requests costs
# O(k^2) to build for k requests; above this many pairs only sessions and the union are used.
MAX_PAIRS_PER_PARTICIPANT = 4096


def trivial_bound(pb: Problem) -> int:
    """The total weight of the requests that have at least one possible slot, in units."""
    return sum(w for w, d in zip(pb.iweight, pb.domain, strict=True) if d)


def _groups(pb: Problem, masks: list[int], limit: int):
    """For a family of requests given by their domains: (mask, members) pairs such that the
    members all fit in mask, for the union, each session and, if few enough, each distinct
    domain. Yields only groups larger than their room, the only ones that can bind."""
    union = 0
    for m in masks:
        union |= m
    candidates = {union}
    candidates.update(union & s for s in pb.session_masks)
    distinct = set(masks)
    if len(distinct) * len(masks) <= limit:
        candidates.update(distinct)
    for cover in sorted(candidates):
        if not cover:
            continue
        members = [i for i, m in enumerate(masks) if m & ~cover == 0]
        yield cover, members


def lp_bound(pb: Problem) -> int:
    """The LP relaxation's optimum in weight units, rounded up; never below the optimum.

    Cost: building is O(R + sum over participants of k_p * groups_p); HiGHS then solves an
    LP with one column per schedulable request, unless no constraint binds. Falls back to
    `trivial_bound` if scipy is not installed or the solver fails.
    """
    columns = [r for r in range(pb.n_requests) if pb.domain[r]]
    if not columns:
        return 0
    column_of = {r: j for j, r in enumerate(columns)}
    rows, cols, rhs = [], [], []

    def add(members: list[int], room: int) -> None:
        if len(members) > room:
            row = len(rhs)
            rows.extend([row] * len(members))
            cols.extend(column_of[r] for r in members)
            rhs.append(room)

    for p in range(pb.n_participants):
        mine = [r for r in pb.requests_of[p] if pb.domain[r]]
        if len(mine) < 2:
            continue
        masks = [pb.domain[r] for r in mine]
        for cover, members in _groups(pb, masks, MAX_PAIRS_PER_PARTICIPANT):
            room = cover.bit_count()
            if len(members) == len(mine):
                room = min(room, pb.cap[p])
            add([mine[i] for i in members], room)
        if pb.cap[p] < len(mine):
            add(mine, pb.cap[p])
    if pb.tables is not None:
        masks = [pb.domain[r] for r in columns]
        for cover, members in _groups(pb, masks, 0):
            add([columns[i] for i in members], pb.tables * cover.bit_count())
        # Fixed requests in the same slot compete for its tables.
        by_slot: dict[int, list[int]] = {}
        for r in columns:
            if pb.domain[r].bit_count() == 1:
                by_slot.setdefault(pb.domain[r], []).append(r)
        for members in by_slot.values():
            add(members, pb.tables)

    total = trivial_bound(pb)
    if not rhs:
        # No group has more requests than room: every request may fit, and the LP's
        # optimum is the total. (Then scipy, slow to import, is not needed.)
        return total
    try:
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import csr_matrix
    except ImportError:  # pragma: no cover - scipy is a dependency, but the bound is optional
        return total
    # Weights in units can reach 1e6 per request; scale to keep HiGHS well conditioned.
    scale = max(pb.iweight[r] for r in columns) or 1
    c = -np.array([pb.iweight[r] / scale for r in columns])
    a = csr_matrix(
        (np.ones(len(rows)), (np.array(rows), np.array(cols))), shape=(len(rhs), len(columns))
    )
    result = linprog(c, A_ub=a, b_ub=np.array(rhs, dtype=float), bounds=(0, 1), method="highs")
    if result.status != 0:
        return total
    # The LP optimum is computed in floating point: leave a margin well above its tolerance
    # so that rounding can never push the bound below a schedule's true weight.
    # Any schedule's weight is a multiple of the weights' greatest common divisor, so the
    # bound rounds down to one.
    value = -result.fun * scale
    step = unit_step(pb)
    tolerance = 1e-6 * max(value, 1.0) + 1  # far above HiGHS's, in units
    return min(total, int((value + tolerance) // step) * step)


def unit_step(pb: Problem) -> int:
    """The greatest common divisor of the weights in units (1 if there are none)."""
    from math import gcd

    step = 0
    for w in pb.iweight:
        step = gcd(step, w)
    return step or 1
