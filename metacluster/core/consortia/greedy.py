"""Greedy set cover with the side rules: instant suggestions, the optimiser's warm start and
the baseline the benchmark compares against.

For one need: repeatedly take the compatible candidate (no competitor of a member) that
covers most still-uncovered capabilities, ties broken by a new country while countries are
short, then by value; then repair the country and size minimums; then add members whose
marginal gain (value + affinity with the members + the lead bonus if it is the first
exporter) is positive and drop members whose loss is negative while every rule still holds.
O(k · n · c) for k members, n candidates and c capabilities per need.
"""

from __future__ import annotations

from itertools import combinations

from .model import LEAD_BONUS, Company, Instance, Need

__all__ = ["greedy_alternatives", "greedy_batch", "greedy_group", "jaccard"]


def jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 1.0


class _Group:
    def __init__(self, instance: Instance, need: Need, candidates: list[Company], values=None):
        self.instance, self.need, self.candidates = instance, need, candidates
        self.members: list[Company] = []
        self.values = values or {c.id: instance.member_value(c, need) for c in candidates}

    def ids(self) -> list:
        return [c.id for c in self.members]

    def compatible(self, candidate: Company) -> bool:
        chosen = {m.id for m in self.members}
        if candidate.id in chosen:
            return False
        if self.need.allow_competitors:
            return True
        return not self.instance.rivals(candidate.id) & chosen

    def uncovered(self, without: Company | None = None) -> set:
        covered = set()
        for m in self.members:
            if m is not without:
                covered.update(m.capabilities)
        return set(self.need.capabilities) - covered

    def countries(self, without: Company | None = None) -> set:
        return {m.country for m in self.members if m is not without}

    def gain(self, candidate: Company) -> float:
        inst = self.instance
        value = self.values[candidate.id]
        value += sum(inst.pair_affinity(candidate.id, m.id) for m in self.members)
        if candidate.export_experience and not any(m.export_experience for m in self.members):
            value += LEAD_BONUS
        return value

    def loss(self, member: Company) -> float:
        """What the score loses when `member` leaves."""
        inst = self.instance
        value = self.values[member.id]
        value += sum(inst.pair_affinity(member.id, m.id) for m in self.members if m is not member)
        exporters = [m for m in self.members if m.export_experience]
        if exporters == [member]:
            value += LEAD_BONUS
        return value

    def valid_without(self, member: Company) -> bool:
        need = self.need
        return (
            len(self.members) - 1 >= need.min_size
            and len(self.countries(without=member)) >= need.min_countries
            and not self.uncovered(without=member)
        )

    def best(self, key):
        chosen = {m.id for m in self.members}
        blocked = set(chosen)
        if not self.need.allow_competitors:
            for m in chosen:
                blocked |= self.instance.rivals(m)
        options = [c for c in self.candidates if c.id not in blocked]
        return max(options, key=key, default=None)


def greedy_group(
    instance: Instance, need: Need, available=None, *, banned=(), penalised=()
) -> list:
    """A group for `need` from the companies in `available` (all when None) but not in
    `banned`; members of `penalised` are taken only when nothing else does as well.
    Returns member ids; the group may be incomplete when no group meets every rule."""
    banned, penalised = set(banned), set(penalised)
    position = {c.id: i for i, c in enumerate(instance.companies)}
    candidates = [
        c
        for c in instance.eligible(need)
        if c.id not in banned and (available is None or c.id in available)
    ]
    group = _Group(instance, need, candidates)

    while len(group.members) < need.max_size:
        uncovered = group.uncovered()
        if not uncovered:
            break
        countries = group.countries()
        short = len(countries) < need.min_countries

        def key(c: Company, uncovered=uncovered, countries=countries, short=short):
            return (
                len(uncovered.intersection(c.capabilities)),
                c.id not in penalised,
                short and c.country not in countries,
                group.gain(c),
                -position[c.id],
            )

        pick = group.best(key)
        if pick is None or not uncovered.intersection(pick.capabilities):
            break
        group.members.append(pick)
    _repair_countries(group, penalised, position)
    _repair_size(group, penalised, position)
    _improve(group, penalised, position)
    return group.ids()


