"""Consortia: companies that make a joint offer to a target market."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from metacluster.apiutils import (
    Country,
    CountryFilter,
    Id,
    Input,
    ListQuery,
    Page,
    Patch,
    QueryId,
    Text,
    apply_edit,
    get_referenced,
    get_visible,
    integer,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.models import Company
from metacluster.matchmaking.models import Capability
from metacluster.programmes.models import Programme

from . import workflows
from .choices import MemberRole, ProposalStatus, Response
from .models import Consortium, ConsortiumNeed, Proposal, ProposalMember

router = Router(tags=["consortia"])


class MemberOut(Schema):
    id: int
    name: str
    country: str


class ConsortiumOut(Schema):
    id: int
    programme_id: int
    name: str
    market: str
    coordinator_id: int
    coordinator: str
    formed_on: date
    members: list[MemberOut]

    @staticmethod
    def resolve_coordinator(consortium: Consortium) -> str:
        return consortium.coordinator.name

    @staticmethod
    def resolve_members(consortium: Consortium) -> list:
        return list(consortium.members.all())


class ConsortiumQuery(ListQuery):
    programme: QueryId | None = None
    market: CountryFilter | None = None


def consortia_for(user):
    members = Company.objects.only("id", "name", "country").order_by("name")
    return (
        Consortium.objects.visible_to(user)
        .select_related("coordinator")
        .prefetch_related(Prefetch("members", queryset=members))
    )


@router.get("/consortia", response=responses(Page[ConsortiumOut]))
def list_consortia(request, query: Query[ConsortiumQuery]):
    """Consortia in your programmes with their members (SME users: those their company is in)."""
    consortia = consortia_for(request.user)
    if query.programme:
        consortia = consortia.filter(programme_id=query.programme)
    if query.market:
        consortia = consortia.filter(market=query.market.upper())
    return paginate(consortia, query)


@router.get("/consortia/{int:consortium_id}", response=responses(ConsortiumOut))
def get_consortium(request, consortium_id: Id):
    return get_visible(consortia_for(request.user), consortium_id, _("consortium"))


@router.get("/consortia/{int:consortium_id}/joint-offer", response=responses(dict))
def get_joint_offer(request, consortium_id: Id):
    """The consortium as one matchable party: members with roles, joint capabilities and the
    joint capability statement."""
    consortium = get_visible(consortia_for(request.user), consortium_id, _("consortium"))
    return workflows.joint_offer(consortium)


# --- Needs -------------------------------------------------------------------------------------


class CapabilityOut(Schema):
    id: int
    code: str
    name: str


class NeedOut(Schema):
    id: int
    programme_id: int
    title: str
    market: str
    description: str
    capabilities: list[CapabilityOut]
    min_countries: int
    min_size: int
    max_size: int
    allow_competitors: bool
    source: str
    version: int

    @staticmethod
    def resolve_capabilities(need: ConsortiumNeed) -> list:
        return list(need.capabilities.all())


class NeedQuery(ListQuery):
    programme: QueryId | None = None


def needs_for(user):
    return ConsortiumNeed.objects.visible_to(user).prefetch_related("capabilities")


@router.get("/consortia/needs", response=responses(Page[NeedOut]))
def list_needs(request, query: Query[NeedQuery]):
    """Needs in your programmes (SME users: those they are invited to a proposal for)."""
    needs = needs_for(request.user)
    if query.programme:
        needs = needs.filter(programme_id=query.programme)
    return paginate(needs, query)


@router.get("/consortia/needs/{int:need_id}", response=responses(NeedOut))
def get_need(request, need_id: Id):
    return get_visible(needs_for(request.user), need_id, _("need"))


NEED_RULES = (
    "`capabilities`: capabilities of the need's programme.",
    "`min_size`: at most `max_size`.",
    "`min_countries`: at most `max_size`.",
)


class NeedFields(Input):
    title: Text = Field(..., min_length=1, max_length=200)
    market: Country | None = None
    description: Text = ""
    capabilities: list[Id] = Field(..., min_length=1, max_length=50)
    min_countries: integer(ge=1, le=20) = 2
    min_size: integer(ge=1, le=20) = 2
    max_size: integer(ge=1, le=20) = 5
    allow_competitors: StrictBool = False
    source: Text = Field("", max_length=100)


class NeedIn(NeedFields):
    programme: Id


class NeedPatch(Patch):
    title: Text = Field(None, min_length=1, max_length=200)
    market: Country | None = None
    description: Text = None
    capabilities: list[Id] = Field(None, min_length=1, max_length=50)
    min_countries: integer(ge=1, le=20) = None
    min_size: integer(ge=1, le=20) = None
    max_size: integer(ge=1, le=20) = None
    allow_competitors: StrictBool = None
    source: Text = Field(None, max_length=100)


def _capabilities(programme, ids: list[int]) -> list[Capability]:
    """The capabilities named by `ids`, all of `programme`; else a 400 on `capabilities`."""
    found = list(Capability.objects.filter(programme=programme, pk__in=ids))
    if len(found) != len(set(ids)):
        raise DjangoValidationError(
            {"capabilities": _("Choose capabilities of the need's programme.")}
        )
    return found


def _recording_needs(request, programme) -> None:
    require(
        programme.is_recordable_by(request.user),
        _("Only the programme's advisors and managers define consortium needs."),
    )


@router.post(
    "/consortia/needs",
    response=responses(NeedOut, 201),
    openapi_extra=refused_when("`programme`: a programme you see.", *NEED_RULES),
)
def create_need(request, payload: NeedIn):
    """Define what a joint offer must provide, e.g. a city's smart-city package."""
    programme = get_referenced(
        Programme.objects.visible_to(request.user), payload.programme, "programme", _("programme")
    )
    _recording_needs(request, programme)
    capabilities = _capabilities(programme, payload.capabilities)
    data = payload.model_dump(exclude={"programme", "capabilities"})
    data["market"] = data["market"] or ""
    need = ConsortiumNeed(programme=programme, created_by=request.user, **data)
    need.full_clean()
    with transaction.atomic():
        need.save()
        need.capabilities.set(capabilities)
    return Status(201, needs_for(request.user).get(pk=need.pk))


