"""Consortium formation, step by step: propose, edit, invite, answer, form, offer jointly.

Each step is a small function that checks its own rule and saves atomically; views and the
API call them after checking who may act.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metacluster.core.consortia import form_consortia, make_proposal, suggest
from metacluster.versioning import StaleEdit

from .adapters import inputs_for
from .choices import MemberRole, ProposalStatus, Response
from .models import Consortium, ConsortiumNeed, Proposal, ProposalMember

# An advisor waits for an answer: one need is solved within a second, a batch within this.
SUGGEST_SECONDS = 0.6
BATCH_SECONDS = 10.0


@dataclass
class Explanation:
    """Who covers what in a proposal, what is missing, and which rules it breaks."""

    covers: list  # (capability, [companies])
    missing: list  # capabilities
    problems: list  # human-readable rule violations
    countries: list
    score: float

    @property
    def complete(self) -> bool:
        return not self.problems


def explain(proposal: Proposal) -> Explanation:
    need = proposal.need
    members = [m.company for m in proposal.members.select_related("company")]
    inputs = inputs_for(need.programme, [need], extra_companies=members, only=members)
    instance = inputs.instance
    core = instance.needs[0]
    ids = [m.pk for m in members]
    result = make_proposal(instance, core, ids)
    problems = _problems(instance, core, ids, {pk: c.name for pk, c in inputs.companies.items()})
    return Explanation(
        covers=[
            (inputs.capabilities[cap], [inputs.companies[m] for m in result.covers.get(cap, [])])
            for cap in sorted(core.capabilities, key=lambda c: inputs.capabilities[c].name)
        ],
        missing=[inputs.capabilities[cap] for cap in result.missing],
        problems=problems,
        countries=result.countries,
        score=result.score,
    )


def _problems(instance, need, ids, names: dict) -> list[str]:
    problems = []
    count = len(ids)
    if not need.min_size <= count <= need.max_size:
        problems.append(
            ngettext(
                "%(count)s member; this need asks for %(low)s to %(high)s.",
                "%(count)s members; this need asks for %(low)s to %(high)s.",
                count,
            )
            % {"count": count, "low": need.min_size, "high": need.max_size}
        )
    countries = {instance.company(m).country for m in ids}
    if len(countries) < need.min_countries:
        problems.append(
            ngettext(
                "Members from %(count)s country; at least %(least)s are required.",
                "Members from %(count)s countries; at least %(least)s are required.",
                len(countries),
            )
            % {"count": len(countries), "least": need.min_countries}
        )
    if instance.missing(need, ids):
        problems.append(_("Not every required capability is covered."))
    if not need.allow_competitors:
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if instance.compete(a, b):
                    problems.append(
                        _("%(a)s and %(b)s are competitors.") % {"a": names[a], "b": names[b]}
                    )
    return problems


def propose(
    need: ConsortiumNeed, *, by=None, alternatives: int = 3, seconds: float = SUGGEST_SECONDS
) -> list[Proposal]:
    """Replace the need's open proposals (nobody invited yet) with fresh ones, best first.
    Proposals already under way (invited, agreed, formed) are kept as they are."""
    inputs = inputs_for(need.programme, [need], alternatives=alternatives)
    found = suggest(inputs.instance, need.pk, alternatives=alternatives, time_limit=seconds)
    return _store(need, found, by=by)


def form_batch(programme, needs, *, by=None, alternatives: int = 2, seconds: float = BATCH_SECONDS):
    """Proposals for many needs at once: most needs covered, then quality, every company
    within its capacity across the needs. Returns the optimiser's stats."""
    needs = list(needs)
    inputs = inputs_for(programme, needs, alternatives=alternatives)
    result = form_consortia(inputs.instance, time_limit=seconds)
    with transaction.atomic():
        for need in needs:
            _store(need, [p for p in result.consortia if p.need == need.pk], by=by)
    return result.stats


