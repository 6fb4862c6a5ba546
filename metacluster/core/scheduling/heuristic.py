"""Greedy construction, ejection-chain repair and gap local search over bit sets.

This is the path that scales: every step is a handful of integer `&`/`|` on per-participant
bit sets, so 90,000 requests are placed in seconds in pure Python. It also gives the CP-SAT
model (`metacluster.core.scheduling.cpsat`) its warm start.

Work is counted in *steps* (one candidate slot looked at), never in seconds, so a run is
deterministic for an input, a seed and a budget; `deadline` is only a safety net for a slow
machine.

References: ejection chains, F. Glover, "Ejection chains, reference structures and
alternating path methods for traveling salesman problems", Discrete Applied Mathematics 65
(1996); Kempe-chain moves in timetabling, J. M. Thompson and K. A. Dowsland, "A robust
simulated annealing based examination timetabling system", Computers & Operations Research
25 (1998); iterated local search, H. R. Lourenço, O. C. Martin and T. Stützle, "Iterated
Local Search", Handbook of Metaheuristics (2003).
"""

from __future__ import annotations

import random
import time

from ..errors import CoreError
from .model import Problem, bits

__all__ = ["State", "first_come_first_served", "greedy", "improve_gaps", "repair"]


# Evictions tried per unscheduled request by `_replace`, cheapest first.
MAX_REPLACE_OPTIONS = 6


class OutOfBudget(CoreError):
    """Internal: the step budget or the safety deadline is spent."""


class Budget:
    def __init__(self, steps: int, deadline: float | None = None):
        self.left = steps
        self.deadline = deadline

    def spend(self, steps: int = 1) -> None:
        self.left -= steps
        if self.left < 0:
            raise OutOfBudget
        if self.deadline is not None and self.left % 4096 < steps:
            if time.perf_counter() > self.deadline:
                self.left = -1
                raise OutOfBudget


class State:
    """A partial schedule with undo: which slot each request is in (-1: none), and per
    participant its busy slots, meeting count and gaps, per slot its meetings."""

    def __init__(self, pb: Problem):
        self.pb = pb
        self.busy = [0] * pb.n_participants
        self.count = [0] * pb.n_participants
        self.gap = [0] * pb.n_participants
        self.at = [{} for _ in range(pb.n_participants)]  # slot -> request
        self.slot_of = [-1] * pb.n_requests
        self.in_slot = [{} for _ in range(pb.n_slots)]  # request -> None, insertion-ordered
        self.full = 0  # slots whose tables are all taken
        self.weight = 0  # in integer units, see Problem.iweight
        self.gaps_total = 0
        self.log: list | None = None

    # --- moves ---

    def place(self, r: int, s: int) -> None:
        pb, bit = self.pb, 1 << s
        for p in pb.parts[r]:
            self.busy[p] |= bit
            self.count[p] += 1
            self.at[p][s] = r
            new = pb.gaps(self.busy[p])
            self.gaps_total += new - self.gap[p]
            self.gap[p] = new
        self.slot_of[r] = s
        self.in_slot[s][r] = None
        if pb.tables is not None and len(self.in_slot[s]) >= pb.tables:
            self.full |= bit
        self.weight += pb.iweight[r]
        if self.log is not None:
            self.log.append((r, -1))

    def remove(self, r: int) -> None:
        pb, s = self.pb, self.slot_of[r]
        bit = 1 << s
        for p in pb.parts[r]:
            self.busy[p] &= ~bit
            self.count[p] -= 1
            del self.at[p][s]
            new = pb.gaps(self.busy[p])
            self.gaps_total += new - self.gap[p]
            self.gap[p] = new
        self.slot_of[r] = -1
        del self.in_slot[s][r]
        self.full &= ~bit
        self.weight -= pb.iweight[r]
        if self.log is not None:
            self.log.append((r, s))

    def mark(self) -> int:
        if self.log is None:
            self.log = []
        return len(self.log)

    def rollback(self, mark: int) -> None:
        log, self.log = self.log, None
        while len(log) > mark:
            r, s = log.pop()
            if s < 0:
                self.remove(r)
            else:
                self.place(r, s)
        self.log = log

    def commit(self) -> None:
        self.log = None

    # --- questions ---

    def free(self, r: int) -> int:
        """Slots where `r` could go now: in its domain, a free table, all participants free."""
        mask = self.pb.domain[r] & ~self.full
        for p in self.pb.parts[r]:
            mask &= ~self.busy[p]
        return mask

    def has_room(self, r: int) -> bool:
        cap, count = self.pb.cap, self.count
        return all(count[p] < cap[p] for p in self.pb.parts[r])

    def delta_gaps(self, r: int, add: int, drop: int = 0) -> int:
        """Change in total gaps if `r`'s participants gain the slots `add`, lose `drop`."""
        pb, busy, gap = self.pb, self.busy, self.gap
        return sum(pb.gaps((busy[p] & ~drop) | add) - gap[p] for p in pb.parts[r])

    def best_slot(self, r: int, free: int) -> int:
        """The slot of `free` that adds the fewest gaps, earliest on ties.

        Only slots next to a participant's meetings and the first free slot of each session
        are looked at: any other slot opens a new block, which is never better than those.
        """
        pb = self.pb
        near = 0
        for p in pb.parts[r]:
            b = self.busy[p]
            near |= (b << 1) | (b >> 1)
        candidates = free & near
        for session in pb.session_masks:
            f = free & session
            candidates |= f & -f
        best, best_key = -1, None
        for s in bits(candidates):
            key = (self.delta_gaps(r, 1 << s), s)
            if best_key is None or key < best_key:
                best, best_key = s, key
        return best

    def total_gaps(self) -> int:
        return self.gaps_total


