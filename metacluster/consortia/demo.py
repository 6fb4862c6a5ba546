"""Demo records of consortium formation, added to the demo programmes by `metacluster load-demo`.

SME2GO brought Nordic and Baltic smart-city SMEs to cities in Vietnam, China and Chile. The
demo gives it the packages of a smart-city master plan as needs (Da Nang, Ho Chi Minh City,
Hue, Santiago), proposals from one batch formation, one proposal whose members have been
invited (the demo SME user's company among them when it takes part in SME2GO), one agreed by
every member and ready to be formed, and joint-offer profiles for three of the consortia the
programme formed (which stay the only formed ones, so that the reported figure of ten holds).

Capabilities and offers are the matchmaking app's; they are created here only when the
programme has none (the matchmaking demo may make them first), by code, so either order works.
"""

from django.db.models import Count

from metacluster.accounts.models import User
from metacluster.companies.choices import Stage
from metacluster.companies.models import Engagement
from metacluster.matchmaking.demo import TAXONOMY
from metacluster.matchmaking.models import Capability, Offer

from . import workflows
from .choices import MemberRole, ProposalStatus, Response
from .models import (
    CompetitorPair,
    Consortium,
    ConsortiumNeed,
    MemberCapacity,
    Proposal,
    ProposalMember,
)

# The matchmaking demo's taxonomy, so that needs, offers and opportunities speak one vocabulary
# whichever demo runs first.
CAPABILITIES = [(code, name, text) for code, (name, text) in TAXONOMY.items()]
# How common each capability is among offers made here (software and data more than water).
OFFER_WEIGHTS = {"ai-analytics": 7, "iot": 6, "smart-mobility": 6, "energy": 5, "connectivity": 4}

# (title, market, description, capability codes, min countries, size bounds)
NEEDS = [
    (
        "Da Nang smart-city master plan: mobility and traffic",
        "VN",
        "Da Nang's smart-city plan asks for an integrated traffic, parking and public-transport "
        "package run on the city's data platform.",
        ["smart-mobility", "iot", "ai-analytics"],
        2,
        (2, 4),
    ),
    (
        "Da Nang smart-city master plan: water and flood warning",
        "VN",
        "Leak detection and flood warning for the city's water network.",
        ["water", "iot", "ai-analytics"],
        2,
        (2, 4),
    ),
    (
        "Ho Chi Minh City: e-government and open data",
        "VN",
        "Digital public services for the districts, secured and on an open-data platform.",
        ["e-government", "ai-analytics", "cybersecurity"],
        2,
        (2, 5),
    ),
    (
        "Ho Chi Minh City: energy-efficient street lighting",
        "VN",
        "Connected street lighting with metering, as a pilot district.",
        ["connectivity", "energy", "iot"],
        2,
        (2, 4),
    ),
    (
        "Hue: digital schools and telecare",
        "VN",
        "E-learning for schools and telecare for the elderly in Thua Thien Hue province.",
        ["edtech", "health", "ai-analytics"],
        2,
        (2, 4),
    ),
    (
        "Santiago: smart-energy district",
        "CL",
        "An energy-efficient district with smart metering, lighting and mobility.",
        ["energy", "connectivity", "smart-mobility", "ai-analytics"],
        2,
        (3, 5),
    ),
]


# The demo SME user's company takes part in 4SmartGrowth: a need there, with an invitation
# for it to answer.
SME_NEED = (
    "Tallinn–Helsinki smart-building retrofit",
    "FI",
    "Sensors, energy management and a data platform for a chain of office buildings.",
    ["iot", "energy", "ai-analytics"],
    2,
    (2, 4),
)


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    programme = programmes.get("sme2go")
    if programme is None:
        return {}
    capabilities = _capabilities(programme)
    _offers(programme, capabilities, rng)
    staff = User.objects.filter(organisation__in=programme.partner_organisations()).first()
    needs = _needs(programme, capabilities, staff, NEEDS)
    _rules(programme, rng)
    workflows.form_batch(programme, needs, by=staff, alternatives=2, seconds=3.0)
    _invite(programme, needs, staff)
    _profiles(programme, capabilities, staff)
    count = len(needs) + _sme_invitation(programmes.get("4smartgrowth"), rng)
    return {
        "consortium needs": count,
        "consortium proposals": Proposal.objects.filter(need__programme__in=programmes.values())
        .distinct()
        .count(),
    }


def _sme_invitation(programme, rng) -> int:
    """A need in the SME user's other programme whose first proposal includes its company
    and has been sent to the members, so the SME user has an invitation to answer."""
    sme = User.objects.filter(role="sme", company__engagements__programme=programme).first()
    if programme is None or sme is None:
        return 0
    capabilities = _capabilities(programme)
    if not Offer.objects.filter(programme=programme).exists():
        _offers(programme, capabilities, rng)
    staff = User.objects.filter(organisation__in=programme.partner_organisations()).first()
    [need] = _needs(programme, capabilities, staff, [SME_NEED])
    proposals = workflows.propose(need, by=staff, alternatives=2)
    _invite(programme, [need], staff, proposals=proposals, sme=sme)
    return 1


def _capabilities(programme) -> dict:
    found = {}
    for code, name, description in CAPABILITIES:
        found[code], _created = Capability.objects.get_or_create(
            programme=programme, code=code, defaults={"name": name, "description": description}
        )
    return found


