"""Reading the input: every malformed record is refused with a message that names it."""

import re

import pytest

from metacluster.core.consortia import InvalidInput, instance_from_json, make_proposal

COMPANIES = [
    {"id": "a", "country": "SE", "capabilities": ["water"], "quality": 0.8},
    {"id": "b", "country": "fi", "capabilities": ["energy", "water"], "export_experience": True},
]


def test_defaults_follow_the_issue():
    instance = instance_from_json(
        {"needs": [{"id": "n", "capabilities": ["water"]}], "companies": COMPANIES}
    )
    need = instance.needs[0]
    assert (need.min_countries, need.min_size, need.max_size, need.alternatives) == (2, 2, 5, 1)
    assert instance.companies[1].country == "FI"  # codes are upper-cased
    assert instance.companies[1].max_consortia == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "the input must be a JSON object"),
        ({"needs": {}}, "needs must be a list"),
        ({"needs": [{"capabilities": ["x"]}]}, "need 1 must have an id"),
        ({"needs": [{"id": "n"}]}, "need 'n' requires no capabilities"),
        ({"needs": [{"id": "n", "capabilities": "water"}]}, "capabilities must be a list"),
        (
            {"needs": [{"id": "n", "capabilities": ["x"], "min_size": 4, "max_size": 3}]},
            "min_size 4 is above max_size 3",
        ),
        ({"needs": [{"id": "n", "capabilities": ["x"], "min_size": 0}]}, "at least 1"),
        ({"needs": [{"id": "n", "capabilities": ["x"], "max_size": "5"}]}, "whole number"),
        ({"needs": [{"id": True, "capabilities": ["x"]}]}, "must have an id"),
        ({"companies": [{"id": "a"}]}, "company 'a' must have a country"),
        ({"companies": [{"id": "a", "country": "SE", "quality": "high"}]}, "finite number"),
        ({"companies": [{"id": "a", "country": "SE", "max_consortia": -1}]}, "at least 0"),
        ({"companies": COMPANIES + [{"id": "a", "country": "EE"}]}, "two companys"),
        ({"companies": COMPANIES, "competitors": [["a", "z"]]}, "unknown company 'z'"),
        ({"companies": COMPANIES, "competitors": [["a", "a"]]}, "with itself"),
        ({"companies": COMPANIES, "affinity": [["a", "b"]]}, "must be [a, b, score]"),
        ({"companies": COMPANIES, "affinity": [["a", "b", "x"]]}, "finite number"),
    ],
)
def test_it_refuses_malformed_input(data, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        instance_from_json(data)


def test_a_proposal_explains_who_covers_what_and_who_leads():
    instance = instance_from_json(
        {
            "needs": [{"id": "n", "capabilities": ["water", "energy", "data"]}],
            "companies": COMPANIES,
            "affinity": [["a", "b", 0.25]],
        }
    )
    proposal = make_proposal(instance, instance.needs[0], ["b", "a"])
    assert proposal.members == ["a", "b"]  # in input order
    assert proposal.covers == {"water": ["a", "b"], "energy": ["b"]}
    assert proposal.missing == ["data"]
    assert proposal.lead == "b"  # the member with export experience
    assert proposal.countries == ["FI", "SE"]
    assert not proposal.complete and "does not cover data" in proposal.reason
    # a: 1/3 + 0.8 - 0.75; b: 2/3 + 0.5 - 0.75; affinity 0.25; lead bonus 0.5
    assert proposal.score == pytest.approx(0.383 + 0.417 + 0.25 + 0.5, abs=1e-3)


@pytest.mark.parametrize("module", ["model", "solve"])
def test_the_docstring_examples_run(module):
    import doctest
    import importlib

    found = doctest.testmod(importlib.import_module(f"metacluster.core.consortia.{module}"))
    assert found.attempted and not found.failed