# --- construction ---------------------------------------------------------------------------


def greedy_order(pb: Problem, rng: random.Random) -> list[int]:
    """Heaviest first; among equals, the most constrained (a participant asked for more
    meetings than it has slots, then fewest possible slots), then a seeded shuffle."""
    supply = []
    for p in range(pb.n_participants):
        union = 0
        for r in pb.requests_of[p]:
            union |= pb.domain[r]
        supply.append(max(min(pb.cap[p], union.bit_count()), 1))
    pressure = [len(pb.requests_of[p]) / supply[p] for p in range(pb.n_participants)]
    tie = list(range(pb.n_requests))
    rng.shuffle(tie)
    return sorted(
        range(pb.n_requests),
        key=lambda r: (
            -pb.iweight[r],
            -max(pressure[p] for p in pb.parts[r]),
            pb.domain[r].bit_count(),
            tie[r],
        ),
    )


def greedy(st: State, order: list[int]) -> None:
    """Place each request of `order` in its best free slot, if it has one."""
    for r in order:
        if st.slot_of[r] < 0 and st.has_room(r):
            free = st.free(r)
            if free:
                st.place(r, st.best_slot(r, free))


def first_come_first_served(pb: Problem) -> State:
    """How platforms book at acceptance time: requests in input order, each taking the
    earliest slot where all its participants are free (and a table is)."""
    st = State(pb)
    for r in range(pb.n_requests):
        if st.has_room(r):
            free = st.free(r)
            if free:
                st.place(r, (free & -free).bit_length() - 1)
    return st


# --- repair: more weight ----------------------------------------------------------------------


def _insert(st: State, r: int, depth: int, locked: set, budget: Budget) -> bool:
    """Place unscheduled `r`, moving meetings that block it to other slots (an ejection chain
    at most `depth` deep). On failure the state is as before."""
    if not st.has_room(r):
        return False
    free = st.free(r)
    if free:
        st.place(r, st.best_slot(r, free))
        return True
    if depth == 0:
        return False
    pb = st.pb
    options = []
    for s in bits(pb.domain[r]):
        budget.spend()
        blockers = {st.at[p][s] for p in pb.parts[r] if s in st.at[p]}
        if blockers & locked:
            continue
        if not blockers and st.full >> s & 1:
            # A full slot where r's participants are free: move out another meeting.
            movable = [q for q in st.in_slot[s] if q not in locked and pb.domain[q] != 1 << s]
            if not movable:
                continue
            blockers = {movable[0]}
        options.append((len(blockers), s, sorted(blockers)))
    options.sort()
    for _, s, blockers in options:
        mark = st.mark()
        for b in blockers:
            st.remove(b)
        st.place(r, s)
        locked.add(r)
        if all(_insert(st, b, depth - 1, locked, budget) for b in blockers):
            locked.discard(r)
            return True
        locked.discard(r)
        st.rollback(mark)
    return False


