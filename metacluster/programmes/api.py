"""Programmes, their indicators and the computed indicator figures (KPIs)."""

import math
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import (
    ConfigDict,
    PlainValidator,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError

from metacluster.accounts.models import Organisation
from metacluster.apiutils import (
    Country,
    Id,
    Input,
    ListQuery,
    Page,
    Patch,
    QueryId,
    Text,
    apply_edit,
    decimal_input,
    get_visible,
    integer,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.choices import Stage
from metacluster.countries import country_name
from metacluster.deals.choices import AgreementType, DealStage
from metacluster.services.choices import ServiceKind
from metacluster.translations import language_codes

from .choices import PartnerRole
from .eu_indicators import eu_indicators
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
    role: PartnerRole
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
    translations: dict[str, dict[str, str]] = Field(
        ..., description='Labels in other languages, e.g. {"sv": {"name": "…"}}.'
    )
    target: Decimal | None
    definition: Any = Field(
        ..., description="As saved: see the request schema's `definition` for its form."
    )
    eu_code: str
    position: int
    version: int


# --- Indicator definitions: the typed form of the rules of kpis.parse_definition ----------------

# min_units: a JSON number, or a decimal string such as "2.5"; either more than zero.
POSITIVE_DECIMAL_TEXT = r"^([0-9]*[1-9][0-9]*(\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)$"


def _positive_number(value: Any) -> Any:
    if isinstance(value, bool):
        pass
    elif isinstance(value, int) and value > 0:
        return value
    elif isinstance(value, float) and math.isfinite(value) and value > 0:
        return value
    elif isinstance(value, str) and re.fullmatch(POSITIVE_DECIMAL_TEXT, value):
        return value
    raise ValueError(_("min_units must be greater than zero."))


PositiveNumber = Annotated[
    Any,
    PlainValidator(_positive_number),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0},
                {"type": "string", "pattern": POSITIVE_DECIMAL_TEXT},
            ]
        }
    ),
]


class DefinitionSchema(Schema):
    # Not Input: its NUL check would run before the `kind` discriminator, which pydantic does
    # not allow. Every text in a definition is a name from a fixed list anyway.
    model_config = ConfigDict(extra="forbid")


class StageReachedDefinition(DefinitionSchema):
    """Distinct companies whose engagement is at or past a pipeline stage."""

    kind: Literal["stage_reached"]
    stage: Stage


class ServiceUnitsDefinition(DefinitionSchema):
    """Distinct companies that received at least `min_units` units of services of the given
    kinds."""

    kind: Literal["service_units"]
    service_kinds: list[ServiceKind] | ServiceKind = Field(
        [], description="One kind or a list; all kinds when none are given."
    )
    min_units: PositiveNumber = 1


class DealsDefinition(DefinitionSchema):
    """Deals (or distinct companies with deals) of the given stages and agreement types."""

    kind: Literal["deals"]
    stages: list[DealStage] | DealStage = Field([], description="Any stage when none are given.")
    agreement_types: list[AgreementType] | AgreementType = Field(
        [], description="Any type when none are given."
    )
    first_sale: StrictBool = Field(False, description="Only won first sales in a market.")
    outside_eu_efta: StrictBool = Field(False, description="Only markets outside the EU/EFTA.")
    markets: list[Country] | Country = Field([], description="Any market when none are given.")
    count: Literal["deals", "companies"] = "deals"


class ConsortiaDefinition(DefinitionSchema):
    """Consortia formed (or their distinct member companies)."""

    kind: Literal["consortia"]
    count: Literal["consortia", "members"] = "consortia"
    min_countries: integer(ge=1) = Field(
        1, description="Only consortia whose members come from this many countries."
    )


IndicatorDefinition = Annotated[
    StageReachedDefinition | ServiceUnitsDefinition | DealsDefinition | ConsortiaDefinition,
    Field(discriminator="kind"),
]

