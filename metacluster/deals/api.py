"""Deals: a company × market × counterpart, from lead to a won or lost agreement."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from metacluster.apiutils import (
    Country,
    Currency,
    Id,
    Input,
    IsoDate,
    ListQuery,
    Page,
    Patch,
    QueryId,
    Text,
    acting_partner,
    apply_edit,
    decimal_input,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.models import Company
from metacluster.programmes.models import Programme

from .choices import AgreementType, DealStage
from .filters import DealFilterSet
from .models import Deal

router = Router(tags=["deals"])

# One Literal rather than `AgreementType | Literal[""]`, so that a wrong value gives one error on
# "agreement_type" instead of one per member of the union.
AgreementTypeOrBlank = Literal[tuple(["", *AgreementType.values])]


class DealOut(Schema):
    id: int
    programme_id: int
    company_id: int
    company: str
    partner_id: int
    partner: str
    market: str
    counterpart: str
    title: str
    stage: DealStage
    agreement_type: AgreementTypeOrBlank
    value: Decimal | None
    currency: str
    opened_on: date
    closed_on: date | None
    first_sale: bool
    in_eu_or_efta: bool
    notes: str
    version: int

    @staticmethod
    def resolve_company(deal: Deal) -> str:
        return deal.company.name

    @staticmethod
    def resolve_partner(deal: Deal) -> str:
        return deal.partner.name


DealValue = decimal_input(14, 2)


class DealIn(Input):
    programme: Id
    company: Id
    partner: Id | None = Field(
        None,
        description="Organisation id of the responsible partner; yours by default. Advisors "
        "act for their own organisation, programme managers for any partner.",
    )
    market: Country = Field(..., examples=["US"])
    counterpart: Text = Field(..., min_length=1, max_length=200)
    title: Text = Field("", max_length=200)
    stage: DealStage = DealStage.LEAD
    agreement_type: AgreementTypeOrBlank = ""
    value: DealValue | None = None
    currency: Currency = "EUR"
    opened_on: IsoDate = Field(default_factory=timezone.localdate)
    closed_on: IsoDate | None = None
    first_sale: StrictBool = False
    notes: Text = Field("", max_length=20_000)


class DealPatch(Patch):
    partner: Id = None
    market: Country = None
    counterpart: Text = Field(None, min_length=1, max_length=200)
    title: Text = Field(None, max_length=200)
    stage: DealStage = None
    agreement_type: AgreementTypeOrBlank = None
    value: DealValue | None = None
    currency: Currency = None
    opened_on: IsoDate = None
    closed_on: IsoDate | None = None
    first_sale: StrictBool = None
    notes: Text = Field(None, max_length=20_000)


class DealQuery(ListQuery):
    """The list's filters, documented here and validated by `filters.DealFilterSet`, the
    definition the deals page uses too: a value it cannot apply answers 400 with the parameter
    in `fields`."""

    programme: str | None = Field(None, description="A programme you see (its id or acronym).")
    company: QueryId | None = None
    partner: QueryId | None = Field(None, description="Organisation id of the responsible partner.")
    stage: DealStage | None = None
    market: str | None = Field(None, description="A country's name or ISO code.")


# What a deal must satisfy beyond its schema (see Deal.clean and acting_partner).
DEAL_RULES = (
    "`agreement_type`: given at the stages agreement and won.",
    "`closed_on`: given at the stages won and lost, and not before `opened_on`.",
    "`first_sale`: only for a won sale, and once per company and market.",
    "`partner`: a partner of the programme.",
)


def deals_for(user):
    return Deal.objects.visible_to(user).select_related("company", "partner")


@router.get(
    "/deals",
    response=responses(Page[DealOut]),
    openapi_extra=refused_when(
        "`programme`: a programme you can see.",
        "`market`: a country's name or ISO code.",
    ),
)
def list_deals(request, query: Query[DealQuery]):
    """Deals in your programmes (SME users: their own company's)."""
    filters = DealFilterSet(request.GET, user=request.user)
    if filters.errors:
        raise DjangoValidationError(filters.errors)
    deals = filters.filter(deals_for(request.user))
    return paginate(deals, query)


@router.get("/deals/{int:deal_id}", response=responses(DealOut))
def get_deal(request, deal_id: Id):
    return get_visible(deals_for(request.user), deal_id, _("deal"))


def recordable(request, programme: Programme) -> None:
    require(
        programme.is_recordable_by(request.user),
        _("Only advisors and programme managers of the programme can record deals."),
    )


@router.post(
    "/deals",
    response=responses(DealOut, 201),
    openapi_extra=refused_when(
        "`programme`: a programme you see.",
        "`company`: a company you see.",
        *DEAL_RULES,
    ),
)
def create_deal(request, payload: DealIn):
    user = request.user
    programme = get_referenced(
        Programme.objects.visible_to(user), payload.programme, "programme", _("programme")
    )
    recordable(request, programme)
    company = get_referenced(
        Company.objects.visible_to(user), payload.company, "company", _("company")
    )
    partner = acting_partner(
        request, programme, payload.partner, field="partner", default=programme.lead
    )
    data = payload.model_dump(exclude={"programme", "company", "partner"})
    deal = Deal(programme=programme, company=company, partner=partner, **data)
    deal.full_clean()
    deal.save()
    return Status(201, deals_for(user).get(pk=deal.pk))


@router.patch(
    "/deals/{int:deal_id}",
    response=responses(DealOut),
    openapi_extra=refused_when(*DEAL_RULES),
)
def update_deal(request, deal_id: Id, payload: DealPatch):
    """Change a deal; send the `version` you loaded (409 if someone else saved since)."""
    deal = get_visible(deals_for(request.user), deal_id, _("deal"))
    recordable(request, deal.programme)
    if "partner" in payload.model_fields_set:
        deal.partner = acting_partner(request, deal.programme, payload.partner, field="partner")
    apply_edit(deal, payload, exclude={"partner"})
    return deal
