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


# Why a criterion gave its points: a reason code and its parameters, so that a reader in any
# language gets the sentence in theirs (the web app words them with its translations,
# `scouting/reasons.py`); these English sentences serve the CLI and the tests.
REASONS = {
    "sector_in": "activity {codes} is in the programme's sectors",
    "sector_out": "activity {codes} is outside the programme's sectors",
    "sector_unknown": "no activity code known",
    "size_in": "{employees} employees, within {min}-{max}",
    "size_out": "{employees} employees, outside {min}-{max}",
    "size_unknown": "head count unknown",
    "age_in": "founded {founded} ({age} years)",
    "age_young": "founded {founded}: younger than {min} years",
    "age_old": "founded {founded}: older than {max} years",
    "age_unknown": "founding year unknown",
    "growth": "turnover {growth:+.0f}% on the year before (threshold {threshold:g}%)",
    "growth_unknown": "no turnover for two years",
    "export_exporting": "already exporting in a programme",
    "export_words": "mentions {words}",
    "export_none": "no export signal",
    "keywords_words": "mentions {words}",
    "keywords_none": "none of the keywords",
    "website_yes": "has a website",
    "website_no": "no website",
    "engagement_some": "takes part in {count} programme(s)",
    "engagement_none": "in no programme yet",
}


@dataclass(frozen=True)
class Criterion:
    """One criterion's points out of its maximum, and why: `reason` is a key of REASONS and
    `params` its values (lists of codes or words as lists)."""

    key: str
    points: int
    maximum: int
    reason: str
    params: dict = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        """The reason as an English sentence."""
        values = {
            name: ", ".join(value) if isinstance(value, list | tuple) else value
            for name, value in self.params.items()
        }
        return REASONS[self.reason].format(**values)


@dataclass(frozen=True)
class Score:
    total: int
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "criteria": [
                {
                    "key": c.key,
                    "points": c.points,
                    "max": c.maximum,
                    "reason": c.reason,
                    "params": c.params,
                    "why": c.explanation,
                }
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
        return Criterion(
            "sector", profile.sector_points, profile.sector_points, "sector_in", {"codes": hits}
        )
    if not company.nace_codes:
        return Criterion("sector", 0, profile.sector_points, "sector_unknown")
    codes = {"codes": list(company.nace_codes)}
    return Criterion("sector", 0, profile.sector_points, "sector_out", codes)


def _size(company: Company, profile: Profile) -> Criterion | None:
    if not profile.size_points:
        return None
    if company.employees is None:
        return Criterion("size", 0, profile.size_points, "size_unknown")
    band = {
        "employees": company.employees,
        "min": profile.min_employees,
        "max": profile.max_employees,
    }
    if profile.min_employees <= company.employees <= profile.max_employees:
        return Criterion("size", profile.size_points, profile.size_points, "size_in", band)
    return Criterion("size", 0, profile.size_points, "size_out", band)


def _age(company: Company, profile: Profile, year: int) -> Criterion | None:
    if not profile.age_points:
        return None
    if company.founded_year is None:
        return Criterion("age", 0, profile.age_points, "age_unknown")
    founded = company.founded_year
    age = year - founded
    too_old = profile.max_age_years and age > profile.max_age_years
    if age >= profile.min_age_years and not too_old:
        params = {"founded": founded, "age": age}
        return Criterion("age", profile.age_points, profile.age_points, "age_in", params)
    if age < profile.min_age_years:
        params = {"founded": founded, "min": profile.min_age_years}
        return Criterion("age", 0, profile.age_points, "age_young", params)
    params = {"founded": founded, "max": profile.max_age_years}
    return Criterion("age", 0, profile.age_points, "age_old", params)


def _growth(company: Company, profile: Profile) -> Criterion | None:
    if not profile.growth_points:
        return None
    if not company.turnover_previous or company.turnover is None:
        return Criterion("growth", 0, profile.growth_points, "growth_unknown")
    growth = (company.turnover / company.turnover_previous - 1) * 100
    points = profile.growth_points if growth >= profile.min_growth_percent else 0
    params = {"growth": growth, "threshold": profile.min_growth_percent}
    return Criterion("growth", points, profile.growth_points, "growth", params)


def _text(company: Company) -> str:
    return fold(f"{company.name} {company.description} {company.website}")


def _found(words, text: str) -> list[str]:
    return [word for word in words if word and fold(word) in text]


def _export(company: Company, profile: Profile) -> Criterion | None:
    if not profile.export_points:
        return None
    full = profile.export_points
    if company.exporting:
        return Criterion("export", full, full, "export_exporting")
    words = _found(profile.export_keywords, _text(company))
    if words:
        return Criterion("export", full, full, "export_words", {"words": words})
    return Criterion("export", 0, full, "export_none")


def _keywords(company: Company, profile: Profile) -> Criterion | None:
    if not profile.keyword_points or not profile.keywords:
        return None
    words = _found(profile.keywords, _text(company))
    if not words:
        return Criterion("keywords", 0, profile.keyword_points, "keywords_none")
    # Full points from half of the keywords on, so a long list does not punish everyone.
    needed = max(1, (len(profile.keywords) + 1) // 2)
    points = round(profile.keyword_points * min(1.0, len(words) / needed))
    return Criterion("keywords", points, profile.keyword_points, "keywords_words", {"words": words})


def _website(company: Company, profile: Profile) -> Criterion | None:
    if not profile.website_points:
        return None
    if company.website:
        return Criterion("website", profile.website_points, profile.website_points, "website_yes")
    return Criterion("website", 0, profile.website_points, "website_no")


def _engagement(company: Company, profile: Profile) -> Criterion | None:
    if not profile.engagement_points:
        return None
    maximum = max(profile.engagement_points, 0)
    if company.engagements:
        count = {"count": company.engagements}
        return Criterion("engagement", profile.engagement_points, maximum, "engagement_some", count)
    return Criterion("engagement", 0, maximum, "engagement_none")