def _store(need: ConsortiumNeed, found, *, by=None) -> list[Proposal]:
    with transaction.atomic():
        need.proposals.filter(status=ProposalStatus.PROPOSED).delete()
        taken = set(need.proposals.values_list("rank", flat=True))
        rank = max(taken, default=0)
        created = []
        for result in found:
            if not result.complete and created:
                continue
            rank += 1
            proposal = Proposal.objects.create(
                need=need,
                rank=rank,
                score=result.score if result.complete else 0.0,
                optimal=result.optimal,
                created_by=by,
            )
            ProposalMember.objects.bulk_create(
                ProposalMember(
                    proposal=proposal,
                    company_id=member,
                    role=MemberRole.LEAD if member == result.lead else MemberRole.MEMBER,
                )
                for member in result.members
            )
            created.append(proposal)
    return created


def _check_open(proposal: Proposal, version: int) -> None:
    if proposal.version != version:
        raise StaleEdit(_("Someone else changed this proposal; reload it and try again."))
    if not proposal.is_open:
        raise ValidationError(_("Members can be changed only before anyone is invited."))


def _touch(proposal: Proposal, version: int) -> None:
    """A new version of the proposal, with its score recomputed."""
    proposal.edited = True
    proposal.optimal = False
    proposal.score = explain(proposal).score
    proposal.save_versioned(version)


def add_member(proposal: Proposal, company, *, version: int) -> Proposal:
    with transaction.atomic():
        _check_open(proposal, version)
        if proposal.members.filter(company=company).exists():
            raise ValidationError({"company": _("This company is already a member.")})
        if proposal.members.count() >= 20:
            raise ValidationError({"company": _("A consortium has at most 20 members.")})
        ProposalMember.objects.create(proposal=proposal, company=company)
        _touch(proposal, version)
    return proposal


def remove_member(proposal: Proposal, company, *, version: int) -> Proposal:
    with transaction.atomic():
        _check_open(proposal, version)
        deleted, _rows = proposal.members.filter(company=company).delete()
        if not deleted:
            raise ValidationError({"company": _("This company is not a member.")})
        _touch(proposal, version)
    return proposal


def set_lead(proposal: Proposal, company, *, version: int) -> Proposal:
    with transaction.atomic():
        _check_open(proposal, version)
        if not proposal.members.filter(company=company).exists():
            raise ValidationError({"company": _("Only a member can lead.")})
        proposal.members.update(role=MemberRole.MEMBER)
        proposal.members.filter(company=company).update(role=MemberRole.LEAD)
        proposal.edited = True
        proposal.save_versioned(version)
    return proposal


def invite(proposal: Proposal, *, version: int) -> Proposal:
    """Invite every member; from now on the members are fixed and each answers."""
    with transaction.atomic():
        _check_open(proposal, version)
        problems = explain(proposal).problems
        if problems:
            raise ValidationError(
                _("Fix the proposal before inviting: %(problems)s")
                % {"problems": " ".join(problems)}
            )
        proposal.members.update(response=Response.PENDING, invited_at=timezone.now())
        proposal.status = ProposalStatus.INVITED
        proposal.save_versioned(version)
    return proposal


def respond(member: ProposalMember, *, accept: bool, by) -> ProposalMember:
    """Record a member's answer; when every member has accepted, the proposal is agreed."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=member.proposal_id)
        if proposal.status not in (ProposalStatus.INVITED, ProposalStatus.AGREED):
            raise ValidationError(_("This proposal is not waiting for answers."))
        member.response = Response.ACCEPTED if accept else Response.DECLINED
        member.responded_at = timezone.now()
        member.responded_by = by
        member.save()
        status = ProposalStatus.AGREED if proposal.all_accepted else ProposalStatus.INVITED
        if status != proposal.status:
            proposal.status = status
            proposal.save_versioned(proposal.version)
    return member


def discard(proposal: Proposal, *, version: int) -> Proposal:
    with transaction.atomic():
        if proposal.version != version:
            raise StaleEdit(_("Someone else changed this proposal; reload it and try again."))
        if proposal.status == ProposalStatus.FORMED:
            raise ValidationError(_("A formed consortium's proposal cannot be discarded."))
        proposal.status = ProposalStatus.DISCARDED
        proposal.save_versioned(version)
    return proposal


def form_consortium(proposal: Proposal, *, coordinator, name: str = "", version: int) -> Consortium:
    """Turn an agreed proposal into a formed consortium with its joint capability statement.
    The consortium counts in the programme's `consortia` indicators from then on."""
    need = proposal.need
    with transaction.atomic():
        if proposal.version != version:
            raise StaleEdit(_("Someone else changed this proposal; reload it and try again."))
        if proposal.status != ProposalStatus.AGREED:
            raise ValidationError(_("Every member must accept before the consortium is formed."))
        if not need.programme.has_partner(coordinator.pk):
            raise ValidationError(_("The coordinator must be a partner of the programme."))
        name = (name or "").strip() or need.title
        if Consortium.objects.filter(programme=need.programme, name=name).exists():
            raise ValidationError({"name": _("The programme already has a consortium so named.")})
        members = [m.company for m in proposal.members.select_related("company")]
        consortium = Consortium.objects.create(
            programme=need.programme,
            name=name[:200],
            market=need.market,
            coordinator=coordinator,
            need=need,
            statement=joint_statement(proposal),
        )
        consortium.members.set(members)
        proposal.consortium = consortium
        proposal.status = ProposalStatus.FORMED
        proposal.save_versioned(version)
    return consortium


