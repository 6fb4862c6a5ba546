"""Records → the matching core's plain data, and its matches back to records.

A company is matched on what it says in the programme: its description, its offers' titles,
descriptions and tags, the capabilities of its offers, its NACE codes, country and size. Two
signals come from the pipeline, since they are what the platform knows for certain: readiness
is how far the company's engagement has come (identified 0 … first sale 1), and market fit is
1 for a country where it has won a deal, 0.5 where it has any deal, and unknown elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from metacluster.companies.choices import CompanyKind, Stage
from metacluster.companies.models import Company, Engagement
from metacluster.core import matching
from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal

from .choices import Verdict, Visibility
from .models import Feedback, Offer, Opportunity

TOP = 20


@dataclass
class RankedCompany:
    company: Company
    match: matching.Match
    verdict: str = ""
    notified: bool = False
    interested: bool = False


@dataclass
class RankedOpportunity:
    opportunity: Opportunity
    match: matching.Match


def opportunity_record(opportunity: Opportunity) -> matching.Opportunity:
    return matching.Opportunity(
        id=str(opportunity.pk),
        title=opportunity.title,
        description=opportunity.description,
        country=opportunity.country,
        capabilities=tuple(c.code for c in opportunity.capabilities.all()),
        sectors=tuple(opportunity.nace_codes) + tuple(opportunity.cpv_codes),
        language=opportunity.language,
        deadline=opportunity.deadline,
        eligible_countries=tuple(opportunity.eligible_countries),
        max_employees=opportunity.max_employees,
    )


def company_records(programme, companies) -> list[matching.Company]:
    """Core records for these companies as they present themselves in `programme`."""
    companies = list(
        companies.prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.filter(programme=programme).prefetch_related("capabilities"),
                to_attr="programme_offers",
            )
        )
    )
    ids = [c.pk for c in companies]
    stages = dict(
        Engagement.objects.filter(programme=programme, company_id__in=ids).values_list(
            "company_id", "stage"
        )
    )
    fit: dict[int, dict[str, float]] = {}
    for company_id, market, stage in Deal.objects.filter(company_id__in=ids).values_list(
        "company_id", "market", "stage"
    ):
        value = 1.0 if stage == DealStage.WON else 0.5
        fit.setdefault(company_id, {})
        fit[company_id][market] = max(fit[company_id].get(market, 0), value)
    last = len(Stage.values) - 1
    records = []
    for company in companies:
        offers = company.programme_offers
        text = "\n".join(
            [company.description]
            + [f"{o.title}. {o.description} {' '.join(o.tags)}" for o in offers]
        )
        capabilities = {c.code for o in offers for c in o.capabilities.all()}
        stage = stages.get(company.pk)
        records.append(
            matching.Company(
                id=str(company.pk),
                name=company.name,
                country=company.country,
                description=text,
                capabilities=tuple(sorted(capabilities)),
                sectors=tuple(company.nace_codes),
                employees=company.employees,
                readiness=Stage.rank(stage) / last if stage else None,
                market_fit=fit.get(company.pk, {}),
            )
        )
    return records


def candidates(opportunity: Opportunity):
    """The companies an opportunity may be shown to: SMEs engaged in its programme (with the
    publishing partner, for a private one)."""
    engagements = Engagement.objects.filter(programme=opportunity.programme_id)
    if opportunity.visibility == Visibility.PARTNER:
        engagements = engagements.filter(partner=opportunity.partner_id)
    return Company.objects.filter(pk__in=engagements.values("company"), kind=CompanyKind.SME)


def _matcher(companies, opportunities) -> matching.Matcher:
    return matching.Matcher(
        companies, opportunities, today=timezone.localdate(), encoder=matching.load_encoder()
    )


def companies_for(opportunity: Opportunity, top: int = TOP) -> tuple[str, list[RankedCompany]]:
    """(mode, best companies for an opportunity with their matches); empty when it is not
    open, since a closed or expired opportunity matches nobody."""
    if not opportunity.is_open:
        return "closed", []
    pool = candidates(opportunity)
    records = company_records(opportunity.programme, pool)
    matcher = _matcher(records, [opportunity_record(opportunity)])
    matches = matcher.companies_for(str(opportunity.pk), top=top)
    by_id = {c.pk: c for c in pool.filter(pk__in=[int(m.id) for m in matches])}
    verdicts = dict(
        Feedback.objects.filter(opportunity=opportunity).values_list("company_id", "verdict")
    )
    notified = set(opportunity.notices.values_list("company_id", flat=True))
    interested = set(opportunity.interests.values_list("company_id", flat=True))
    ranked = [
        RankedCompany(
            by_id[int(m.id)],
            m,
            verdicts.get(int(m.id), ""),
            int(m.id) in notified,
            int(m.id) in interested,
        )
        for m in matches
    ]
    return matcher.mode, ranked


def opportunities_for(
    company: Company, opportunities, top: int = TOP
) -> tuple[str, list[RankedOpportunity]]:
    """(mode, best open opportunities for a company among `opportunities`), leaving out those
    it was judged not relevant for and those it cannot be shown."""
    dismissed = Feedback.objects.filter(company=company, verdict=Verdict.NOT_RELEVANT)
    opportunities = (
        opportunities.open()
        .exclude(pk__in=dismissed.values("opportunity"))
        .select_related("programme")
        .prefetch_related("capabilities")
    )
    by_programme: dict[int, list[Opportunity]] = {}
    engagements = dict(
        Engagement.objects.filter(company=company).values_list("programme_id", "partner_id")
    )
    for o in opportunities:
        if o.programme_id not in engagements:
            continue
        if o.visibility == Visibility.PARTNER and engagements[o.programme_id] != o.partner_id:
            continue
        by_programme.setdefault(o.programme_id, []).append(o)
    ranked: list[RankedOpportunity] = []
    mode = "lexical"
    for items in by_programme.values():
        programme = items[0].programme
        records = company_records(programme, Company.objects.filter(pk=company.pk))
        matcher = _matcher(records, [opportunity_record(o) for o in items])
        mode = matcher.mode
        by_id = {str(o.pk): o for o in items}
        ranked += [
            RankedOpportunity(by_id[m.id], m)
            for m in matcher.opportunities_for(str(company.pk), top=top)
        ]
    ranked.sort(key=lambda r: (-r.match.score, r.opportunity.pk))
    return mode, ranked[:top]
