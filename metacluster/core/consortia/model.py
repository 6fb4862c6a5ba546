"""Consortium formation as plain data: needs and companies in, proposals out.

`instance_from_json` validates the JSON input and raises `InvalidInput` naming the offending
record; `Result.to_json` is the output format. Scores are computed here, once, so that the
greedy cover, the CP-SAT model and the brute force used in tests all optimise the same thing.

Scoring (see docs/CONSORTIA.md for the reasoning):

- a member's *match* to a need is the share of the need's capabilities it offers;
- its *value* is ``match + quality - MEMBER_COST``: quality in [0, 1] is the company's own
  (readiness where known); the cost per member keeps consortia from growing with members who
  add little, since a consortium is hard to coordinate;
- a consortium's score is the sum of its members' values, plus the affinity of every pair of
  members (past collaboration), plus ``LEAD_BONUS`` when a member has export experience and
  can lead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import CoreError, InputError

__all__ = [
    "Company",
    "ConsortiaError",
    "Instance",
    "InvalidInput",
    "Need",
    "Proposal",
    "Result",
    "instance_from_json",
]

MEMBER_COST = 0.75
LEAD_BONUS = 0.5
# Scores are read to this many decimals so that CP-SAT works on integers and the bound it
# proves holds for the scores as reported.
SCALE = 1000


class ConsortiaError(CoreError):
    """Base class of the errors raised by metacluster.core.consortia."""


class InvalidInput(ConsortiaError, InputError):
    """The input is malformed: a missing id, an unknown company, impossible bounds..."""


@dataclass(frozen=True)
class Need:
    """What a joint offer must provide: every capability in `capabilities`, by `min_size` to
    `max_size` companies from at least `min_countries` countries. `alternatives` is how many
    distinct proposals to return; `allow_competitors` lets competitors join the same one."""

    id: str | int
    capabilities: tuple = ()
    min_countries: int = 2
    min_size: int = 2
    max_size: int = 5
    alternatives: int = 1
    allow_competitors: bool = False


@dataclass(frozen=True)
class Company:
    """`max_consortia` is its capacity: in how many consortia (of different needs) it can be."""

    id: str | int
    country: str
    capabilities: tuple = ()
    max_consortia: int = 1
    quality: float = 0.5
    export_experience: bool = False


@dataclass(frozen=True)
class Instance:
    needs: tuple[Need, ...] = ()
    companies: tuple[Company, ...] = ()
    affinity: dict = field(default_factory=dict)  # frozenset({a, b}) -> score
    competitors: frozenset = frozenset()  # of frozenset({a, b})

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {c.id: c for c in self.companies})
        object.__setattr__(self, "_eligible", {})
        # Neighbour lists, so that the greedy cover asks "competes with any member?" cheaply.
        rivals: dict = {}
        for pair in self.competitors:
            a, b = tuple(pair)
            rivals.setdefault(a, set()).add(b)
            rivals.setdefault(b, set()).add(a)
        affinity_of: dict = {}
        for pair, score in self.affinity.items():
            a, b = tuple(pair)
            affinity_of.setdefault(a, {})[b] = score
            affinity_of.setdefault(b, {})[a] = score
        object.__setattr__(self, "_rivals", rivals)
        object.__setattr__(self, "_affinity_of", affinity_of)

    def company(self, company_id) -> Company:
        return self._by_id[company_id]

    def match(self, company: Company, need: Need) -> float:
        if not need.capabilities:
            return 0.0
        offered = set(company.capabilities)
        return sum(1 for cap in need.capabilities if cap in offered) / len(need.capabilities)

    def member_value(self, company: Company, need: Need) -> float:
        return self.match(company, need) + company.quality - MEMBER_COST

    def eligible(self, need: Need) -> list[Company]:
        """Companies that offer at least one of the need's capabilities, in input order: a
        member that brings nothing the need asks for is never proposed."""
        if need not in self._eligible:
            wanted = set(need.capabilities)
            self._eligible[need] = [
                c for c in self.companies if wanted.intersection(c.capabilities)
            ]
        return list(self._eligible[need])

    def pair_affinity(self, a, b) -> float:
        return self._affinity_of.get(a, {}).get(b, 0.0)

    def compete(self, a, b) -> bool:
        return b in self._rivals.get(a, ())

    def rivals(self, company_id) -> set:
        return self._rivals.get(company_id, set())

    def score(self, need: Need, members) -> float:
        """The score of a group for a need, whether or not it covers it."""
        ids = list(members)
        total = sum(self.member_value(self.company(m), need) for m in ids)
        total += sum(self.pair_affinity(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
        if any(self.company(m).export_experience for m in ids):
            total += LEAD_BONUS
        return total

    def units(self, value: float) -> int:
        return round(value * SCALE)

    def unit_score(self, need: Need, members) -> int:
        """The score in integer units, summed exactly as the CP-SAT model sums it."""
        ids = list(members)
        total = sum(self.units(self.member_value(self.company(m), need)) for m in ids)
        total += sum(
            self.units(self.pair_affinity(a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :]
        )
        if any(self.company(m).export_experience for m in ids):
            total += self.units(LEAD_BONUS)
        return total

    def violations(self, need: Need, members) -> list[str]:
        """Every rule the group breaks for the need (coverage included); [] if none."""
        ids = list(members)
        problems = []
        if len(set(ids)) != len(ids):
            problems.append("a company appears twice")
        if not need.min_size <= len(ids) <= need.max_size:
            problems.append(f"{len(ids)} members, not {need.min_size} to {need.max_size}")
        countries = {self.company(m).country for m in ids}
        if len(countries) < need.min_countries:
            problems.append(f"{len(countries)} countries, fewer than {need.min_countries}")
        missing = self.missing(need, ids)
        if missing:
            problems.append("does not cover " + ", ".join(map(str, missing)))
        if not need.allow_competitors:
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    if self.compete(a, b):
                        problems.append(f"competitors {a} and {b} together")
        return problems

    def missing(self, need: Need, members) -> list:
        offered = set()
        for m in members:
            offered.update(self.company(m).capabilities)
        return [cap for cap in need.capabilities if cap not in offered]


@dataclass
class Proposal:
    """A group for a need. `missing` is empty when it covers the need and meets every rule;
    otherwise `reason` says what stands in the way."""

    need: str | int
    members: list
    covers: dict  # capability -> member ids that offer it
    missing: list
    score: float
    rank: int = 1
    lead: str | int | None = None
    countries: list = field(default_factory=list)
    complete: bool = True
    optimal: bool = False
    reason: str = ""

    def to_json(self) -> dict:
        data = {
            "need": self.need,
            "members": list(self.members),
            "covers": {str(cap): list(ids) for cap, ids in self.covers.items()},
            "missing": list(self.missing),
            "score": round(self.score, 3),
            "rank": self.rank,
            "lead": self.lead,
            "countries": list(self.countries),
            "complete": self.complete,
        }
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass
class Result:
    """Proposals in need order, each need's best first. `stats`: needs, needs_covered,
    bound (no assignment covers more needs), score, score_bound, optimal, seconds, method."""

    consortia: list[Proposal] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"consortia": [p.to_json() for p in self.consortia], "stats": dict(self.stats)}

    def best(self, need_id) -> Proposal | None:
        for proposal in self.consortia:
            if proposal.need == need_id:
                return proposal
        return None


def make_proposal(instance: Instance, need: Need, members, *, rank: int = 1) -> Proposal:
    """A proposal for `members`, explained: who covers what, what is missing, who leads."""
    ids = sorted(members, key=_order_key(instance))
    covers = {
        cap: [m for m in ids if cap in instance.company(m).capabilities]
        for cap in need.capabilities
    }
    problems = instance.violations(need, ids)
    leaders = [m for m in ids if instance.company(m).export_experience]
    lead = max(leaders, key=lambda m: instance.company(m).quality) if leaders else None
    if lead is None and ids:
        lead = max(ids, key=lambda m: instance.member_value(instance.company(m), need))
    return Proposal(
        need=need.id,
        members=ids,
        covers={cap: who for cap, who in covers.items() if who},
        missing=[cap for cap, who in covers.items() if not who],
        score=instance.unit_score(need, ids) / SCALE,
        rank=rank,
        lead=lead,
        countries=sorted({instance.company(m).country for m in ids}),
        complete=not problems,
        reason="; ".join(problems),
    )


def _order_key(instance: Instance):
    position = {c.id: i for i, c in enumerate(instance.companies)}
    return lambda m: position[m]


# --- reading JSON ---------------------------------------------------------------------------


def _id(value, what: str):
    # bool is an int in Python, but `true` is never meant as an id.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInput(f"{what} must have an id that is a string or an integer, not {value!r}")
    return value


def _object(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be a JSON object, not {value!r}")
    return value


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{what} must be a list, not {value!r}")
    return value


def _count(data: dict, key: str, default: int, what: str, least: int = 0) -> int:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what}: {key} must be a whole number, not {value!r}")
    if value < least:
        raise InvalidInput(f"{what}: {key} must be at least {least}, got {value}")
    if value > 10_000:
        raise InvalidInput(f"{what}: {key} is implausibly large ({value})")
    return value


def _number(data: dict, key: str, default: float, what: str) -> float:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{what}: {key} must be a finite number, not {value!r}")
    if abs(value) > 1e6:
        raise InvalidInput(f"{what}: {key} is implausibly large ({value})")
    return float(value)


def _flag(data: dict, key: str, what: str) -> bool:
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidInput(f"{what}: {key} must be true or false, not {value!r}")
    return value


def _capabilities(data: dict, what: str) -> tuple:
    caps = _list(data.get("capabilities"), f"{what}: capabilities")
    for cap in caps:
        _id(cap, f"{what}: each capability")
    return tuple(dict.fromkeys(caps))  # without repeats, in order


def _unique(ids: list, what: str) -> None:
    seen = set()
    for value in ids:
        if value in seen:
            raise InvalidInput(f"two {what}s have the id {value!r}")
        seen.add(value)


def _need(raw, index: int) -> Need:
    data = _object(raw, f"need {index + 1}")
    need_id = _id(data.get("id"), f"need {index + 1}")
    what = f"need {need_id!r}"
    need = Need(
        id=need_id,
        capabilities=_capabilities(data, what),
        min_countries=_count(data, "min_countries", 2, what),
        min_size=_count(data, "min_size", 2, what, least=1),
        max_size=_count(data, "max_size", 5, what, least=1),
        alternatives=_count(data, "alternatives", 1, what, least=1),
        allow_competitors=_flag(data, "allow_competitors", what),
    )
    if not need.capabilities:
        raise InvalidInput(f"{what} requires no capabilities")
    if need.min_size > need.max_size:
        raise InvalidInput(f"{what}: min_size {need.min_size} is above max_size {need.max_size}")
    if need.alternatives > 20:
        raise InvalidInput(f"{what}: at most 20 alternatives, not {need.alternatives}")
    return need


def _company(raw, index: int) -> Company:
    data = _object(raw, f"company {index + 1}")
    company_id = _id(data.get("id"), f"company {index + 1}")
    what = f"company {company_id!r}"
    country = data.get("country")
    if not isinstance(country, str) or not country.strip():
        raise InvalidInput(f"{what} must have a country")
    quality = _number(data, "quality", 0.5, what)
    return Company(
        id=company_id,
        country=country.strip().upper(),
        capabilities=_capabilities(data, what),
        max_consortia=_count(data, "max_consortia", 1, what),
        quality=quality,
        export_experience=_flag(data, "export_experience", what),
    )


def _pair(raw, what: str, known: set, with_score: bool):
    pair = _list(raw, what)
    if len(pair) != (3 if with_score else 2):
        shape = "[a, b, score]" if with_score else "[a, b]"
        raise InvalidInput(f"{what} must be {shape}, not {raw!r}")
    a, b = _id(pair[0], what), _id(pair[1], what)
    for company_id in (a, b):
        if company_id not in known:
            raise InvalidInput(f"{what} names an unknown company {company_id!r}")
    if a == b:
        raise InvalidInput(f"{what} pairs company {a!r} with itself")
    return a, b, pair[2] if with_score else None


def instance_from_json(data) -> Instance:
    """Validate the JSON input and return it as an `Instance`.

    Example
    -------
    >>> instance = instance_from_json({
    ...     "needs": [{"id": "n1", "capabilities": ["water", "energy"]}],
    ...     "companies": [{"id": "a", "country": "SE", "capabilities": ["water"]},
    ...                   {"id": "b", "country": "FI", "capabilities": ["energy"]}],
    ... })
    >>> instance.needs[0].min_countries, instance.companies[1].max_consortia
    (2, 1)
    """
    data = _object(data, "the input")
    needs = tuple(_need(raw, i) for i, raw in enumerate(_list(data.get("needs"), "needs")))
    companies = tuple(
        _company(raw, i) for i, raw in enumerate(_list(data.get("companies"), "companies"))
    )
    _unique([n.id for n in needs], "need")
    _unique([c.id for c in companies], "company")
    known = {c.id for c in companies}
    affinity = {}
    for i, raw in enumerate(_list(data.get("affinity"), "affinity")):
        what = f"affinity {i + 1}"
        a, b, score = _pair(raw, what, known, with_score=True)
        score = _number({"score": score}, "score", 0.0, what)
        affinity[frozenset((a, b))] = score
    competitors = set()
    for i, raw in enumerate(_list(data.get("competitors"), "competitors")):
        a, b, _ = _pair(raw, f"competitors {i + 1}", known, with_score=False)
        competitors.add(frozenset((a, b)))
    return Instance(
        needs=needs, companies=companies, affinity=affinity, competitors=frozenset(competitors)
    )
