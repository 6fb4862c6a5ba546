"""Records in, optimiser input out: a programme's needs, offers and rules as a core `Instance`.

Where each number comes from:

- a company's capabilities: the capabilities of its offers in the programme
  (`matchmaking.Offer`), so only companies with an offer are proposed;
- quality: how far the company is in the programme's pipeline (its engagement stage, the
  programme's own measure of export readiness): 0.3 when identified up to 0.8 at a first sale;
  0.5 when it is not engaged;
- export experience (preferred as lead): an agreement or a won deal outside its home country,
  or an engagement at the exporting stage or beyond;
- past collaboration: 0.3 per consortium two companies were in together (at most 0.6);
- capacity: `MemberCapacity` (1 when not recorded) less the formed consortia of the programme
  it is in and the proposals of other needs it has been invited to and not declined;
- competitors: the programme's `CompetitorPair`s.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from metacluster.companies.choices import Stage
from metacluster.companies.models import Company as CompanyRecord
from metacluster.companies.models import Engagement
from metacluster.core.consortia import Company, Instance, Need
from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal
from metacluster.matchmaking.models import Offer

from .choices import ProposalStatus, Response
from .models import CompetitorPair, Consortium, ConsortiumNeed, MemberCapacity, ProposalMember

PAST_COLLABORATION = 0.3
MAX_AFFINITY = 0.6


@dataclass
class Inputs:
    """The optimiser's instance and the records its ids stand for."""

    instance: Instance
    companies: dict  # id -> Company record
    capabilities: dict  # capability id -> Capability record


def core_need(need: ConsortiumNeed, *, alternatives: int = 1) -> Need:
    return Need(
        id=need.pk,
        capabilities=tuple(sorted(c.pk for c in need.capabilities.all())),
        min_countries=need.min_countries,
        min_size=need.min_size,
        max_size=need.max_size,
        alternatives=alternatives,
        allow_competitors=need.allow_competitors,
    )


def inputs_for(programme, needs, *, alternatives: int = 1, extra_companies=(), only=None) -> Inputs:
    """The instance for `needs` of `programme`: every company with an offer in it (or only
    the companies in `only`), and `extra_companies`, which an advisor may add by hand even
    without an offer."""
    needs = list(needs)
    offers = Offer.objects.filter(programme=programme).prefetch_related("capabilities")
    if only is not None:
        offers = offers.filter(company__in=list(only))
    capabilities_of: dict = defaultdict(set)
    capability_records = {}
    for offer in offers:
        capabilities_of[offer.company_id]  # noqa: B018 - an offer without capabilities still counts
        for capability in offer.capabilities.all():
            capabilities_of[offer.company_id].add(capability.pk)
            capability_records[capability.pk] = capability
    for need in needs:
        for capability in need.capabilities.all():
            capability_records[capability.pk] = capability
    ids = set(capabilities_of) | {c.pk for c in extra_companies}
    records = {c.pk: c for c in CompanyRecord.objects.filter(pk__in=ids).order_by("name", "pk")}
    quality = _quality(programme, records)
    exporters = _exporters(programme, records)
    capacity = remaining_capacity(programme, records, skip_needs=[n.pk for n in needs])
    companies = tuple(
        Company(
            id=pk,
            country=record.country,
            capabilities=tuple(sorted(capabilities_of.get(pk, ()))),
            max_consortia=capacity[pk],
            quality=quality[pk],
            export_experience=pk in exporters,
        )
        for pk, record in records.items()
    )
    instance = Instance(
        needs=tuple(core_need(n, alternatives=alternatives) for n in needs),
        companies=companies,
        affinity=past_collaboration(records),
        competitors=frozenset(
            frozenset(pair)
            for pair in CompetitorPair.objects.filter(programme=programme).values_list(
                "first_id", "second_id"
            )
            if pair[0] in records and pair[1] in records
        ),
    )
    return Inputs(instance, records, capability_records)


def _quality(programme, records: dict) -> dict:
    stages = dict(
        Engagement.objects.filter(programme=programme, company__in=records).values_list(
            "company_id", "stage"
        )
    )
    return {
        pk: round(0.3 + 0.1 * Stage.rank(stages[pk]), 2) if pk in stages else 0.5 for pk in records
    }


def _exporters(programme, records: dict) -> set:
    exporters = set(
        Engagement.objects.filter(
            company__in=records, stage__in=Stage.at_or_past(Stage.EXPORTING)
        ).values_list("company_id", flat=True)
    )
    for company_id, market in Deal.objects.filter(
        company__in=records, stage__in=[DealStage.AGREEMENT, DealStage.WON]
    ).values_list("company_id", "market"):
        if market != records[company_id].country:
            exporters.add(company_id)
    return exporters


def past_collaboration(records: dict) -> dict:
    """frozenset({a, b}) -> affinity, for companies that were in a consortium together."""
    together: dict = defaultdict(int)
    members = defaultdict(list)
    for consortium_id, company_id in Consortium.members.through.objects.filter(
        company_id__in=records
    ).values_list("consortium_id", "company_id"):
        members[consortium_id].append(company_id)
    for group in members.values():
        group.sort()
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                together[frozenset((a, b))] += 1
    return {pair: min(MAX_AFFINITY, PAST_COLLABORATION * count) for pair, count in together.items()}


def remaining_capacity(programme, records: dict, *, skip_needs=()) -> dict:
    """Consortia each company can still join in the programme."""
    limits = dict(
        MemberCapacity.objects.filter(programme=programme, company__in=records).values_list(
            "company_id", "max_consortia"
        )
    )
    used: dict = defaultdict(int)
    formed = Consortium.members.through.objects.filter(
        consortium__programme=programme, company_id__in=records
    )
    for company_id in formed.values_list("company_id", flat=True):
        used[company_id] += 1
    committed = (
        ProposalMember.objects.filter(
            proposal__need__programme=programme,
            company_id__in=records,
            proposal__status__in=[ProposalStatus.INVITED, ProposalStatus.AGREED],
        )
        .exclude(response=Response.DECLINED)
        .exclude(proposal__need__in=list(skip_needs))
        .filter(Q(proposal__consortium__isnull=True))
    )
    for company_id in committed.values_list("company_id", flat=True):
        used[company_id] += 1
    return {pk: max(0, limits.get(pk, 1) - used[pk]) for pk in records}
