"""Companies, their contacts and notes, and their engagements in programmes."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, field_validator

from metacluster.apiutils import (
    Country,
    Id,
    Input,
    ListQuery,
    Moment,
    Page,
    Patch,
    QueryBool,
    Text,
    apply_edit,
    decimal_input,
    get_referenced,
    get_visible,
    integer,
    paginate,
    refused_when,
    require,
    responses,
    stale,
)
from metacluster.programmes.models import Programme

from .choices import CompanyKind, LawfulBasis, RegisterStatus, Stage
from .filters import CompanyFilterSet
from .listing import COUNT_CAP, SIZE_BANDS, SORTS, capped_count
from .models import Company, Contact, Engagement, Note, engage

router = Router(tags=["companies"])


# --- Schemas -----------------------------------------------------------------------------------


class CompanyOut(Schema):
    id: int
    name: str
    kind: CompanyKind
    country: str
    town: str
    registry_code: str
    vat_number: str
    nace_codes: list[str]
    employees: int | None
    turnover: Decimal | None
    founded_year: int | None
    website: str
    description: str
    legal_form: str
    register_status: Literal[tuple(["", *RegisterStatus.values])]
    address: str
    postcode: str
    source: str
    turnover_previous: Decimal | None
    merged_into_id: int | None = Field(
        ..., description="Set when this record was merged into another one as a duplicate."
    )
    size_class: Literal["", "micro", "small", "medium", "large"] = Field(
        ..., description="EU SME size class by head count; empty when not known."
    )
    owner_id: int | None = Field(..., description="The organisation that added the company.")
    owner: str | None
    created_at: datetime
    version: int

    @staticmethod
    def resolve_owner(company: Company) -> str | None:
        return company.owner.name if company.owner else None


class EngagementOut(Schema):
    id: int
    programme_id: int
    programme: str
    company_id: int
    company: str
    partner_id: int
    partner: str
    stage: Stage
    stage_changed_at: datetime
    created_at: datetime
    version: int

    @staticmethod
    def resolve_programme(engagement: Engagement) -> str:
        return engagement.programme.name

    @staticmethod
    def resolve_company(engagement: Engagement) -> str:
        return engagement.company.name

    @staticmethod
    def resolve_partner(engagement: Engagement) -> str:
        return engagement.partner.name


class CompanyDetailOut(CompanyOut):
    engagements: list[EngagementOut]
    can_edit: bool

    @staticmethod
    def resolve_engagements(company: Company) -> list[Engagement]:
        return company._visible_engagements


# What the models check on these fields, as patterns the schema can state. Each pattern accepts
# a subset of what the model's validator accepts, so a value that matches is never refused.
NACE_CODE = r"^([A-U]|[0-9]{2}(\.[0-9]{1,2})?)$"
# The model removes spaces and capitalises before checking ^[A-Z]{2}[0-9A-Z+*.]{2,13}$.
VAT_NUMBER = r"^$|^( *[A-Za-z]){2}( *[0-9A-Za-z+*.]){2,13} *$"
# Django's URLValidator accepts more (other schemes, IP addresses, international names).
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
WEBSITE = rf"^$|^https?://{_LABEL}(\.{_LABEL})*\.[A-Za-z]{{2,63}}(:[0-9]{{1,5}})?([/?#][!-~]*)?$"
# Django's EmailValidator accepts more (quoted local parts, IP address literals).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
EMAIL = rf"^$|^{_ATOM}(\.{_ATOM})*@({_LABEL}\.)+[A-Za-z]{{2,63}}$"
FIRST_FOUNDED_YEAR = 1800

Turnover = decimal_input(16, 2)
FoundedYear = integer(
    ge=FIRST_FOUNDED_YEAR,
    description="Not after the current year.",
    # The current year, read whenever the document is generated (each time it is served).
    json_schema_extra=lambda schema: schema.update(maximum=timezone.now().year),
)
Employees = integer(ge=0, le=10_000_000)


class CompanyFields(Input):
    @field_validator("founded_year", check_fields=False)
    @classmethod
    def _not_in_the_future(cls, value: int | None) -> int | None:
        # As Company.clean, which reads the year in UTC.
        if value is not None and value > timezone.now().year:
            raise ValueError(_("The founding year cannot be in the future."))
        return value


class CompanyIn(CompanyFields):
    name: Text = Field(..., min_length=1, max_length=200)
    kind: CompanyKind = CompanyKind.SME
    country: Country
    town: Text = Field("", max_length=100)
    registry_code: Text = Field("", max_length=30)
    vat_number: str = Field("", max_length=16, pattern=VAT_NUMBER, examples=["SE556000000001"])
    nace_codes: list[Annotated[str, Field(pattern=NACE_CODE)]] = Field(
        default_factory=list, max_length=100, examples=[["62.01"]]
    )
    employees: Employees | None = None
    turnover: Turnover | None = None
    founded_year: FoundedYear | None = None
    website: str = Field("", max_length=200, pattern=WEBSITE)
    description: Text = Field("", max_length=20_000)
    programme: Id | None = Field(
        None,
        description="Engage the company in this programme, with your organisation as the "
        "responsible partner.",
    )


class CompanyPatch(CompanyFields, Patch):
    name: Text = Field(None, min_length=1, max_length=200)
    kind: CompanyKind = None
    country: Country = None
    town: Text = Field(None, max_length=100)
    registry_code: Text = Field(None, max_length=30)
    vat_number: str = Field(None, max_length=16, pattern=VAT_NUMBER)
    nace_codes: list[Annotated[str, Field(pattern=NACE_CODE)]] = Field(None, max_length=100)
    employees: Employees | None = None
    turnover: Turnover | None = None
    founded_year: FoundedYear | None = None
    website: str = Field(None, max_length=200, pattern=WEBSITE)
    description: Text = Field(None, max_length=20_000)


class CompanyQuery(ListQuery):
    """The list's filters, documented here and validated by `filters.CompanyFilterSet`, the
    definition the company list page uses too: a value it cannot apply answers 400 with the
    parameter in `fields`."""

    q: str | None = Field(
        None,
        max_length=200,
        description="Every word starts a word of the name, town, registry code, VAT number or "
        "description (case and accents ignored); companies whose name matches come first.",
    )
    country: str | None = Field(None, description="A country's name or ISO code.")
    kind: str | None = Field(None, description=f"One of {', '.join(CompanyKind.values)}.")
    nace: str | None = Field(
        None,
        description="Main NACE code under this NACE Rev. 2 division, group or class, e.g. 62.",
    )
    size: str | None = Field(
        None, description=f"EU size class by head count ({', '.join(SIZE_BANDS)}); sme = under 250."
    )
    status: str | None = Field(
        None, description=f"Register status: {', '.join(RegisterStatus.values)}."
    )
    sort: str | None = Field(None, description=f"One of {', '.join(SORTS)}; name by default.")
    merged: QueryBool = Field(False, description="Include records merged into another one.")
    programme: str | None = Field(
        None, description="Engaged in this programme (its id or acronym)."
    )
    stage: str | None = Field(
        None, description=f"Engagement stage (in `programme` if given): {', '.join(Stage.values)}."
    )


class ContactOut(Schema):
    id: int
    company_id: int
    name: str
    job_title: str
    email: str
    phone: str
    lawful_basis: LawfulBasis
    consent_given_at: datetime | None
    consent_withdrawn_at: datetime | None


class ContactIn(Input):
    name: Text = Field(..., min_length=1, max_length=200)
    job_title: Text = Field("", max_length=200)
    email: str = Field("", max_length=254, pattern=EMAIL)
    phone: Text = Field("", max_length=40)
    lawful_basis: LawfulBasis
    consent_given_at: Moment | None = Field(None, description="Required with consent.")
    consent_withdrawn_at: Moment | None = None


class NoteOut(Schema):
    id: int
    company_id: int
    organisation_id: int
    organisation: str
    author: str | None
    text: str
    private: bool
    created_at: datetime

    @staticmethod
    def resolve_organisation(note: Note) -> str:
        return note.organisation.name

    @staticmethod
    def resolve_author(note: Note) -> str | None:
        return (note.author.get_full_name() or note.author.username) if note.author else None


class NoteIn(Input):
    text: Text = Field(..., min_length=1, max_length=20_000)
    private: StrictBool = Field(True, description="Only your organisation can read a private note.")


class StageIn(Input):
    stage: Stage
    note: Text = Field("", max_length=300)
    version: Id | None = Field(
        None, description="The version you loaded; 409 if it has changed since."
    )


class StageChangeOut(Schema):
    id: int
    from_stage: Literal[tuple(["", *Stage.values])] = Field(
        ..., description="Empty for the first stage."
    )
    to_stage: Stage
    changed_by_id: int | None
    changed_by: str | None
    changed_at: datetime
    note: str

    @staticmethod
    def resolve_changed_by(change) -> str | None:
        user = change.changed_by
        return (user.get_full_name() or user.username) if user else None


# --- Helpers -----------------------------------------------------------------------------------


def visible_company(request, company_id: int) -> Company:
    return get_visible(Company.objects.visible_to(request.user), company_id, _("company"))


def editable_company(request, company_id: int) -> Company:
    company = visible_company(request, company_id)
    require(
        Company.objects.editable_by(request.user).filter(pk=company.pk).exists(),
        _("You may not change this company."),
    )
    return company


def check_registry_code(company: Company) -> None:
    # The database allows one company per registry code and country; say so on the field
    # rather than with the constraint's generic message.
    if not company.registry_code:
        return
    taken = Company.objects.filter(country=company.country, registry_code=company.registry_code)
    if taken.exclude(pk=company.pk).exists():
        raise ValidationError(
            {"registry_code": _("A company with this registry code exists in this country.")}
        )


def company_detail(request, company: Company) -> Company:
    """The company with what CompanyDetailOut adds: only the engagements the user may see
    (not every programme the company takes part in), and whether the user may edit it."""
    company._visible_engagements = list(
        Engagement.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("programme", "company", "partner")
    )
    company.can_edit = Company.objects.editable_by(request.user).filter(pk=company.pk).exists()
    return company


def visible_engagement(request, engagement_id: int) -> Engagement:
    return get_visible(
        Engagement.objects.visible_to(request.user).select_related(
            "programme", "company", "partner"
        ),
        engagement_id,
        _("engagement"),
    )


# --- Companies ---------------------------------------------------------------------------------


class CompanyPage(Schema):
    count: int = Field(
        ...,
        description=f"Matching companies, counted up to {COUNT_CAP:,}: when more match, "
        f"the count is {COUNT_CAP:,} and the response has the header `X-Count-Capped: true`.",
    )
    limit: int
    offset: int
    items: list[CompanyOut]


@router.get(
    "/companies",
    response=responses(CompanyPage),
    openapi_extra=refused_when(
        "`country`: a country's name or ISO code.",
        "`programme`: a programme you can see.",
        "`kind`: one of the kinds listed for the parameter.",
        "`size`: one of the size classes listed for the parameter.",
        "`status`: one of the register statuses listed for the parameter.",
        "`sort`: one of the orders listed for the parameter.",
        "`stage`: one of the stages listed for the parameter.",
        "`nace`: a NACE Rev. 2 division, group or class (`62`, `62.0`, `62.01` or `6201`), "
        "or a division's title.",
    ),
)
def list_companies(request, response: HttpResponse, query: Query[CompanyQuery]):
    """Companies you can see: those engaged in your programmes or added by your organisation
    (SME users: their own company). Fast at a million companies: the count stops at
    10,000 (the header `X-Count-Capped: true` says so), so narrow the search rather than page past it."""
    filters = CompanyFilterSet(request.GET, user=request.user)
    if filters.errors:
        raise ValidationError(filters.errors)
    companies = Company.objects.visible_to(request.user).select_related("owner")
    if not query.merged:
        companies = companies.current()
    companies = filters.filter(companies)
    count, more = capped_count(companies)
    if more:
        response["X-Count-Capped"] = "true"
    items = list(companies[query.offset : query.offset + query.limit])
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": items,
    }


@router.get("/companies/{int:company_id}", response=responses(CompanyDetailOut))
def get_company(request, company_id: Id):
    return company_detail(request, visible_company(request, company_id))


REGISTRY_CODE_RULE = "`registry_code`: no other company in the country has this registry code."
VAT_PREFIX_RULE = "`vat_number`: starts with the country's code (EL for Greece)."


@router.post(
    "/companies",
    response=responses(CompanyDetailOut, 201),
    openapi_extra=refused_when(
        REGISTRY_CODE_RULE,
        VAT_PREFIX_RULE,
        "`programme`: a programme you record in.",
    ),
)
def create_company(request, payload: CompanyIn):
    """Add a company (advisors and programme managers). Your organisation becomes its owner;
    with `programme`, it is also engaged in that programme."""
    user = request.user
    require(
        user.can_edit_records and not user.is_sme and (user.organisation_id or user.is_superuser),
        _("Only advisors and programme managers can add companies."),
    )
    data = payload.model_dump(exclude={"programme"})
    programme = get_referenced(
        Programme.objects.recordable_by(user), payload.programme, "programme", _("programme")
    )
    company = Company(owner_id=user.organisation_id, **data)
    check_registry_code(company)
    company.full_clean()
    with transaction.atomic():
        company.save()
        if programme is not None:
            partner = user.organisation
            if partner is None or not programme.partnerships.filter(organisation=partner).exists():
                partner = programme.lead  # a superuser from outside the partnership
            engage(company, programme, partner, by=user)
    company.refresh_from_db()
    return Status(201, company_detail(request, company))


@router.patch(
    "/companies/{int:company_id}",
    response=responses(CompanyDetailOut),
    openapi_extra=refused_when(REGISTRY_CODE_RULE, VAT_PREFIX_RULE),
)
def update_company(request, company_id: Id, payload: CompanyPatch):
    """Change a company; send the `version` you loaded (409 if someone else saved since)."""
    company = editable_company(request, company_id)
    apply_edit(company, payload, check=check_registry_code)
    return company_detail(request, company)


# --- Contacts ----------------------------------------------------------------------------------


@router.get("/companies/{int:company_id}/contacts", response=responses(Page[ContactOut]))
def list_contacts(request, company_id: Id, query: Query[ListQuery]):
    company = visible_company(request, company_id)
    return paginate(Contact.objects.visible_to(request.user).filter(company=company), query)


@router.post(
    "/companies/{int:company_id}/contacts",
    response=responses(ContactOut, 201),
    openapi_extra=refused_when(
        "`consent_given_at`: given when the lawful basis is consent.",
    ),
)
def create_contact(request, company_id: Id, payload: ContactIn):
    company = editable_company(request, company_id)
    contact = Contact(company=company, **payload.model_dump())
    contact.full_clean()
    contact.save()
    contact.refresh_from_db()
    return Status(201, contact)


# --- Notes -------------------------------------------------------------------------------------


@router.get("/companies/{int:company_id}/notes", response=responses(Page[NoteOut]))
def list_notes(request, company_id: Id, query: Query[ListQuery]):
    """Shared notes, and your organisation's private ones. SME users see no internal notes."""
    company = visible_company(request, company_id)
    notes = (
        Note.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("organisation", "author")
    )
    return paginate(notes, query)