def _kempe_insert(st: State, r: int, budget: Budget, max_chain: int = 40) -> bool:
    """Place unscheduled `r` in a slot a where one meeting m blocks it, by a Kempe-chain
    interchange that sends m to another slot b: the augmenting step of bipartite edge
    colouring (König's theorem), which always succeeds there when m's participants are free
    in b at the end of the chain; here availability, tables and limits may still stop it.
    On failure the state is as before."""
    if not st.has_room(r):
        return False
    pb = st.pb
    for a in bits(pb.domain[r]):
        blockers = {st.at[p][a] for p in pb.parts[r] if a in st.at[p]}
        if len(blockers) != 1:
            continue
        (m,) = blockers
        # Only slots where r's participants are all free: otherwise the chain would bring
        # one of their meetings back into a.
        targets = pb.domain[m] & ~(1 << a)
        for p in pb.parts[r]:
            targets &= ~st.busy[p]
        for b in bits(targets):
            budget.spend()
            chain = _kempe(st, m, b, max_chain)
            if chain is None:
                continue
            budget.spend(len(chain[0]) + len(chain[1]))
            mark = st.mark()
            _apply_kempe(st, chain, a, b)
            if st.free(r) >> a & 1:
                st.place(r, a)
                return True
            st.rollback(mark)
    return False


def _replace(st: State, r: int, depth: int, budget: Budget) -> bool:
    """Place unscheduled `r` by evicting the meetings in its way (those of its participants
    in a slot, or the lightest of a participant at its limit), put the evicted back
    elsewhere if they fit, and otherwise use the room they leave for other unscheduled
    requests of their participants: an augmenting path of b-matching, which gains a meeting
    even when all weights are equal. Kept only if the weight rises; on failure the state is
    as before."""
    pb = st.pb
    options = []
    for s in bits(pb.domain[r]):
        budget.spend()
        evict = {st.at[p][s] for p in pb.parts[r] if s in st.at[p]}
        if st.full >> s & 1 and not evict:
            lightest = min(st.in_slot[s], key=lambda q: (pb.iweight[q], q))
            evict.add(lightest)
        for p in pb.parts[r]:
            if st.count[p] - sum(1 for q in evict if p in pb.parts[q]) >= pb.cap[p]:
                others = [q for q in st.at[p].values() if q not in evict]
                if not others:
                    break
                evict.add(min(others, key=lambda q: (pb.iweight[q], q)))
        else:
            if len(evict) <= 2:
                gain = pb.iweight[r] - sum(pb.iweight[q] for q in evict)
                options.append((-gain, s, sorted(evict)))
    options.sort()
    # The cheapest few are enough: the others lose more weight than they are likely to win.
    for loss, s, evict in options[:MAX_REPLACE_OPTIONS]:
        budget.spend(len(evict))
        mark = st.mark()
        for q in evict:
            st.remove(q)
        st.place(r, s)
        gained = -loss
        for q in evict:
            inner = st.mark()
            if _insert(st, q, depth, {r}, budget):
                gained += pb.iweight[q]
            else:
                st.rollback(inner)
        if gained <= 0:
            freed = sorted({p for q in evict for p in pb.parts[q]})
            others = sorted(
                {
                    q
                    for p in freed
                    for q in pb.requests_of[p]
                    if st.slot_of[q] < 0 and q != r and pb.domain[q]
                },
                key=lambda q: (-pb.iweight[q], q),
            )
            for q in others:
                budget.spend()
                if st.slot_of[q] < 0 and st.has_room(q):
                    free = st.free(q)
                    if free:
                        st.place(q, st.best_slot(q, free))
                        gained += pb.iweight[q]
                        if gained > 0:
                            break
        if gained > 0:
            return True
        st.rollback(mark)
    return False