def _offers(programme, capabilities: dict, rng) -> None:
    """Offers for the programme's companies that have none, each with one to three of the
    taxonomy's capabilities (software and data more common than water or health)."""
    with_offer = set(Offer.objects.filter(programme=programme).values_list("company", flat=True))
    engaged = (
        Engagement.objects.filter(programme=programme, stage__in=Stage.at_or_past(Stage.ASSESSED))
        .exclude(company__in=with_offer)
        .select_related("company")
        .order_by("company__name")
    )
    codes = list(capabilities)
    weights = [OFFER_WEIGHTS.get(code, 2) for code in codes]
    for engagement in engaged:
        company = engagement.company
        chosen = []
        for _ in range(rng.choice([1, 2, 2, 3])):
            code = rng.choices(codes, weights)[0]
            if code not in chosen:
                chosen.append(code)
        offer = Offer.objects.create(
            programme=programme,
            company=company,
            title=f"{capabilities[chosen[0]].name} — {company.name}",
            description=", ".join(capabilities[c].name for c in chosen),
        )
        offer.capabilities.set([capabilities[c] for c in chosen])


def _needs(programme, capabilities: dict, staff, specs) -> list:
    offered = {
        c.pk
        for c in Capability.objects.filter(programme=programme).annotate(n=Count("offers"))
        if c.n
    }
    needs = []
    for title, market, description, codes, countries, (low, high) in specs:
        need = ConsortiumNeed.objects.create(
            programme=programme,
            title=title,
            market=market,
            description=description,
            min_countries=countries,
            min_size=low,
            max_size=high,
            created_by=staff,
        )
        need.capabilities.set([capabilities[c] for c in codes if capabilities[c].pk in offered])
        needs.append(need)
    return needs


def _rules(programme, rng) -> None:
    """A few companies can join two consortia; a few pairs compete."""
    offering = list(
        Offer.objects.filter(programme=programme)
        .order_by("company__name")
        .values_list("company", flat=True)
        .distinct()
    )
    for company_id in rng.sample(offering, min(12, len(offering))):
        MemberCapacity.objects.get_or_create(
            programme=programme, company_id=company_id, defaults={"max_consortia": 2}
        )
    for _ in range(min(4, len(offering) // 2)):
        a, b = sorted(rng.sample(offering, 2))
        CompetitorPair.objects.get_or_create(programme=programme, first_id=a, second_id=b)


def _invite(programme, needs, staff, *, proposals=None, sme=None) -> None:
    """Invite the members of the first complete proposal (with the demo SME's company when it
    can join), and have every member of the second accept."""
    if proposals is None:
        proposals = Proposal.objects.filter(need__in=needs, rank=1).order_by("need__title")
    firsts = [p for p in proposals if workflows.explain(p).complete]
    if firsts and sme is not None:
        _include(firsts[0], sme.company)
    if firsts:
        proposal = firsts[0]
        workflows.invite(proposal, version=proposal.version)
        for member in proposal.members.exclude(company=getattr(sme, "company", None))[:1]:
            workflows.respond(member, accept=True, by=staff)
    if len(firsts) > 1:
        proposal = firsts[1]
        workflows.invite(proposal, version=proposal.version)
        for member in proposal.members.all():
            workflows.respond(member, accept=True, by=staff)


def _include(proposal, company) -> None:
    """Put `company` in the proposal, in place of a member whose capabilities others also
    cover if it is full; leave the proposal as it was if that breaks a rule."""
    if proposal.members.filter(company=company).exists():
        return
    candidates = [None] + [m.company for m in proposal.members.exclude(role=MemberRole.LEAD)]
    for replaced in candidates:
        if replaced is None and proposal.members.count() >= proposal.need.max_size:
            continue
        if replaced is not None:
            workflows.remove_member(proposal, replaced, version=proposal.version)
            proposal.refresh_from_db()
        workflows.add_member(proposal, company, version=proposal.version)
        proposal.refresh_from_db()
        if workflows.explain(proposal).complete:
            return
        workflows.remove_member(proposal, company, version=proposal.version)
        proposal.refresh_from_db()
        if replaced is not None:
            workflows.add_member(proposal, replaced, version=proposal.version)
            proposal.refresh_from_db()


def _profiles(programme, capabilities: dict, staff) -> None:
    """Joint-offer profiles for three of the consortia SME2GO formed: a need, the proposal
    they came from with roles, and the statement."""
    for consortium in Consortium.objects.filter(programme=programme).order_by("name")[:3]:
        members = list(consortium.members.order_by("name"))
        codes = set(
            Offer.objects.filter(programme=programme, company__in=members).values_list(
                "capabilities__code", flat=True
            )
        )
        need = ConsortiumNeed.objects.create(
            programme=programme,
            title=consortium.name,
            market=consortium.market,
            min_countries=2,
            min_size=min(2, len(members)),
            max_size=max(5, len(members)),
            created_by=staff,
            source="formed before the platform",
        )
        need.capabilities.set([capabilities[c] for c in sorted(codes) if c in capabilities][:4])
        proposal = Proposal.objects.create(
            need=need, status=ProposalStatus.FORMED, consortium=consortium, created_by=staff
        )
        ProposalMember.objects.bulk_create(
            ProposalMember(
                proposal=proposal,
                company=company,
                role=MemberRole.LEAD if index == 0 else MemberRole.MEMBER,
                response=Response.ACCEPTED,
                invited_at=proposal.created_at,
                responded_at=proposal.created_at,
            )
            for index, company in enumerate(members)
        )
        proposal.score = workflows.explain(proposal).score
        proposal.save(update_fields=["score"])
        consortium.need = need
        consortium.statement = workflows.joint_statement(proposal)
        consortium.save()


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    ConsortiumNeed.objects.filter(programme__in=programmes).delete()
    MemberCapacity.objects.filter(programme__in=programmes).delete()
    CompetitorPair.objects.filter(programme__in=programmes).delete()
    Consortium.objects.filter(programme__in=programmes).delete()
