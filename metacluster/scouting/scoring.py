"""The scouting score of Django companies: turns records into the core's plain data."""

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from metacluster.companies.choices import Stage
from metacluster.companies.models import Company, Engagement
from metacluster.core.scouting import Company as Scored
from metacluster.core.scouting import Profile, Score, score

from .models import ScoringProfile

# Ranking by score reads every matching company; above this many, narrow the filters first.
RANK_LIMIT = 20_000


def profile_for(programme) -> Profile:
    try:
        return programme.scoring_profile.as_core()
    except ScoringProfile.DoesNotExist:
        return Profile()


def with_signals(companies: QuerySet) -> QuerySet:
    exporting = Engagement.objects.filter(
        company=OuterRef("pk"), stage__in=Stage.at_or_past(Stage.EXPORTING)
    )
    return companies.annotate(
        engagement_count=Count("engagements", distinct=True), is_exporting=Exists(exporting)
    )


def as_scored(company: Company) -> Scored:
    return Scored(
        nace_codes=tuple(company.nace_codes or ()),
        employees=company.employees,
        founded_year=company.founded_year,
        turnover=float(company.turnover) if company.turnover is not None else None,
        turnover_previous=float(company.turnover_previous)
        if company.turnover_previous is not None
        else None,
        website=company.website,
        description=company.description,
        name=company.name,
        exporting=getattr(company, "is_exporting", False),
        engagements=getattr(company, "engagement_count", 0),
    )


def scored(companies, profile: Profile) -> list[tuple[Company, Score]]:
    year = timezone.now().year
    return [(company, score(as_scored(company), profile, year=year)) for company in companies]


def ranked(companies: QuerySet, profile: Profile) -> list[tuple[Company, Score]]:
    """Every company of the queryset with its score, best first (ties by name)."""
    results = scored(with_signals(companies).order_by(), profile)
    results.sort(key=lambda pair: (-pair[1].total, pair[0].name, pair[0].pk))
    return results