def repair(
    st: State, rng: random.Random, budget: Budget, *, depth: int = 2, target: int | None = None
) -> None:
    """Raise the weight of `st` with moves of rising cost: one-step ejections, Kempe-chain
    insertions, evictions with augmenting swaps, then ejection chains `depth` deep (the
    costliest by far on large events). Each kind of move is tried on every
    unscheduled request, heaviest first, before the next kind, so that on a large event the
    budget goes to the cheap gains first; after a gain, the cycle starts over. Stops when a
    whole cycle gains nothing, the weight reaches `target` (an upper bound) or the budget is
    spent. Never lowers the weight."""
    pb = st.pb
    moves = (
        lambda r: _insert(st, r, 1, set(), budget),
        lambda r: _kempe_insert(st, r, budget),
        lambda r: _replace(st, r, 1, budget),
        lambda r: _insert(st, r, depth, set(), budget),
    )
    try:
        level = 0
        while level < len(moves):
            before = st.weight
            pending = [r for r in range(pb.n_requests) if st.slot_of[r] < 0 and pb.domain[r] != 0]
            rng.shuffle(pending)
            pending.sort(key=lambda r: -pb.iweight[r])
            for r in pending:
                if target is not None and st.weight >= target:
                    return
                if st.slot_of[r] >= 0:
                    continue
                mark = st.mark()
                try:
                    moves[level](r)
                except OutOfBudget:
                    st.rollback(mark)
                    raise
                st.commit()
            level = 0 if st.weight > before and level > 0 else level + 1
    except OutOfBudget:
        st.commit()


# --- gaps -----------------------------------------------------------------------------------


def improve_gaps(
    st: State, rng: random.Random, budget: Budget, *, max_chain: int = 16, patience: int = 50
) -> None:
    """Lower the gaps of `st` without changing which requests are scheduled.

    The move is a Kempe-chain interchange between two slots a and b, as in timetabling: a
    meeting goes from a to b, the meetings at b that share a participant with it go to a, the
    meetings at a that share a participant with those go to b, and so on until the chain
    closes. A participant in meetings on both sides keeps its slots; the others swap a for b.
    Moving a meeting to a free slot and swapping two meetings are the shortest chains.

    A descent tries, for each participant with gaps, each of its meetings next to its other
    meetings and applies chains that lower the total (then, to cross plateaus, some that keep
    it equal). When it is stuck, an iterated local search kicks the schedule with a few random
    chains and descends again around them, undoing the kick when that made things worse; it
    stops after `patience` kicks in a row without gain, or when the budget is spent.

    Cost: O(chain length) bit operations per chain, at most `max_chain` meetings long; a
    kick and its descent cost O(chains tried), whatever the size of the event.
    """
    try:
        _descend(st, rng, budget, max_chain)
    except OutOfBudget:
        return
    best = st.total_gaps()
    misses = 0
    mark = None
    try:
        while best > 0 and misses < patience:
            mark = st.mark()
            touched = _kick(st, rng, budget, max_chain)
            _descend(st, rng, budget, max_chain, touched)
            gaps = st.total_gaps()
            if gaps > best:
                st.rollback(mark)
            misses = 0 if gaps < best else misses + 1
            best = min(best, gaps)
            st.commit()
            mark = None
    except OutOfBudget:
        if mark is not None and st.total_gaps() > best:
            st.rollback(mark)
        st.commit()