@router.patch(
    "/consortia/needs/{int:need_id}",
    response=responses(NeedOut),
    openapi_extra=refused_when(*NEED_RULES),
)
def update_need(request, need_id: Id, payload: NeedPatch):
    """Change a need; send the `version` you loaded (409 if someone else saved since)."""
    need = get_visible(needs_for(request.user), need_id, _("need"))
    _recording_needs(request, need.programme)
    capabilities = None
    if payload.capabilities is not None:
        capabilities = _capabilities(need.programme, payload.capabilities)
    if "market" in payload.model_fields_set and payload.market is None:
        payload.market = ""
    with transaction.atomic():
        apply_edit(need, payload, exclude={"capabilities"})
        if capabilities is not None:
            need.capabilities.set(capabilities)
    return needs_for(request.user).get(pk=need.pk)


# --- Proposals ---------------------------------------------------------------------------------


class ProposalMemberOut(Schema):
    company_id: int
    company: str
    country: str
    role: MemberRole
    response: Response

    @staticmethod
    def resolve_company(member: ProposalMember) -> str:
        return member.company.name

    @staticmethod
    def resolve_country(member: ProposalMember) -> str:
        return member.company.country


class CoverOut(Schema):
    capability: str
    companies: list[int]


class ProposalOut(Schema):
    id: int
    need_id: int
    rank: int
    status: ProposalStatus
    score: float
    optimal: bool
    edited: bool
    consortium_id: int | None
    version: int
    members: list[ProposalMemberOut]
    covers: list[CoverOut]
    missing: list[str]
    problems: list[str]

    @staticmethod
    def resolve_members(proposal: Proposal) -> list:
        return list(proposal.members.select_related("company"))


def _with_explanation(proposal: Proposal) -> Proposal:
    explanation = workflows.explain(proposal)
    proposal.covers = [
        {"capability": cap.code, "companies": [c.pk for c in who]}
        for cap, who in explanation.covers
    ]
    proposal.missing = [cap.code for cap in explanation.missing]
    proposal.problems = [str(p) for p in explanation.problems]
    return proposal


class ProposalQuery(ListQuery):
    need: QueryId | None = None


class ProposeIn(Input):
    alternatives: integer(ge=1, le=5) = Field(3, description="How many distinct proposals.")


def proposals_for(user):
    return Proposal.objects.visible_to(user).select_related("need")


@router.get("/consortia/proposals", response=responses(Page[ProposalOut]))
def list_proposals(request, query: Query[ProposalQuery]):
    """Proposals with who covers what (SME users: those they are invited to)."""
    proposals = proposals_for(request.user)
    if query.need:
        proposals = proposals.filter(need_id=query.need)
    page = paginate(proposals, query)
    page["items"] = [_with_explanation(p) for p in page["items"]]
    return page


@router.get("/consortia/proposals/{int:proposal_id}", response=responses(ProposalOut))
def get_proposal(request, proposal_id: Id):
    proposal = get_visible(proposals_for(request.user), proposal_id, _("proposal"))
    return _with_explanation(proposal)


@router.post(
    "/consortia/needs/{int:need_id}/proposals",
    response=responses(list[ProposalOut], 201),
    openapi_extra=refused_when("`need`: one with required capabilities."),
)
def propose(request, need_id: Id, payload: ProposeIn):
    """Replace the need's open proposals with fresh ones from the optimiser, best first
    (proposals whose members have been invited are kept)."""
    need = get_visible(needs_for(request.user), need_id, _("need"))
    require(
        need.programme.is_recordable_by(request.user),
        _("Only the programme's advisors and managers form consortia."),
    )
    if not need.capabilities.exists():
        raise DjangoValidationError(_("The need requires no capabilities."))
    created = workflows.propose(need, by=request.user, alternatives=payload.alternatives)
    return Status(201, [_with_explanation(p) for p in created])
