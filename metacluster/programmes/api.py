"""Programmes, their indicators and the computed indicator figures (KPIs)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from metacluster.accounts.models import Organisation
from metacluster.apiutils import (
    Id,
    Input,
    ListQuery,
    Page,
    Patch,
    apply_edit,
    decimal_field,
    get_visible,
    paginate,
    require,
    responses,
)
from metacluster.countries import country_name

from .kpis import DefinitionError, figures, parse_definition, records_behind
from .models import Indicator, Programme

router = Router(tags=["programmes"])


# --- Schemas -----------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    name: str
    acronym: str
    funding_programme: str
    priority: str
    start_date: date
    end_date: date
    currency: str
    total_budget: Decimal
    funder_contribution: Decimal | None
    private_contribution: Decimal | None
    description: str
    version: int


class PartnerOut(Schema):
    organisation_id: int
    organisation: str
    country: str
    role: str
    budget: Decimal | None
    co_financing_rate: Decimal | None


class TargetMarketOut(Schema):
    country: str
    name: str


class ProgrammeDetailOut(ProgrammeOut):
    partners: list[PartnerOut]
    target_markets: list[TargetMarketOut]
    can_manage: bool = Field(..., description="You may change its indicators and catalogue.")
    can_record: bool = Field(..., description="You may record companies, deliveries and deals.")


class IndicatorOut(Schema):
    id: int
    programme_id: int
    code: str
    name: str
    unit: str
    target: Decimal | None
    definition: Any
    eu_code: str
    position: int
    version: int


class IndicatorIn(Input):
    code: str = Field(..., max_length=40, examples=["SME-SUPPORTED"])
    name: str = Field(..., max_length=200)
    unit: str = Field("companies", max_length=40)
    target: Decimal | None = decimal_field(12, 2, default=None)
    definition: Any = Field(..., examples=[{"kind": "stage_reached", "stage": "supported"}])
    eu_code: str = Field("", max_length=12)
    position: int = Field(0, ge=0, le=32767)


class IndicatorPatch(Patch):
    code: str = Field(None, max_length=40)
    name: str = Field(None, max_length=200)
    unit: str = Field(None, max_length=40)
    target: Decimal | None = decimal_field(12, 2, default=None)
    definition: Any = None
    eu_code: str = Field(None, max_length=12)
    position: int = Field(None, ge=0, le=32767)


class PartnerFigureOut(Schema):
    organisation_id: int
    organisation: str
    achieved: int


class MonthFigureOut(Schema):
    month: str = Field(..., examples=["2021-03"])
    achieved: int = Field(..., description="Cumulative: achieved by the end of this month.")


class IndicatorFiguresOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    description: str
    target: Decimal | None
    achieved: int | None
    percent_of_target: int | None
    by_partner: list[PartnerFigureOut]
    by_month: list[MonthFigureOut]
    error: str | None = Field(None, description="Why the figures could not be computed.")


class KpisOut(Schema):
    programme: str
    indicators: list[IndicatorFiguresOut]


class RecordOut(Schema):
    type: str = Field(..., examples=["company"])
    id: int
    label: str
    counted_from: date


class ProgrammeQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="Search name and acronym.")
    partner: Id | None = Field(None, description="Organisation id of a partner.")


class RecordsQuery(ListQuery):
    partner: Id | None = Field(None, description="Only the records counted for this partner.")


# --- Helpers -----------------------------------------------------------------------------------


def visible_programme(request, programme_id: int) -> Programme:
    return get_visible(Programme.objects.visible_to(request.user), programme_id, _("programme"))


def managed_programme(request, programme_id: int) -> Programme:
    programme = visible_programme(request, programme_id)
    require(
        Programme.objects.managed_by(request.user).filter(pk=programme.pk).exists(),
        _("Only the programme's managers can change its set-up."),
    )
    return programme


def figures_programme(request, programme_id: int) -> Programme:
    programme = visible_programme(request, programme_id)
    require(
        not request.user.is_sme,
        _("SME users see their own company's records, not the programme's figures."),
    )
    return programme


def percent_of(achieved: int, target) -> int | None:
    if target is None or Decimal(target) == 0:
        return None
    return round(Decimal(achieved) * 100 / Decimal(target))


def programme_detail(request, programme: Programme) -> dict:
    partnerships = programme.partnerships.select_related("organisation")
    user = request.user
    return {
        **{field: getattr(programme, field) for field in ProgrammeOut.model_fields},
        "partners": [
            {
                "organisation_id": p.organisation_id,
                "organisation": p.organisation.name,
                "country": p.organisation.country,
                "role": p.role,
                "budget": p.budget,
                "co_financing_rate": p.co_financing_rate,
            }
            for p in partnerships
        ],
        "target_markets": [
            {"country": m.country, "name": country_name(m.country)}
            for m in programme.target_markets.all()
        ],
        "can_manage": Programme.objects.managed_by(user).filter(pk=programme.pk).exists(),
        "can_record": Programme.objects.recordable_by(user).filter(pk=programme.pk).exists(),
    }


# --- Programmes --------------------------------------------------------------------------------


@router.get("/programmes", response=responses(Page[ProgrammeOut]))
def list_programmes(request, query: Query[ProgrammeQuery]):
    """The programmes you take part in."""
    programmes = Programme.objects.visible_to(request.user)
    if query.q:
        programmes = programmes.filter(Q(name__icontains=query.q) | Q(acronym__icontains=query.q))
    if query.partner:
        programmes = programmes.filter(partnerships__organisation_id=query.partner)
    return paginate(programmes, query)


@router.get("/programmes/{int:programme_id}", response=responses(ProgrammeDetailOut))
def get_programme(request, programme_id: Id):
    """One programme with its partners and target markets."""
    return programme_detail(request, visible_programme(request, programme_id))


# --- Indicators --------------------------------------------------------------------------------


@router.get("/programmes/{int:programme_id}/indicators", response=responses(Page[IndicatorOut]))
def list_indicators(request, programme_id: Id, query: Query[ListQuery]):
    programme = visible_programme(request, programme_id)
    return paginate(programme.indicators.all(), query)


@router.post("/programmes/{int:programme_id}/indicators", response=responses(IndicatorOut, 201))
def create_indicator(request, programme_id: Id, payload: IndicatorIn):
    """Add an indicator (programme managers only). The definition is checked before saving."""
    programme = managed_programme(request, programme_id)
    indicator = Indicator(programme=programme, **payload.model_dump())
    parse_definition(indicator.definition)  # DefinitionError → 400 on "definition"
    indicator.full_clean()
    indicator.save()
    indicator.refresh_from_db()  # the target as stored, e.g. "40.00" for "40"
    return Status(201, indicator)


@router.get(
    "/programmes/{int:programme_id}/indicators/{int:indicator_id}",
    response=responses(IndicatorOut),
)
def get_indicator(request, programme_id: Id, indicator_id: Id):
    programme = visible_programme(request, programme_id)
    return get_visible(programme.indicators.all(), indicator_id, _("indicator"))


@router.patch(
    "/programmes/{int:programme_id}/indicators/{int:indicator_id}",
    response=responses(IndicatorOut),
)
def update_indicator(request, programme_id: Id, indicator_id: Id, payload: IndicatorPatch):
    """Change an indicator (programme managers only); send the `version` you loaded."""
    programme = managed_programme(request, programme_id)
    indicator = get_visible(programme.indicators.all(), indicator_id, _("indicator"))
    if "definition" in payload.model_fields_set:
        parse_definition(payload.definition)
    return apply_edit(indicator, payload)


@router.delete(
    "/programmes/{int:programme_id}/indicators/{int:indicator_id}", response=responses(None, 204)
)
def delete_indicator(request, programme_id: Id, indicator_id: Id):
    programme = managed_programme(request, programme_id)
    get_visible(programme.indicators.all(), indicator_id, _("indicator")).delete()
    return Status(204, None)


# --- Figures -----------------------------------------------------------------------------------


@router.get("/programmes/{int:programme_id}/kpis", response=responses(KpisOut))
def kpis(request, programme_id: Id):
    """Every indicator's achieved value, computed from records now: in total, per partner and
    cumulatively by month."""
    programme = figures_programme(request, programme_id)
    partners = [p.organisation for p in programme.partnerships.select_related("organisation")]
    rows = []
    for indicator in programme.indicators.all():
        row = {
            "id": indicator.pk,
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "target": indicator.target,
            "description": "",
            "achieved": None,
            "percent_of_target": None,
            "by_partner": [],
            "by_month": [],
        }
        try:
            row["description"] = parse_definition(indicator.definition).describe()
            result = figures(indicator)
        except DefinitionError as error:
            # One broken definition (saved before validation existed, or through the admin)
            # should not hide the other indicators' figures.
            row["error"] = str(error)
            rows.append(row)
            continue
        row.update(
            achieved=result.achieved,
            percent_of_target=percent_of(result.achieved, indicator.target),
            by_partner=[
                {
                    "organisation_id": org.pk,
                    "organisation": org.name,
                    "achieved": result.by_partner.get(org.pk, 0),
                }
                for org in partners
            ],
            by_month=[{"month": month, "achieved": n} for month, n in result.by_month],
        )
        rows.append(row)
    return {"programme": programme.name, "indicators": rows}


@router.get(
    "/programmes/{int:programme_id}/kpis/{code}/records", response=responses(Page[RecordOut])
)
def kpi_records(request, programme_id: Id, code: str, query: Query[RecordsQuery]):
    """The records behind an indicator's figure (optionally one partner's), each with the date
    it started to count."""
    programme = figures_programme(request, programme_id)
    indicator = programme.indicators.filter(code=code).first() if "\x00" not in code else None
    if indicator is None:
        raise Http404(_("No indicator with code %(code)s.") % {"code": code})
    if query.partner is not None:
        get_visible(
            Organisation.objects.filter(partnerships__programme=programme),
            query.partner,
            _("partner"),
        )
    records = [
        {
            "type": obj._meta.model_name,
            "id": obj.pk,
            "label": str(obj),
            "counted_from": on,
        }
        for obj, on in records_behind(indicator, partner_id=query.partner)
    ]
    return paginate(records, query)