def _kick(st: State, rng: random.Random, budget: Budget, max_chain: int, moves: int = 3) -> set:
    """Apply a few random chains around participants with gaps; return who they touched."""
    pb = st.pb
    touched: set = set()
    for _ in range(moves):
        # a random participant with gaps, found by sampling: O(1) on large events
        p = -1
        for _ in range(64):
            budget.spend()
            q = rng.randrange(pb.n_participants)
            if st.gap[q] > 0:
                p = q
                break
        if p < 0:
            continue
        meetings = sorted(st.at[p].items())
        a, m = rng.choice(meetings)
        session = next(mask for mask in pb.session_masks if mask >> a & 1)
        targets = list(bits(pb.domain[m] & session & ~(1 << a)))
        if not targets:
            continue
        b = rng.choice(targets)
        chain = _kempe(st, m, b, max_chain)
        if chain is not None:
            _apply_kempe(st, chain, a, b)
            touched |= _chain_people(pb, chain)
    return touched


def _chain_people(pb: Problem, chain) -> set:
    return {p for side in chain for x in side for p in pb.parts[x]}


def _descend(
    st: State, rng: random.Random, budget: Budget, max_chain: int, focus: set | None = None
) -> None:
    """Apply improving (then some sideways) chains for participants with gaps: all of them,
    or only those in `focus` and those the applied chains touch."""
    pb = st.pb
    busy, gap, domain = st.busy, st.gap, pb.domain
    idle_rounds = 0
    people = set(focus) if focus is not None else None
    while idle_rounds < 3:
        before = st.total_gaps()
        sideways = idle_rounds > 0
        if people is None:
            current = [p for p in range(pb.n_participants) if gap[p] > 0]
        else:
            current = sorted(p for p in people if gap[p] > 0)
        if not current:
            return
        rng.shuffle(current)
        for p in current:
            if gap[p] == 0:
                continue
            for a in list(bits(busy[p])):
                m = st.at[p].get(a)
                if m is None:
                    continue
                mask = busy[p]
                near = ((mask << 1) | (mask >> 1)) & ~mask & domain[m]
                for b in bits(near):
                    budget.spend()
                    if st.slot_of[m] != a:
                        break
                    chain = _kempe(st, m, b, max_chain)
                    if chain is None:
                        continue
                    delta = _kempe_delta(st, chain, a, b)
                    if delta < 0 or (sideways and delta == 0 and rng.random() < 0.3):
                        _apply_kempe(st, chain, a, b)
                        if people is not None:
                            people |= _chain_people(pb, chain)
                        break
        idle_rounds = 0 if st.total_gaps() < before else idle_rounds + 1


def _kempe(st: State, m: int, b: int, limit: int):
    """The chain moving meeting `m` from its slot to `b`, as (to b, to a), or None if too
    long, if a meeting cannot take its new slot, or if a slot would lack tables."""
    pb, at = st.pb, st.at
    a = st.slot_of[m]
    to_b, to_a = {m}, set()
    todo = [(m, b)]
    while todo:
        x, target = todo.pop()
        side, other = (to_a, to_b) if target == b else (to_b, to_a)
        origin = a if target == b else b
        for q in pb.parts[x]:
            y = at[q].get(target)
            if y is not None and y not in side:
                side.add(y)
                if len(to_a) + len(to_b) > limit or not pb.domain[y] >> origin & 1:
                    return None
                todo.append((y, origin))
        del other
    if pb.tables is not None:
        change = len(to_b) - len(to_a)
        if len(st.in_slot[b]) + change > pb.tables or len(st.in_slot[a]) - change > pb.tables:
            return None
    return to_b, to_a


def _kempe_delta(st: State, chain, a: int, b: int) -> int:
    pb = st.pb
    to_b, to_a = chain
    moved_ab = {q for x in to_b for q in pb.parts[x]}
    moved_ba = {q for y in to_a for q in pb.parts[y]}
    flip = (1 << a) | (1 << b)
    return sum(pb.gaps(st.busy[q] ^ flip) - st.gap[q] for q in moved_ab ^ moved_ba)


def _apply_kempe(st: State, chain, a: int, b: int) -> None:
    to_b, to_a = chain
    for x in sorted(to_b | to_a):
        st.remove(x)
    for x in sorted(to_b):
        st.place(x, b)
    for y in sorted(to_a):
        st.place(y, a)