IndicatorCode = Annotated[str, Field(max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")]
IndicatorTarget = decimal_input(12, 2)
Position = integer(ge=0, le=32767)


def _is_whole_float(value: Any) -> bool:
    return isinstance(value, float) and value.is_integer()


class IndicatorFields(Input):
    @field_validator("definition", mode="wrap", check_fields=False)
    @classmethod
    def _definition(cls, value, handler):
        """Checked by kpis.parse_definition (whose messages say what is wrong) and by the typed
        schema, and kept as sent (but for 2.0 read as 2): the stored JSON is the definition as
        the client wrote it, not filled in with defaults."""
        if isinstance(value, dict) and _is_whole_float(value.get("min_countries")):
            # 2.0 is a JSON Schema integer, which parse_definition wants as 2.
            value = {**value, "min_countries": int(value["min_countries"])}
        try:
            parse_definition(value)
        except DefinitionError as error:
            raise ValueError(str(error)) from None
        try:
            handler(value)
        except PydanticValidationError as error:
            raise ValueError(
                " ".join(
                    f"{'.'.join(str(p) for p in e['loc'][1:]) or 'kind'}: {e['msg']}."
                    for e in error.errors()
                )
            ) from None
        return value


# An EU common indicator code from the catalogue (programmes.eu_indicators), or "" for none.
EuCode = Annotated[
    Literal[("", *eu_indicators())],
    Field(description="An EU common indicator code (RCO/RCR), or an empty string for none."),
]


# A label: some text besides white space (the characters Python's str.strip() removes), as
# the model's rule (Translatable.clean_translations) wants; leave a label out to fall back.
Label = Annotated[str, StringConstraints(pattern=r"^[^\x00]*[^\x00\s\x1c-\x1f][^\x00]*$")]


class IndicatorLabels(Input):
    name: Label | None = Field(None, max_length=200)
    unit: Label | None = Field(None, max_length=40)


IndicatorTranslations = Annotated[
    dict[Literal[tuple(language_codes())], IndicatorLabels],
    Field(
        description=(
            "The indicator's name and unit in other languages, e.g. "
            '{"sv": {"name": "Företag som fått stöd", "unit": "företag"}}; where a label is '
            "missing, `name` or `unit` itself is shown. A PATCH replaces all of them."
        ),
    ),
]


def labels_as_sent(translations: dict[str, IndicatorLabels] | None) -> dict:
    """The labels as stored: without the ones left out, nor languages left empty."""
    stored = {}
    for code, labels in (translations or {}).items():
        given = labels.model_dump(exclude_none=True)
        if given:
            stored[code] = given
    return stored


class IndicatorIn(IndicatorFields):
    code: IndicatorCode = Field(..., examples=["SME-SUPPORTED"])
    name: Text = Field(..., min_length=1, max_length=200)
    unit: Text = Field("companies", min_length=1, max_length=40)
    target: IndicatorTarget | None = None
    definition: IndicatorDefinition = Field(
        ..., examples=[{"kind": "stage_reached", "stage": "supported"}]
    )
    eu_code: EuCode = ""
    position: Position = 0
    translations: IndicatorTranslations = {}


class IndicatorPatch(IndicatorFields, Patch):
    code: IndicatorCode = None
    name: Text = Field(None, min_length=1, max_length=200)
    unit: Text = Field(None, min_length=1, max_length=40)
    target: IndicatorTarget | None = None
    definition: IndicatorDefinition = None
    eu_code: EuCode = None
    position: Position = None
    translations: IndicatorTranslations = None


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
    type: Literal["company", "deal", "consortium"]
    id: int
    label: str
    counted_from: date


class ProgrammeQuery(ListQuery):
    q: Text | None = Field(None, max_length=200, description="Search name and acronym.")
    partner: QueryId | None = Field(None, description="Organisation id of a partner.")


class RecordsQuery(ListQuery):
    partner: QueryId | None = Field(None, description="Only the records counted for this partner.")


# --- Helpers -----------------------------------------------------------------------------------


def visible_programme(request, programme_id: int) -> Programme:
    return get_visible(Programme.objects.visible_to(request.user), programme_id, _("programme"))


def managed_programme(request, programme_id: int) -> Programme:
    programme = visible_programme(request, programme_id)
    require(
        programme.is_managed_by(request.user),
        _("Only the programme's managers can change its set-up."),
    )
    return programme


def check_unique_code(indicator: Indicator) -> None:
    # The database allows one indicator per code in a programme; say so on the field rather
    # than with the constraint's generic message.
    taken = Indicator.objects.filter(programme_id=indicator.programme_id, code=indicator.code)
    if taken.exclude(pk=indicator.pk).exists():
        raise ValidationError(
            {"code": _("This programme already has an indicator with this code.")}
        )


UNIQUE_CODE_RULE = "`code`: no other indicator of the programme has this code."


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
            {"country": m.country, "name": country_name(m.country, "en")}
            for m in programme.target_markets.all()
        ],
        "can_manage": programme.is_managed_by(user),
        "can_record": programme.is_recordable_by(user),
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


@router.post(
    "/programmes/{int:programme_id}/indicators",
    response=responses(IndicatorOut, 201),
    openapi_extra=refused_when(UNIQUE_CODE_RULE),
)
def create_indicator(request, programme_id: Id, payload: IndicatorIn):
    """Add an indicator (programme managers only). The definition is checked before saving."""
    programme = managed_programme(request, programme_id)
    indicator = Indicator(
        programme=programme,
        definition=payload.definition,  # as sent; checked by kpis.parse_definition
        translations=labels_as_sent(payload.translations),
        **payload.model_dump(exclude={"definition", "translations"}),
    )
    check_unique_code(indicator)
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
    openapi_extra=refused_when(UNIQUE_CODE_RULE),
)
def update_indicator(request, programme_id: Id, indicator_id: Id, payload: IndicatorPatch):
    """Change an indicator (programme managers only); send the `version` you loaded."""
    programme = managed_programme(request, programme_id)
    indicator = get_visible(programme.indicators.all(), indicator_id, _("indicator"))
    if "definition" in payload.model_fields_set:
        indicator.definition = payload.definition  # as sent; checked by kpis.parse_definition
    if "translations" in payload.model_fields_set:
        indicator.translations = labels_as_sent(payload.translations)
    return apply_edit(
        indicator, payload, check=check_unique_code, exclude={"definition", "translations"}
    )


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
