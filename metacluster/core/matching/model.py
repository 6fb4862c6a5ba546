"""The matching's plain data: companies, opportunities, matches and their explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..errors import CoreError, InputError

__all__ = [
    "Company",
    "Explanation",
    "InvalidInput",
    "Match",
    "MatchingError",
    "Opportunity",
    "company_from_json",
    "opportunity_from_json",
]


class MatchingError(CoreError):
    """Base of the matching's own errors."""


class InvalidInput(MatchingError, InputError):
    """A company or opportunity record is malformed; the message names the field."""


@dataclass(frozen=True)
class Company:
    """A company as the matching sees it: what it says it does, and the facts filters need.

    `capabilities` are taxonomy codes (matched by identity, whatever the language);
    `sectors` NACE Rev. 2 codes such as "62.01" (a prefix such as "62" matches its children).
    `readiness` (0..1, e.g. an export-readiness score) and `market_fit` (country → 0..1) are
    optional signals; missing ones neither help nor hurt. `readiness_note` and `market_notes`
    (country → sentence) say where a signal comes from, for the explanations ("active
    exporter: readiness 72/100", "Chile ranks 8th of 180 for your ICT services")."""

    id: str
    name: str = ""
    country: str = ""
    description: str = ""
    capabilities: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    language: str | None = None
    employees: int | None = None
    readiness: float | None = None
    market_fit: dict[str, float] = field(default_factory=dict)
    readiness_note: str = ""
    market_notes: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.name}\n{self.description}"


@dataclass(frozen=True)
class Opportunity:
    """Foreign demand: a buyer's request, a tender, a city's project, a partner search.

    Hard rules: past its `deadline` (inclusive: open on the day) it matches nothing; with
    `eligible_countries` only companies of those countries match; with `max_employees` only
    companies of at most that size (a company whose size is unknown is let through and the
    explanation says so)."""

    id: str
    title: str = ""
    description: str = ""
    country: str = ""
    capabilities: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    language: str | None = None
    deadline: date | None = None
    eligible_countries: tuple[str, ...] = ()
    max_employees: int | None = None

    @property
    def text(self) -> str:
        # The title says what is wanted in the fewest words: count it twice.
        return f"{self.title}\n{self.title}\n{self.description}"


@dataclass(frozen=True)
class Explanation:
    """Why a company and an opportunity match: the evidence, not just a number."""

    matched_terms: tuple[str, ...] = ()
    shared_capabilities: tuple[str, ...] = ()
    missing_capabilities: tuple[str, ...] = ()
    shared_sectors: tuple[str, ...] = ()
    components: dict[str, float] = field(default_factory=dict)  # weighted contributions
    notes: tuple[str, ...] = ()
    above_next: tuple[str, float] | None = None  # (component, lead over the next match)
    signals: dict[str, str] = field(default_factory=dict)  # signal → where it comes from

    def reasons(self, names: dict[str, str] | None = None) -> list[str]:
        """The explanation as sentences, capability codes shown by `names` when given."""
        names = names or {}
        out = []
        if self.shared_capabilities:
            shown = ", ".join(names.get(c, c) for c in self.shared_capabilities)
            out.append(f"shared capabilities: {shown}")
        if self.missing_capabilities:
            shown = ", ".join(names.get(c, c) for c in self.missing_capabilities)
            out.append(f"missing capabilities: {shown}")
        if self.matched_terms:
            out.append("matched terms: " + ", ".join(self.matched_terms))
        if self.shared_sectors:
            out.append("sectors: " + ", ".join(self.shared_sectors))
        if "semantic" in self.components:
            out.append(f"similar in meaning: {self.components['semantic']:.2f} of the score")
        for signal in ("readiness", "market"):
            if signal in self.components:
                source = self.signals.get(signal) or f"{signal} signal"
                out.append(f"{source}: {self.components[signal]:.2f} of the score")
        out.extend(self.notes)
        if self.above_next is not None:
            component, lead = self.above_next
            out.append(f"ranks above the next mainly on {component} (+{lead:.2f})")
        return out


class Match:
    """One ranked pairing; `id` is the other side's id (a company for an opportunity's
    matches, an opportunity for a company's). The explanation is worked out when first read,
    so ranking many pairs costs little more than scoring them."""

    __slots__ = ("_explanation", "_make", "id", "score")

    def __init__(self, id: str, score: float, explanation: Explanation | None = None, make=None):
        self.id = id
        self.score = score
        self._explanation = explanation
        self._make = make

    @property
    def explanation(self) -> Explanation:
        if self._explanation is None:
            self._explanation = self._make() if self._make else Explanation()
            self._make = None
        return self._explanation

    def __eq__(self, other) -> bool:
        return isinstance(other, Match) and (self.id, self.score, self.explanation) == (
            other.id,
            other.score,
            other.explanation,
        )

    def __repr__(self) -> str:
        return f"Match(id={self.id!r}, score={self.score:.4f})"

    def to_json(self, key: str, names: dict[str, str] | None = None) -> dict:
        return {
            key: self.id,
            "score": round(self.score, 4),
            "reasons": self.explanation.reasons(names),
        }


# --- From JSON ---------------------------------------------------------------------------------


def _text(record: dict, name: str, *, required: bool = False) -> str:
    value = record.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name!r} must be a string")
    if required and not value.strip():
        raise InvalidInput(f"{name!r} is required")
    return value


def _id(record: dict) -> str:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise InvalidInput("'id' must be a non-empty string or a whole number")
    return str(value)


def _strings(record: dict, name: str) -> tuple[str, ...]:
    value = record.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{name!r} must be a list of strings")
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _optional_int(record: dict, name: str) -> int | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{name!r} must be a whole number of 0 or more")
    return value


def _share(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidInput(f"{name!r} must be a number from 0 to 1")
    return float(value)


def company_from_json(record) -> Company:
    """A company from a JSON object (the `match` command's company lines)."""
    if not isinstance(record, dict):
        raise InvalidInput("a company must be a JSON object")
    readiness = record.get("readiness")
    market_fit = record.get("market_fit") or {}
    if not isinstance(market_fit, dict):
        raise InvalidInput("'market_fit' must be an object of country: 0..1")
    return Company(
        id=_id(record),
        name=_text(record, "name"),
        country=_text(record, "country").upper(),
        description=_text(record, "description"),
        capabilities=_strings(record, "capabilities"),
        sectors=_strings(record, "sectors"),
        language=_text(record, "language") or None,
        employees=_optional_int(record, "employees"),
        readiness=None if readiness is None else _share(readiness, "readiness"),
        market_fit={str(k).upper(): _share(v, f"market_fit.{k}") for k, v in market_fit.items()},
    )


def opportunity_from_json(record) -> Opportunity:
    """An opportunity from a JSON object (the `match` command's opportunity lines)."""
    if not isinstance(record, dict):
        raise InvalidInput("an opportunity must be a JSON object")
    deadline = record.get("deadline")
    if deadline is not None:
        try:
            deadline = date.fromisoformat(deadline) if isinstance(deadline, str) else None
        except ValueError:
            deadline = None
        if deadline is None:
            raise InvalidInput("'deadline' must be a date as YYYY-MM-DD")
    return Opportunity(
        id=_id(record),
        title=_text(record, "title"),
        description=_text(record, "description"),
        country=_text(record, "country").upper(),
        capabilities=_strings(record, "capabilities"),
        sectors=_strings(record, "sectors"),
        language=_text(record, "language") or None,
        deadline=deadline,
        eligible_countries=tuple(c.upper() for c in _strings(record, "eligible_countries")),
        max_employees=_optional_int(record, "max_employees"),
    )
