"""Records → the matching core's plain data, and its matches back to records.

A company is matched on what it says in the programme: its description, its offers' titles,
descriptions and tags, the capabilities of its offers, its NACE codes, country and size. Two
signals come from the other tools, each named in the match's explanation:

- readiness: the overall score (0–100, as 0..1) of the company's latest completed export
  readiness assessment that the viewer may see (readiness app); unknown without one;
- market fit for an opportunity's country: how that country ranks among the export markets for
  the company's home country and offering (markets app: rank 1 of N is 1, the last 0), raised
  to 1 where the company has won a deal there and to 0.5 where it has any deal (deals app).
  The offering is the one of the company's latest feasibility study, else "goods" for a
  manufacturer (NACE divisions 10–33) and "ICT services" for anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.humanize.templatetags.humanize import ordinal
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.companies.choices import CompanyKind
from metacluster.companies.models import Company, Engagement
from metacluster.core import matching
from metacluster.core.markets import InvalidRanking, rank
from metacluster.countries import country_name
from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal
from metacluster.markets import adapters as markets
from metacluster.markets.models import FeasibilityStudy
from metacluster.readiness.choices import ReadinessStage
from metacluster.readiness.models import Assessment

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


def company_records(
    programme, companies, *, markets_wanted: Iterable[str] = (), viewer=None
) -> list[matching.Company]:
    """Core records for these companies as they present themselves in `programme`, with the
    readiness signal the `viewer` may see (None: any, for the alerts job) and market fit for
    the countries in `markets_wanted` (the opportunities' countries)."""
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
    readiness = _readiness(ids, viewer)
    fit = _market_fit(companies, set(markets_wanted))
    records = []
    for company in companies:
        offers = company.programme_offers
        text = "\n".join(
            [company.description]
            + [f"{o.title}. {o.description} {' '.join(o.tags)}" for o in offers]
        )
        capabilities = {c.code for o in offers for c in o.capabilities.all()}
        score, readiness_note = readiness.get(company.pk, (None, ""))
        values, notes = fit.get(company.pk, ({}, {}))
        records.append(
            matching.Company(
                id=str(company.pk),
                name=company.name,
                country=company.country,
                description=text,
                capabilities=tuple(sorted(capabilities)),
                sectors=tuple(company.nace_codes),
                employees=company.employees,
                readiness=score,
                market_fit=values,
                readiness_note=readiness_note,
                market_notes=notes,
            )
        )
    return records


def _readiness(ids: list[int], viewer) -> dict[int, tuple[float, str]]:
    """Company → (latest completed assessment's overall score as 0..1, its note)."""
    assessments = (
        Assessment.objects.completed()
        if viewer is None
        else (Assessment.objects.visible_to(viewer).completed())
    )
    latest: dict[int, tuple[float, str]] = {}
    for company_id, overall, stage in (
        assessments.filter(company_id__in=ids, overall__isnull=False)
        .order_by("company_id", "-completed_at", "-pk")
        .values_list("company_id", "overall", "stage")
    ):
        if company_id in latest:
            continue
        score = round(overall)
        note = (
            _("%(stage)s: readiness %(score)s/100")
            % {"stage": ReadinessStage(stage).label, "score": score}
            if stage in ReadinessStage.values
            else _("readiness %(score)s/100") % {"score": score}
        )
        latest[company_id] = (min(max(overall / 100, 0.0), 1.0), note)
    return latest


def offering_of(company: Company, studied: dict[int, str]) -> str:
    """What the company sells abroad, for the market ranking."""
    if company.pk in studied:
        return studied[company.pk]
    manufacturing = any(
        10 <= int(code[:2]) <= 33 for code in company.nace_codes if code[:2].isdigit()
    )
    return "goods" if manufacturing else "ict-services"


@lru_cache(maxsize=32)
def _market_ranks(home: str, offering: str) -> tuple[dict[str, tuple[int, str]], int]:
    """ISO2 → (rank, country name) of every ranked export market, and how many there are."""
    try:
        ranking = rank(markets.data(), home, offering)
    except InvalidRanking:  # a company without a known home country: no market signal
        return {}, 0
    return {m.country.iso2: (m.rank, m.country.name) for m in ranking.markets}, len(ranking.markets)


def _market_fit(companies: list[Company], wanted: set[str]):
    """Company → ({country: fit 0..1}, {country: note}) for the `wanted` countries."""
    ids = [c.pk for c in companies]
    studied: dict[int, str] = {}
    for company_id, offering in (
        FeasibilityStudy.objects.filter(company_id__in=ids)
        .order_by("company_id", "-pk")
        .values_list("company_id", "offering")
    ):
        studied.setdefault(company_id, offering)
    deals: dict[int, dict[str, float]] = {}
    for company_id, market, stage in Deal.objects.filter(
        company_id__in=ids, market__in=wanted
    ).values_list("company_id", "market", "stage"):
        value = 1.0 if stage == DealStage.WON else 0.5
        deals.setdefault(company_id, {})
        deals[company_id][market] = max(deals[company_id].get(market, 0), value)
    offerings = {"ict-services": _("ICT services"), "goods": _("goods")}
    out = {}
    for company in companies:
        offering = offering_of(company, studied)
        ranks, total = _market_ranks(company.country, offering) if wanted else ({}, 0)
        values, notes = {}, {}
        for country in wanted:
            if country in ranks and total > 1:
                position, _name = ranks[country]
                values[country] = 1 - (position - 1) / (total - 1)
                notes[country] = _(
                    "%(country)s ranks %(rank)s of %(total)s for your %(offering)s"
                ) % {
                    "country": country_name(country),
                    "rank": ordinal(position),
                    "total": total,
                    "offering": offerings[offering],
                }
            deal = deals.get(company.pk, {}).get(country)
            if deal is not None and deal >= values.get(country, 0):
                values[country] = deal
                notes[country] = (
                    _("won a deal in %(country)s")
                    if deal == 1.0
                    else _("has a deal in %(country)s")
                ) % {"country": country_name(country)}
        out[company.pk] = (values, notes)
    return out


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


def companies_for(
    opportunity: Opportunity, top: int = TOP, viewer=None
) -> tuple[str, list[RankedCompany]]:
    """(mode, best companies for an opportunity with their matches); empty when it is not
    open, since a closed or expired opportunity matches nobody. Signals are those `viewer` may
    see (None: all of them)."""
    if not opportunity.is_open:
        return "closed", []
    pool = candidates(opportunity)
    records = company_records(
        opportunity.programme, pool, markets_wanted={opportunity.country}, viewer=viewer
    )
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
    company: Company, opportunities, top: int = TOP, viewer=None
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
        records = company_records(
            programme,
            Company.objects.filter(pk=company.pk),
            markets_wanted={o.country for o in items},
            viewer=viewer,
        )
        matcher = _matcher(records, [opportunity_record(o) for o in items])
        mode = matcher.mode
        by_id = {str(o.pk): o for o in items}
        ranked += [
            RankedOpportunity(by_id[m.id], m)
            for m in matcher.opportunities_for(str(company.pk), top=top)
        ]
    ranked.sort(key=lambda r: (-r.match.score, r.opportunity.pk))
    return mode, ranked[:top]


@dataclass
class RankedConsortium:
    consortium: object  # consortia.Consortium
    match: matching.Match
    members: list[dict]


CONSORTIUM_PREFIX = "consortium:"


def consortium_records(opportunity: Opportunity, consortia) -> tuple[list, dict]:
    """Core records for consortia as single candidates (their joint offer: the statement,
    the members' offers and capabilities together, their NACE codes), leaving out those whose
    members do not all pass the opportunity's country and size rules."""
    from metacluster.consortia.workflows import joint_offer

    records, offers = [], {}
    for consortium in consortia.prefetch_related("members"):
        members = list(consortium.members.all())
        if not members:
            continue
        if opportunity.eligible_countries and any(
            m.country not in opportunity.eligible_countries for m in members
        ):
            continue
        if opportunity.max_employees is not None and any(
            (m.employees or 0) > opportunity.max_employees for m in members
        ):
            continue
        offer = joint_offer(consortium)
        texts = [consortium.statement] + [
            f"{o.title}. {o.description} {' '.join(o.tags)}"
            for o in Offer.objects.filter(programme=consortium.programme_id, company__in=members)
        ]
        key = f"{CONSORTIUM_PREFIX}{consortium.pk}"
        offers[key] = (consortium, offer["members"])
        records.append(
            matching.Company(
                id=key,
                name=consortium.name,
                country=members[0].country,
                description="\n".join(texts),
                capabilities=tuple(offer["capabilities"]),
                sectors=tuple(sorted({code for m in members for code in m.nace_codes})),
            )
        )
    return records, offers


def consortia_for(opportunity: Opportunity, viewer, top: int = 5) -> list[RankedConsortium]:
    """The consortia of the opportunity's programme that `viewer` sees, ranked for it as if
    each were one company (a private opportunity: only those its partner coordinates). They
    are ranked among the programme's candidate companies, so that their scores read on the
    same scale as the companies' (the companies' own ranking is not changed by them)."""
    from metacluster.consortia.models import Consortium

    if not opportunity.is_open:
        return []
    consortia = Consortium.objects.visible_to(viewer).filter(programme=opportunity.programme_id)
    if opportunity.visibility == Visibility.PARTNER:
        consortia = consortia.filter(coordinator=opportunity.partner_id)
    records, offers = consortium_records(opportunity, consortia)
    if not records:
        return []
    companies = company_records(opportunity.programme, candidates(opportunity), viewer=viewer)
    matcher = _matcher(companies + records, [opportunity_record(opportunity)])
    matches = matcher.companies_for(str(opportunity.pk), top=len(companies) + len(records))
    ranked = [
        RankedConsortium(offers[m.id][0], m, offers[m.id][1])
        for m in matches
        if m.id.startswith(CONSORTIUM_PREFIX)
    ]
    return ranked[:top]
