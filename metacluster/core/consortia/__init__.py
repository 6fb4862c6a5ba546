"""Consortium formation: cross-border groups of complementary SMEs for joint offers.

A *need* (an opportunity, or a target market's package such as a city's smart-city master
plan) requires capabilities; no single SME has them all. `form_consortia` proposes groups of
companies that together cover every required capability, from at least `min_countries`
countries, of `min_size` to `max_size` members, each company in at most `max_consortia`
consortia, competitors never together unless the need allows it, a member with export
experience preferred as lead. Across many needs it maximises the number of needs fully
covered, then the quality (member match and quality, past collaboration, a lead). Each need
gets alternatives that are truly different (Jaccard limit), and every proposal says which
member covers what, or what is missing and why. The answer carries a proven bound on the
needs covered and the score, and whether it is optimal.

`suggest` is the interactive path for one need (greedy at once, CP-SAT within a second).

Pure Python over plain data; no Django. From the command line::

    python -m metacluster.core.consortia input.json --output proposals.json --time-limit 10
    python -m metacluster.core.consortia.generate --companies 300 --needs 30 --seed 1

or, in an installed project, `metacluster form-consortia ...`. The formulation is in
`cpsat` and docs/CONSORTIA.md.
"""

from .generate import generate_instance
from .greedy import greedy_batch, greedy_group, jaccard
from .model import (
    Company,
    ConsortiaError,
    Instance,
    InvalidInput,
    Need,
    Proposal,
    Result,
    instance_from_json,
    make_proposal,
)
from .solve import form_consortia, suggest, trivial_bound

__all__ = [
    "Company",
    "ConsortiaError",
    "Instance",
    "InvalidInput",
    "Need",
    "Proposal",
    "Result",
    "form_consortia",
    "generate_instance",
    "greedy_batch",
    "greedy_group",
    "instance_from_json",
    "jaccard",
    "make_proposal",
    "suggest",
    "trivial_bound",
]