def _repair_countries(group: _Group, penalised: set, position: dict) -> None:
    need = group.need
    while len(group.countries()) < need.min_countries:
        present = group.countries()

        def key(c):
            return (c.id not in penalised, group.gain(c), -position[c.id])

        newcomers = [c for c in group.candidates if c.country not in present]
        if len(group.members) < need.max_size:
            options = [c for c in newcomers if group.compatible(c)]
            if not options:
                return
            group.members.append(max(options, key=key))
            continue
        # Full: swap a member whose capabilities others also cover for a newcomer.
        swapped = False
        for member in sorted(group.members, key=group.loss):
            rest = [m for m in group.members if m is not member]
            for c in sorted(newcomers, key=key, reverse=True):
                trial = _Group(group.instance, need, group.candidates, group.values)
                trial.members = rest
                if trial.compatible(c):
                    trial.members = [*rest, c]
                    more_countries = len(trial.countries()) > len(present)
                    if more_countries and trial.uncovered() <= group.uncovered():
                        group.members = trial.members
                        swapped = True
                        break
            if swapped:
                break
        if not swapped:
            return


def _repair_size(group: _Group, penalised: set, position: dict) -> None:
    need = group.need
    while len(group.members) < need.min_size:
        pick = group.best(
            lambda c: (
                c.id not in penalised,
                c.country not in group.countries(),
                group.gain(c),
                -position[c.id],
            )
        )
        if pick is None:
            return
        group.members.append(pick)


def _improve(group: _Group, penalised: set, position: dict) -> None:
    if group.uncovered():
        return
    need = group.need
    changed = True
    while changed:
        changed = False
        removable = [m for m in group.members if group.valid_without(m) and group.loss(m) < 0]
        if removable:
            group.members.remove(min(removable, key=lambda m: (group.loss(m), -position[m.id])))
            changed = True
            continue
        if len(group.members) < need.max_size:
            pick = group.best(lambda c: (c.id not in penalised, group.gain(c), -position[c.id]))
            if pick is not None and group.gain(pick) > 0:
                group.members.append(pick)
                changed = True


def greedy_alternatives(
    instance: Instance,
    need: Need,
    count: int,
    available=None,
    *,
    max_similarity: float = 0.5,
) -> list[list]:
    """Up to `count` complete groups for `need`, best first, no two more similar (Jaccard
    index of their members) than `max_similarity`. Alternatives come from banning one or two
    members of the groups found so far; when no complete group exists, the one incomplete
    group that covers most."""
    first = greedy_group(instance, need, available)
    if instance.violations(need, first):
        return [first]
    found = [first]
    while len(found) < count:
        used = list(dict.fromkeys(m for group in found for m in group))
        best, best_score = None, None
        # Ban one member of the groups so far; only if that gives nothing new, two.
        for bans in ([(m,) for m in used], combinations(used, 2)):
            for ban in bans:
                group = greedy_group(instance, need, available, banned=ban, penalised=used)
                if instance.violations(need, group):
                    continue
                if any(jaccard(group, other) > max_similarity for other in found):
                    continue
                score = instance.unit_score(need, group)
                if best_score is None or score > best_score:
                    best, best_score = group, score
            if best is not None:
                break
        if best is None:
            break
        found.append(best)
    return found


def greedy_batch(instance: Instance, needs=None) -> dict:
    """A complete group per need where the greedy cover finds one, each company within its
    capacity: the scarcest needs first (fewest companies offering their rarest capability).
    Returns {need id: member ids} for the needs it covers."""
    needs = list(instance.needs if needs is None else needs)
    load = {c.id: 0 for c in instance.companies}

    def scarcity(need: Need):
        eligible = instance.eligible(need)
        rarest = min(
            (sum(1 for c in eligible if cap in c.capabilities) for cap in need.capabilities),
            default=len(eligible),
        )
        return rarest, len(eligible)

    groups = {}
    for need in sorted(needs, key=scarcity):
        available = {c.id for c in instance.companies if load[c.id] < c.max_consortia}
        group = greedy_group(instance, need, available)
        if not instance.violations(need, group):
            groups[need.id] = group
            for m in group:
                load[m] += 1
    return groups