def joint_statement(proposal: Proposal) -> str:
    """A first draft of the joint capability statement, which the advisor then edits."""
    explanation = explain(proposal)
    members = list(proposal.members.select_related("company"))
    names = ", ".join(f"{m.company.name} ({m.company.country})" for m in members)
    lines = [
        _("%(need)s: a joint offer by %(members)s.")
        % {"need": proposal.need.title, "members": names}
    ]
    for capability, companies in explanation.covers:
        if companies:
            lines.append(
                _("%(capability)s: %(companies)s.")
                % {
                    "capability": capability.translated("name"),
                    "companies": ", ".join(c.name for c in companies),
                }
            )
    return "\n".join(lines)


def joint_offer(consortium: Consortium) -> dict:
    """The consortium as one matchable party: a plain document with the same vocabulary as
    an offer (programme, title, description, capability codes), its members with their roles
    and countries, for matchmaking and events to treat like a single company's profile."""
    roles = {}
    proposal = Proposal.objects.filter(consortium=consortium).first()
    if proposal is not None:
        roles = dict(proposal.members.values_list("company_id", "role"))
    members = list(consortium.members.order_by("name"))
    capabilities = {}
    by_company: dict = {m.pk: [] for m in members}
    from metacluster.matchmaking.models import Offer

    offers = Offer.objects.filter(
        programme=consortium.programme, company__in=members
    ).prefetch_related("capabilities")
    for offer in offers:
        for capability in offer.capabilities.all():
            capabilities[capability.code] = capability.name
            if capability.code not in by_company[offer.company_id]:
                by_company[offer.company_id].append(capability.code)
    return {
        "kind": "consortium",
        "id": consortium.pk,
        "programme": consortium.programme.acronym,
        "title": consortium.name,
        "description": consortium.statement,
        "market": consortium.market,
        "capabilities": sorted(capabilities),
        "countries": sorted({m.country for m in members}),
        "members": [
            {
                "company": m.pk,
                "name": m.name,
                "country": m.country,
                "role": roles.get(m.pk, MemberRole.MEMBER),
                "capabilities": sorted(by_company[m.pk]),
            }
            for m in members
        ],
    }


def need_from_opportunity(opportunity, *, by=None, **rules) -> ConsortiumNeed:
    """A need made of a matchmaking opportunity: its programme, title, market and required
    capabilities (`required_capabilities`, else `capabilities`). `rules` sets min_countries,
    min_size, max_size or allow_competitors."""
    capabilities = getattr(opportunity, "required_capabilities", None)
    if capabilities is None:
        capabilities = opportunity.capabilities
    with transaction.atomic():
        need = ConsortiumNeed(
            programme=opportunity.programme,
            title=str(getattr(opportunity, "title", opportunity))[:200],
            market=getattr(opportunity, "market", "") or "",
            description=getattr(opportunity, "description", "") or "",
            source=f"opportunity:{opportunity.pk}",
            created_by=by,
            **rules,
        )
        need.full_clean()
        need.save()
        need.capabilities.set(capabilities.all())
    return need
