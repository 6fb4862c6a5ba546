"""Specification of `form_consortia` and `suggest`: every proposal keeps every rule, needs
that cannot be met say what is missing, small cases are solved optimally (checked against a
brute force), and the answer does not depend on the run."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metacluster.core.consortia import (
    form_consortia,
    generate_instance,
    instance_from_json,
    suggest,
)

from .helpers import brute_force, check_result

CAPS = ["mobility", "energy", "water", "egov", "data"]


def company(cid, country, caps, **extra):
    return {"id": cid, "country": country, "capabilities": caps, **extra}


@st.composite
def small_instances(draw, max_companies=7, max_needs=3):
    n = draw(st.integers(2, max_companies))
    companies = [
        company(
            f"c{i}",
            draw(st.sampled_from(["SE", "FI", "EE"])),
            draw(st.lists(st.sampled_from(CAPS), min_size=1, max_size=3, unique=True)),
            max_consortia=draw(st.integers(0, 2)),
            quality=draw(st.sampled_from([0.0, 0.3, 0.5, 0.9])),
            export_experience=draw(st.booleans()),
        )
        for i in range(n)
    ]
    needs = []
    for j in range(draw(st.integers(1, max_needs))):
        low = draw(st.integers(1, 3))
        needs.append(
            {
                "id": f"n{j}",
                "capabilities": draw(
                    st.lists(st.sampled_from(CAPS), min_size=1, max_size=4, unique=True)
                ),
                "min_countries": draw(st.integers(0, 3)),
                "min_size": low,
                "max_size": draw(st.integers(low, 4)),
                "alternatives": draw(st.integers(1, 3)),
                "allow_competitors": draw(st.booleans()),
            }
        )
    ids = [c["id"] for c in companies]
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    competitors = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
    affinity = [
        [a, b, draw(st.sampled_from([-0.4, 0.2, 0.6]))]
        for a, b in draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
    ]
    return {
        "needs": needs,
        "companies": companies,
        "competitors": [list(p) for p in competitors],
        "affinity": affinity,
    }


SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(small_instances())
def test_every_proposal_keeps_every_rule_and_small_cases_are_optimal(data):
    instance = instance_from_json(data)
    result = form_consortia(instance, time_limit=5)
    check_result(instance, result)
    assert result.stats["optimal"], result.stats
    covered, units = brute_force(instance)
    assert result.stats["needs_covered"] == covered
    assert result.stats["bound"] == covered
    first = [p for p in result.consortia if p.rank == 1 and p.complete]
    needs = {n.id: n for n in instance.needs}
    assert sum(instance.unit_score(needs[p.need], p.members) for p in first) == units


@SLOW
@given(small_instances())
def test_the_greedy_cover_keeps_every_rule_too(data):
    instance = instance_from_json(data)
    result = form_consortia(instance, method="greedy")
    check_result(instance, result)
    covered, _ = brute_force(instance)
    assert result.stats["needs_covered"] <= covered <= result.stats["bound"]


def test_a_need_nobody_can_meet_says_what_is_missing():
    instance = instance_from_json(
        {
            "needs": [{"id": "plan", "capabilities": ["water", "energy", "flood-forecasting"]}],
            "companies": [company("a", "SE", ["water"]), company("b", "FI", ["energy"])],
        }
    )
    [proposal] = form_consortia(instance).consortia
    assert not proposal.complete
    assert proposal.members == ["a", "b"]  # the group that covers most
    assert proposal.missing == ["flood-forecasting"]
    assert proposal.reason == "no company offers flood-forecasting"


def test_a_need_blocked_by_capacity_says_so():
    instance = instance_from_json(
        {
            "needs": [
                {"id": "first", "capabilities": ["water", "energy"]},
                {"id": "second", "capabilities": ["water", "energy"]},
            ],
            "companies": [company("a", "SE", ["water"]), company("b", "FI", ["energy"])],
        }
    )
    result = form_consortia(instance)
    assert result.stats["needs_covered"] == 1 and result.stats["optimal"]
    blocked = [p for p in result.consortia if not p.complete]
    assert len(blocked) == 1
    assert "have no capacity left" in blocked[0].reason


def test_competitors_are_kept_apart_unless_the_need_allows_them():
    data = {
        "needs": [{"id": "n", "capabilities": ["water", "energy"], "max_size": 2}],
        "companies": [
            company("a", "SE", ["water"]),
            company("b", "FI", ["energy"]),
            company("c", "EE", ["energy"], quality=0.4),
        ],
        "competitors": [["a", "b"]],
    }
    [proposal] = form_consortia(instance_from_json(data)).consortia
    assert proposal.members == ["a", "c"]
    data["needs"][0]["allow_competitors"] = True
    [proposal] = form_consortia(instance_from_json(data)).consortia
    assert proposal.members == ["a", "b"]


def test_a_lead_with_export_experience_is_preferred():
    data = {
        "needs": [{"id": "n", "capabilities": ["water", "energy"], "max_size": 2}],
        "companies": [
            company("a", "SE", ["water"]),
            company("b", "FI", ["energy"], quality=0.7),
            company("c", "EE", ["energy"], quality=0.5, export_experience=True),
        ],
    }
    [proposal] = form_consortia(instance_from_json(data)).consortia
    assert proposal.members == ["a", "c"] and proposal.lead == "c"


def test_alternatives_are_distinct_not_near_copies():
    data = generate_instance(40, 1, seed=3, alternatives=4)
    instance = instance_from_json(data)
    proposals = suggest(instance, "n1", time_limit=5)
    assert len(proposals) == 4
    check_result(instance, form_consortia(instance, time_limit=5))
    scores = [p.score for p in proposals]
    assert scores == sorted(scores, reverse=True)  # each the best that differs enough
    assert all(p.optimal for p in proposals)


def test_the_same_input_gives_the_same_answer():
    data = generate_instance(60, 10, seed=5, alternatives=2)
    first = form_consortia(instance_from_json(data), time_limit=10).to_json()
    second = form_consortia(instance_from_json(data), time_limit=10).to_json()
    first["stats"].pop("seconds"), second["stats"].pop("seconds")
    assert first == second


@pytest.mark.parametrize("seed", [1, 2])
def test_the_optimiser_never_does_worse_than_the_greedy_cover(seed):
    instance = instance_from_json(generate_instance(60, 10, seed=seed))
    greedy = form_consortia(instance, method="greedy").stats
    exact = form_consortia(instance, time_limit=10).stats
    assert (exact["needs_covered"], exact["score"]) >= (greedy["needs_covered"], greedy["score"])
    if exact["optimal"]:
        assert exact["score"] == pytest.approx(exact["score_bound"])