@router.post("/companies/{int:company_id}/notes", response=responses(NoteOut, 201))
def create_note(request, company_id: Id, payload: NoteIn):
    company = visible_company(request, company_id)
    user = request.user
    require(
        user.can_edit_records and not user.is_sme and user.organisation_id is not None,
        _("Only advisors and programme managers of an organisation can write notes."),
    )
    note = Note(
        company=company, organisation=user.organisation, author=user, **payload.model_dump()
    )
    note.full_clean()
    note.save()
    return Status(201, note)


# --- Engagements -------------------------------------------------------------------------------


@router.get("/companies/{int:company_id}/engagements", response=responses(Page[EngagementOut]))
def list_engagements(request, company_id: Id, query: Query[ListQuery]):
    company = visible_company(request, company_id)
    engagements = (
        Engagement.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("programme", "company", "partner")
    )
    return paginate(engagements, query)


@router.get("/engagements/{int:engagement_id}", response=responses(EngagementOut))
def get_engagement(request, engagement_id: Id):
    return visible_engagement(request, engagement_id)


@router.post(
    "/engagements/{int:engagement_id}/stage",
    response=responses(EngagementOut),
    openapi_extra=refused_when("`stage`: not the stage the company is at already."),
)
def move_engagement(request, engagement_id: Id, payload: StageIn):
    """Move a company to another stage of the programme's pipeline; the move is kept in the
    engagement's history with who made it and when."""
    engagement = visible_engagement(request, engagement_id)
    require(
        engagement.programme.is_recordable_by(request.user),
        _("Only advisors and programme managers of the programme can move companies."),
    )
    if payload.version is not None and payload.version != engagement.version:
        raise stale(engagement)
    engagement.move_to(payload.stage, by=request.user, note=payload.note)
    return engagement


@router.get("/engagements/{int:engagement_id}/history", response=responses(Page[StageChangeOut]))
def engagement_history(request, engagement_id: Id, query: Query[ListQuery]):
    engagement = visible_engagement(request, engagement_id)
    return paginate(engagement.history.select_related("changed_by"), query)
