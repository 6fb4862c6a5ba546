"""A brute force and the invariants every answer must meet, shared by the tests."""

from itertools import combinations, product

from metacluster.core.consortia import Instance, jaccard


def valid_groups(instance: Instance, need) -> list[tuple]:
    """Every group that meets every rule for `need` (members covering nothing excluded)."""
    eligible = [c.id for c in instance.eligible(need)]
    groups = []
    for size in range(need.min_size, need.max_size + 1):
        for group in combinations(eligible, size):
            if not instance.violations(need, group):
                groups.append(group)
    return groups


def brute_force(instance: Instance) -> tuple[int, int]:
    """(most needs covered, best total score in units with that many) by enumeration."""
    options = [[None, *valid_groups(instance, need)] for need in instance.needs]
    best = (0, 0)
    for choice in product(*options):
        load: dict = {}
        for group in choice:
            for m in group or ():
                load[m] = load.get(m, 0) + 1
        if any(load[m] > instance.company(m).max_consortia for m in load):
            continue
        covered = sum(1 for g in choice if g is not None)
        score = sum(
            instance.unit_score(need, g)
            for need, g in zip(instance.needs, choice, strict=True)
            if g is not None
        )
        best = max(best, (covered, score))
    return best


def check_result(instance: Instance, result, max_similarity: float = 0.5) -> None:
    """Every proposal keeps every rule; incomplete ones say what is missing and why."""
    needs = {n.id: n for n in instance.needs}
    load: dict = {}
    by_need: dict = {}
    for proposal in result.consortia:
        need = needs[proposal.need]
        by_need.setdefault(need.id, []).append(proposal)
        problems = instance.violations(need, proposal.members)
        if proposal.complete:
            assert problems == [], (proposal, problems)
            assert proposal.missing == []
            assert set(proposal.covers) == set(need.capabilities)
            for cap, members in proposal.covers.items():
                assert members, cap
                for m in members:
                    assert m in proposal.members
                    assert cap in instance.company(m).capabilities
            if proposal.rank == 1:
                for m in proposal.members:
                    load[m] = load.get(m, 0) + 1
        else:
            assert proposal.rank == 1
            assert proposal.reason
            assert problems
            assert proposal.missing == instance.missing(need, proposal.members)
        # Whatever else, a member always brings something the need asks for.
        for m in proposal.members:
            assert set(instance.company(m).capabilities) & set(need.capabilities)
    for m, uses in load.items():
        assert uses <= instance.company(m).max_consortia, m
    for need_id, proposals in by_need.items():
        assert [p.rank for p in proposals] == list(range(1, len(proposals) + 1))
        assert len(proposals) <= max(1, needs[need_id].alternatives)
        for i, a in enumerate(proposals):
            for b in proposals[i + 1 :]:
                assert jaccard(a.members, b.members) <= max_similarity + 1e-9
    stats = result.stats
    assert stats["needs_covered"] == sum(1 for p in result.consortia if p.rank == 1 and p.complete)
    assert stats["needs_covered"] <= stats["bound"] <= len(instance.needs)
