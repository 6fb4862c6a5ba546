"""The scouting score: points per criterion, each with the reason it was (not) given.

A programme configures which criteria count and how much (a `Profile`); `score` gives a
company its points under it with a line of explanation per criterion, so that an advisor can
see why one company ranks above another and argue with the weights, not with a black box.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .nace import matches
from .names import fold


@dataclass(frozen=True)
class Company:
    """What the score reads of a company; None where the register does not say."""

    nace_codes: tuple[str, ...] = ()
    employees: int | None = None
    founded_year: int | None = None
    turnover: float | None = None
    turnover_previous: float | None = None
    website: str = ""
    description: str = ""
    name: str = ""
    exporting: bool = False  # already at stage "exporting" or later in some programme
    engagements: int = 0  # programmes it takes part in


@dataclass(frozen=True)
class Profile:
    """A programme's weights. A criterion with 0 points is switched off."""

    sector_codes: tuple[str, ...] = ()  # NACE prefixes: "62", "63.1", or a section "J"
    sector_points: int = 30
    max_employees: int = 250  # the size band: SMEs up to this head count
    min_employees: int = 1
    size_points: int = 20
    min_age_years: int = 2  # old enough to have something to export
    max_age_years: int = 0  # 0: no upper limit
    age_points: int = 10
    min_growth_percent: float = 10.0  # turnover growth on the year before
    growth_points: int = 15
    export_keywords: tuple[str, ...] = ("export", "international", "global", "abroad")
    export_points: int = 10
    keywords: tuple[str, ...] = ()  # searched in the name, description and website
    keyword_points: int = 10
    website_points: int = 5
    engagement_points: int = -10  # negative: prefer companies not yet in a programme

    @property
    def maximum(self) -> int:
        return sum(
            max(points, 0)
            for points in (
                self.sector_points,
                self.size_points,
                self.age_points,
                self.growth_points,
                self.export_points,
                self.keyword_points,
                self.website_points,
                self.engagement_points,
            )
        )


@dataclass(frozen=True)
class Criterion:
    key: str
    points: int
    maximum: int
    explanation: str


@dataclass(frozen=True)
class Score:
    total: int
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "criteria": [
                {"key": c.key, "points": c.points, "max": c.maximum, "why": c.explanation}
                for c in self.criteria
            ],
        }


def score(company: Company, profile: Profile, *, year: int) -> Score:
    """The company's points under the profile, as of `year` (for its age)."""
    criteria = [
        _sector(company, profile),
        _size(company, profile),
        _age(company, profile, year),
        _growth(company, profile),
        _export(company, profile),
        _keywords(company, profile),
        _website(company, profile),
        _engagement(company, profile),
    ]
    kept = tuple(c for c in criteria if c is not None)
    return Score(sum(c.points for c in kept), kept)


def _sector(company: Company, profile: Profile) -> Criterion | None:
    if not profile.sector_points or not profile.sector_codes:
        return None
    hits = [code for code in company.nace_codes if matches(code, profile.sector_codes)]
    if hits:
        why = f"activity {', '.join(hits)} is in the programme's sectors"
        return Criterion("sector", profile.sector_points, profile.sector_points, why)
    if not company.nace_codes:
        return Criterion("sector", 0, profile.sector_points, "no activity code known")
    why = f"activity {', '.join(company.nace_codes)} is outside the programme's sectors"
    return Criterion("sector", 0, profile.sector_points, why)


def _size(company: Company, profile: Profile) -> Criterion | None:
    if not profile.size_points:
        return None
    band = f"{profile.min_employees}-{profile.max_employees}"
    if company.employees is None:
        return Criterion("size", 0, profile.size_points, "head count unknown")
    if profile.min_employees <= company.employees <= profile.max_employees:
        why = f"{company.employees} employees, within {band}"
        return Criterion("size", profile.size_points, profile.size_points, why)
    why = f"{company.employees} employees, outside {band}"
    return Criterion("size", 0, profile.size_points, why)


def _age(company: Company, profile: Profile, year: int) -> Criterion | None:
    if not profile.age_points:
        return None
    if company.founded_year is None:
        return Criterion("age", 0, profile.age_points, "founding year unknown")
    age = year - company.founded_year
    too_old = profile.max_age_years and age > profile.max_age_years
    if age >= profile.min_age_years and not too_old:
        why = f"founded {company.founded_year} ({age} years)"
        return Criterion("age", profile.age_points, profile.age_points, why)
    limit = (
        f"younger than {profile.min_age_years} years"
        if age < profile.min_age_years
        else f"older than {profile.max_age_years} years"
    )
    return Criterion("age", 0, profile.age_points, f"founded {company.founded_year}: {limit}")


def _growth(company: Company, profile: Profile) -> Criterion | None:
    if not profile.growth_points:
        return None
    if not company.turnover_previous or company.turnover is None:
        return Criterion("growth", 0, profile.growth_points, "no turnover for two years")
    growth = (company.turnover / company.turnover_previous - 1) * 100
    points = profile.growth_points if growth >= profile.min_growth_percent else 0
    why = f"turnover {growth:+.0f}% on the year before (threshold {profile.min_growth_percent:g}%)"
    return Criterion("growth", points, profile.growth_points, why)


def _text(company: Company) -> str:
    return fold(f"{company.name} {company.description} {company.website}")


def _found(words, text: str) -> list[str]:
    return [word for word in words if word and fold(word) in text]


def _export(company: Company, profile: Profile) -> Criterion | None:
    if not profile.export_points:
        return None
    if company.exporting:
        why = "already exporting in a programme"
        return Criterion("export", profile.export_points, profile.export_points, why)
    words = _found(profile.export_keywords, _text(company))
    if words:
        why = f"mentions {', '.join(words)}"
        return Criterion("export", profile.export_points, profile.export_points, why)
    return Criterion("export", 0, profile.export_points, "no export signal")


def _keywords(company: Company, profile: Profile) -> Criterion | None:
    if not profile.keyword_points or not profile.keywords:
        return None
    words = _found(profile.keywords, _text(company))
    if not words:
        return Criterion("keywords", 0, profile.keyword_points, "none of the keywords")
    # Full points from half of the keywords on, so a long list does not punish everyone.
    needed = max(1, (len(profile.keywords) + 1) // 2)
    points = round(profile.keyword_points * min(1.0, len(words) / needed))
    return Criterion("keywords", points, profile.keyword_points, f"mentions {', '.join(words)}")


def _website(company: Company, profile: Profile) -> Criterion | None:
    if not profile.website_points:
        return None
    if company.website:
        return Criterion("website", profile.website_points, profile.website_points, "has a website")
    return Criterion("website", 0, profile.website_points, "no website")


def _engagement(company: Company, profile: Profile) -> Criterion | None:
    if not profile.engagement_points:
        return None
    maximum = max(profile.engagement_points, 0)
    if company.engagements:
        why = f"takes part in {company.engagements} programme(s)"
        return Criterion("engagement", profile.engagement_points, maximum, why)
    return Criterion("engagement", 0, maximum, "in no programme yet")
