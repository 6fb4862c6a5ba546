"""Matchmaking: opportunities, offers, ranked matches both ways, interests and feedback."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from metacluster.apiutils import (
    Country,
    Currency,
    Id,
    Input,
    IsoDate,
    ListQuery,
    Page,
    Patch,
    QueryBool,
    QueryId,
    Text,
    acting_partner,
    apply_edit,
    decimal_input,
    get_referenced,
    get_visible,
    integer,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.models import Company
from metacluster.programmes.models import Programme

from . import adapters
from .choices import Language, OpportunityKind, OpportunityStatus, Verdict, Visibility
from .models import Capability, Interest, Offer, Opportunity
from .workflows import express_interest, give_feedback

router = Router(tags=["matchmaking"])


class OpportunityOut(Schema):
    id: int
    programme_id: int
    partner_id: int
    kind: OpportunityKind
    title: str
    description: str
    country: str
    city: str
    buyer: str
    capabilities: list[str]
    nace_codes: list[str]
    cpv_codes: list[str]
    budget: Decimal | None
    currency: str
    deadline: date | None
    language: Language
    visibility: Visibility
    status: OpportunityStatus
    eligible_countries: list[str]
    max_employees: int | None
    is_open: bool
    version: int

    @staticmethod
    def resolve_capabilities(opportunity: Opportunity) -> list[str]:
        return [c.code for c in opportunity.capabilities.all()]


Budget = decimal_input(14, 2)
# The codes' shapes, as the models check them (metacluster.companies.models.NACE_CODE, CPV_CODE).
NaceCode = Annotated[str, StringConstraints(pattern=r"^([A-U]|\d{2}(\.\d{1,2})?)$")]
CpvCode = Annotated[str, StringConstraints(pattern=r"^\d{8}(-\d)?$")]


class OpportunityIn(Input):
    programme: Id
    partner: Id | None = Field(
        None, description="Organisation id of the publishing partner; yours by default."
    )
    kind: OpportunityKind = OpportunityKind.BUYER_REQUEST
    title: Text = Field(..., min_length=1, max_length=200)
    description: Text = Field(..., min_length=1, max_length=20_000)
    country: Country
    city: Text = Field("", max_length=100)
    buyer: Text = Field("", max_length=200)
    capabilities: list[str] = Field([], max_length=50, description="Taxonomy codes.")
    nace_codes: list[NaceCode] = Field([], max_length=50)
    cpv_codes: list[CpvCode] = Field([], max_length=50)
    budget: Budget | None = None
    currency: Currency = "EUR"
    deadline: IsoDate | None = None
    language: Language = Language.EN
    visibility: Visibility = Visibility.PROGRAMME
    status: OpportunityStatus = OpportunityStatus.PUBLISHED
    eligible_countries: list[Country] = Field([], max_length=300)
    max_employees: integer(ge=0, le=10_000_000) | None = None


class OpportunityPatch(Patch):
    kind: OpportunityKind = None
    title: Text = Field(None, min_length=1, max_length=200)
    description: Text = Field(None, min_length=1, max_length=20_000)
    country: Country = None
    city: Text = Field(None, max_length=100)
    buyer: Text = Field(None, max_length=200)
    capabilities: list[str] = Field(None, max_length=50)
    nace_codes: list[NaceCode] = Field(None, max_length=50)
    cpv_codes: list[CpvCode] = Field(None, max_length=50)
    budget: Budget | None = None
    currency: Currency = None
    deadline: IsoDate | None = None
    language: Language = None
    visibility: Visibility = None
    status: OpportunityStatus = None
    eligible_countries: list[Country] = Field(None, max_length=300)
    max_employees: integer(ge=0, le=10_000_000) | None = None


class OpportunityQuery(ListQuery):
    programme: QueryId | None = None
    open: QueryBool | None = Field(None, description="Only open (true) or only closed (false).")


CAPABILITY_RULE = "`capabilities`: codes of the programme's capability taxonomy."
OPPORTUNITY_RULES = (
    "`programme`: a programme in which you may record.",
    "`partner`: a partner of the programme; another partner than yours only for its managers.",
    CAPABILITY_RULE,
)
TAGS_RULE = "`tags`: each 1 to 50 characters and not blank."


def _capabilities(programme, codes: list[str]) -> list[Capability]:
    found = {c.code: c for c in Capability.objects.filter(programme=programme, code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            {
                "capabilities": _("Not in this programme's taxonomy: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return list(found.values())


def opportunities_for(user):
    return Opportunity.objects.visible_to(user).prefetch_related("capabilities")


@router.get("/opportunities", response=responses(Page[OpportunityOut]))
def list_opportunities(request, query: Query[OpportunityQuery]):
    """Opportunities you see (SME users: open ones of their programmes)."""
    items = opportunities_for(request.user)
    if query.programme is not None:
        items = items.filter(programme_id=query.programme)
    if query.open is True:
        items = items.filter(pk__in=Opportunity.objects.open().values("pk"))
    elif query.open is False:
        items = items.exclude(pk__in=Opportunity.objects.open().values("pk"))
    return paginate(items, query)


@router.get("/opportunities/{int:opportunity_id}", response=responses(OpportunityOut))
def get_opportunity(request, opportunity_id: Id):
    return get_visible(opportunities_for(request.user), opportunity_id, _("opportunity"))


@router.post(
    "/opportunities",
    response=responses(OpportunityOut, 201),
    openapi_extra=refused_when(*OPPORTUNITY_RULES),
)
def create_opportunity(request, payload: OpportunityIn):
    user = request.user
    programme = get_referenced(
        Programme.objects.visible_to(user), payload.programme, "programme", _("programme")
    )
    require(
        programme.is_recordable_by(user),
        _("Only advisors and programme managers of the programme publish opportunities."),
    )
    partner = acting_partner(request, programme, payload.partner, field="partner")
    capabilities = _capabilities(programme, payload.capabilities)
    data = payload.model_dump(exclude={"programme", "partner", "capabilities"})
    opportunity = Opportunity(programme=programme, partner=partner, created_by=user, **data)
    opportunity.full_clean()
    opportunity.save()
    opportunity.capabilities.set(capabilities)
    return Status(201, opportunities_for(user).get(pk=opportunity.pk))


@router.patch(
    "/opportunities/{int:opportunity_id}",
    response=responses(OpportunityOut),
    openapi_extra=refused_when(CAPABILITY_RULE),
)
def update_opportunity(request, opportunity_id: Id, payload: OpportunityPatch):
    """Change an opportunity; send the `version` you loaded (409 if someone saved since)."""
    opportunity = get_visible(opportunities_for(request.user), opportunity_id, _("opportunity"))
    require(
        Opportunity.objects.editable_by(request.user).filter(pk=opportunity.pk).exists(),
        _("Only its partner or a programme manager edits this opportunity."),
    )
    capabilities = None
    if payload.capabilities is not None:
        capabilities = _capabilities(opportunity.programme, payload.capabilities)
    apply_edit(opportunity, payload, exclude={"capabilities"})
    if capabilities is not None:
        opportunity.capabilities.set(capabilities)
    return opportunities_for(request.user).get(pk=opportunity.pk)


# --- Matches -----------------------------------------------------------------------------------


class MatchOut(Schema):
    score: float
    reasons: list[str]
    matched_terms: list[str]
    shared_capabilities: list[str]
    missing_capabilities: list[str]
    shared_sectors: list[str]
    components: dict[str, float]


class CompanyMatchOut(MatchOut):
    company_id: int
    company: str


class OpportunityMatchOut(MatchOut):
    opportunity_id: int
    opportunity: str


class CompanyMatchesOut(Schema):
    mode: str = Field(
        ..., description="hybrid, lexical, or closed: an opportunity not open matches nobody."
    )
    items: list[CompanyMatchOut]


class OpportunityMatchesOut(Schema):
    mode: str
    items: list[OpportunityMatchOut]


def _match(match) -> dict:
    e = match.explanation
    return {
        "score": round(match.score, 4),
        "reasons": e.reasons(),
        "matched_terms": list(e.matched_terms),
        "shared_capabilities": list(e.shared_capabilities),
        "missing_capabilities": list(e.missing_capabilities),
        "shared_sectors": list(e.shared_sectors),
        "components": e.components,
    }


@router.get("/opportunities/{int:opportunity_id}/matches", response=responses(CompanyMatchesOut))
def opportunity_matches(request, opportunity_id: Id):
    """The best-matching companies for an opportunity, each with its reasons (staff only)."""
    opportunity = get_visible(opportunities_for(request.user), opportunity_id, _("opportunity"))
    require(not request.user.is_sme, _("SME users see opportunities for their own company."))
    mode, ranked = adapters.companies_for(opportunity, viewer=request.user)
    visible = set(Company.objects.visible_to(request.user).values_list("pk", flat=True))
    items = [
        {"company_id": r.company.pk, "company": r.company.name, **_match(r.match)}
        for r in ranked
        if r.company.pk in visible
    ]
    return {"mode": mode, "items": items}


@router.get("/companies/{int:company_id}/matches", response=responses(OpportunityMatchesOut))
def company_matches(request, company_id: Id):
    """The best open opportunities for a company, each with its reasons."""
    company = get_visible(Company.objects.visible_to(request.user), company_id, _("company"))
    mode, ranked = adapters.opportunities_for(
        company, Opportunity.objects.visible_to(request.user), viewer=request.user
    )
    items = [
        {"opportunity_id": r.opportunity.pk, "opportunity": r.opportunity.title, **_match(r.match)}
        for r in ranked
    ]
    return {"mode": mode, "items": items}


# --- Offers ------------------------------------------------------------------------------------


class OfferOut(Schema):
    id: int
    programme_id: int
    company_id: int
    title: str
    description: str
    capabilities: list[str]
    tags: list[str]
    version: int

    @staticmethod
    def resolve_capabilities(offer: Offer) -> list[str]:
        return [c.code for c in offer.capabilities.all()]


class OfferIn(Input):
    programme: Id
    company: Id
    title: Text = Field(..., min_length=1, max_length=200)
    description: Text = Field("", max_length=20_000)
    capabilities: list[str] = Field([], max_length=50)
    tags: list[Text] = Field([], max_length=30)


class OfferPatch(Patch):
    title: Text = Field(None, min_length=1, max_length=200)
    description: Text = Field(None, max_length=20_000)
    capabilities: list[str] = Field(None, max_length=50)
    tags: list[Text] = Field(None, max_length=30)


class OfferQuery(ListQuery):
    programme: QueryId | None = None
    company: QueryId | None = None


def offers_for(user):
    return Offer.objects.visible_to(user).prefetch_related("capabilities")


def _check_tags(tags) -> None:
    if tags is not None and any(not t.strip() or len(t) > 50 for t in tags):
        raise ValidationError({"tags": _("Tags are 1 to 50 characters.")})


@router.get("/offers", response=responses(Page[OfferOut]))
def list_offers(request, query: Query[OfferQuery]):
    """Offers in your programmes (SME users: their own company's)."""
    items = offers_for(request.user)
    if query.programme is not None:
        items = items.filter(programme_id=query.programme)
    if query.company is not None:
        items = items.filter(company_id=query.company)
    return paginate(items, query)


@router.get("/offers/{int:offer_id}", response=responses(OfferOut))
def get_offer(request, offer_id: Id):
    return get_visible(offers_for(request.user), offer_id, _("offer"))


@router.post(
    "/offers",
    response=responses(OfferOut, 201),
    openapi_extra=refused_when(
        "`programme`: a programme you see.",
        "`company`: a company you may edit, taking part in the programme.",
        CAPABILITY_RULE,
        TAGS_RULE,
    ),
)
def create_offer(request, payload: OfferIn):
    user = request.user
    programme = get_referenced(
        Programme.objects.visible_to(user), payload.programme, "programme", _("programme")
    )
    company = get_referenced(
        Company.objects.editable_by(user).filter(engagements__programme=programme).distinct(),
        payload.company,
        "company",
        _("company"),
    )
    _check_tags(payload.tags)
    capabilities = _capabilities(programme, payload.capabilities)
    offer = Offer(
        programme=programme,
        company=company,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
    )
    offer.full_clean()
    offer.save()
    offer.capabilities.set(capabilities)
    return Status(201, offers_for(user).get(pk=offer.pk))


@router.patch(
    "/offers/{int:offer_id}",
    response=responses(OfferOut),
    openapi_extra=refused_when(CAPABILITY_RULE, TAGS_RULE),
)
def update_offer(request, offer_id: Id, payload: OfferPatch):
    """Change an offer; send the `version` you loaded (409 if someone saved since)."""
    offer = get_visible(offers_for(request.user), offer_id, _("offer"))
    require(
        Company.objects.editable_by(request.user).filter(pk=offer.company_id).exists(),
        _("You cannot edit this company's offers."),
    )
    _check_tags(payload.tags)
    capabilities = None
    if payload.capabilities is not None:
        capabilities = _capabilities(offer.programme, payload.capabilities)
    apply_edit(offer, payload, exclude={"capabilities"})
    if capabilities is not None:
        offer.capabilities.set(capabilities)
    return offers_for(request.user).get(pk=offer.pk)


# --- Interests and feedback ----------------------------------------------------------------------


class InterestOut(Schema):
    id: int
    opportunity_id: int
    company_id: int
    message: str
    deal_id: int | None
    created_at: datetime


class InterestIn(Input):
    company: Id | None = Field(
        None, description="The company; an SME user's own by default (and only that)."
    )
    message: Text = Field("", max_length=5000)


class InterestQuery(ListQuery):
    opportunity: QueryId | None = None
    company: QueryId | None = None


class FeedbackIn(Input):
    company: Id | None = Field(None, description="An SME user's own company by default.")
    verdict: Verdict
    note: Text = Field("", max_length=300)


class FeedbackOut(Schema):
    opportunity_id: int
    company_id: int
    verdict: Verdict
    note: str


@router.get("/interests", response=responses(Page[InterestOut]))
def list_interests(request, query: Query[InterestQuery]):
    """Expressions of interest you see (SME users: their own company's)."""
    items = Interest.objects.visible_to(request.user)
    if query.opportunity is not None:
        items = items.filter(opportunity_id=query.opportunity)
    if query.company is not None:
        items = items.filter(company_id=query.company)
    return paginate(items, query)


def _acting_company(request, opportunity, company_id):
    user = request.user
    if user.is_sme:
        if company_id not in (None, user.company_id):
            raise ValidationError({"company": _("SME users act for their own company.")})
        return user.company
    require(
        opportunity.programme.is_recordable_by(user),
        _("Only advisors and programme managers act on matches."),
    )
    if company_id is None:
        raise ValidationError({"company": _("Say which company.")})
    return get_referenced(
        adapters.candidates(opportunity).filter(
            pk__in=Company.objects.visible_to(user).values("pk")
        ),
        company_id,
        "company",
        _("company"),
    )


@router.post(
    "/opportunities/{int:opportunity_id}/interests",
    response=responses(InterestOut, 201),
    openapi_extra=refused_when(
        "`company`: takes part in the programme and has not expressed interest yet; the "
        "opportunity is open."
    ),
)
def create_interest(request, opportunity_id: Id, payload: InterestIn):
    """Express interest in an opportunity; this opens a lead in the deals pipeline."""
    opportunity = get_visible(opportunities_for(request.user), opportunity_id, _("opportunity"))
    company = _acting_company(request, opportunity, payload.company)
    try:
        interest = express_interest(opportunity, company, by=request.user, message=payload.message)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"company": error.messages}) from None
    return Status(201, interest)


@router.post(
    "/opportunities/{int:opportunity_id}/feedback",
    response=responses(FeedbackOut),
    openapi_extra=refused_when("`company`: a company the opportunity can be shown to."),
)
def post_feedback(request, opportunity_id: Id, payload: FeedbackIn):
    """Judge a match relevant or not relevant; stored for evaluating the ranking."""
    opportunity = get_visible(opportunities_for(request.user), opportunity_id, _("opportunity"))
    company = _acting_company(request, opportunity, payload.company)
    return give_feedback(opportunity, company, payload.verdict, by=request.user, note=payload.note)
