"""Export markets: rankings, export potential from trade files, and feasibility studies."""

import os
import re
import tempfile
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BeforeValidator, StrictBool, WithJsonSchema

from metacluster.apiutils import (
    Country,
    CountryFilter,
    Id,
    Input,
    IsoDate,
    ListQuery,
    Page,
    Patch,
    Text,
    acting_partner,
    get_referenced,
    get_visible,
    integer,
    paginate,
    refused_when,
    require,
    responses,
    stale,
)
from metacluster.companies.models import Company
from metacluster.core.markets import INDICATORS, OFFERINGS, InvalidRanking, default_weights, rank
from metacluster.core.markets.cli import baci_codes
from metacluster.core.markets.potential import TradeFileError, export_potential
from metacluster.core.markets.scoring import MAX_WEIGHT
from metacluster.programmes.models import Programme
from metacluster.versioning import StaleEdit

from . import adapters, intelligence
from .choices import Decision, EuEftaFilter, MissingPolicy, Offering
from .models import FeasibilityStudy, TradeDataset
from .workflows import save_study

router = Router(tags=["markets"])

MAX_TRADE_FILE = 20 * 1024 * 1024  # larger files: use `metacluster export-potential`
IndicatorCode = Literal[tuple(INDICATORS)]
Region = Literal[tuple(adapters.regions())]


def _json_number(value):
    # A number, not a string or a boolean (which Python counts as a number).
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_("Input should be a number."))
    return value


Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT), BeforeValidator(_json_number)]


def _query_id(value):
    if isinstance(value, str) and re.fullmatch(r"[1-9][0-9]{0,17}", value):
        return value
    raise ValueError(_("Input should be a whole number."))


# An id in a query string, documented as the digits it is (so "7.0" is not a valid example).
QueryRecordId = Annotated[
    int,
    BeforeValidator(_query_id),
    WithJsonSchema({"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}),
]


# --- Indicators and rankings -------------------------------------------------------------------


class MarketIndicatorOut(Schema):
    code: str
    label: str
    unit: str
    scale: str
    higher_is_better: bool
    bilateral: bool
    description: str
    default_weights: dict[str, float]


@router.get("/markets/indicators", response=responses(list[MarketIndicatorOut]))
def list_indicators(request):
    """The indicators a ranking can weigh, with each offering's default weights."""
    available = adapters.ranking_data().optional_indicators()
    defaults = {offering: default_weights(offering, available) for offering in OFFERINGS}
    return [
        {
            "code": code,
            "label": indicator.label,
            "unit": indicator.unit,
            "scale": indicator.scale,
            "higher_is_better": indicator.higher_is_better,
            "bilateral": indicator.bilateral,
            "description": indicator.description,
            "default_weights": {offering: defaults[offering][code] for offering in OFFERINGS},
        }
        for code, indicator in INDICATORS.items()
    ]


class MarketRankingIn(Input):
    home: Country = Field(..., examples=["SE"], description="The exporter's country.")
    offering: Offering = Field(..., examples=["ict-services"])
    weights: dict[IndicatorCode, Weight] = Field(
        default_factory=dict,
        description="Indicator → weight from 0 to 1000, over the offering's defaults.",
    )
    eu_efta: EuEftaFilter | None = None
    regions: list[Region] = Field(default_factory=list, max_length=10, examples=[["Asia"]])
    markets: list[Country] = Field(default_factory=list, max_length=300)
    missing: MissingPolicy = MissingPolicy.ZERO
    limit: integer(ge=1, le=300) | None = None
    product: str = Field(
        "",
        pattern=r"^([0-9]{2}|[0-9]{6})?$",
        examples=["851712"],
        description="HS2 or HS6 product whose loaded tariffs count (goods); empty: all products.",
    )


class MarketComponentOut(Schema):
    value: float | None
    year: int | None
    points: float
    source: str | None
    weight: float
    missing: bool
    treatment: str


class RankedMarketOut(Schema):
    country: str = Field(..., description="ISO3 code.")
    iso2: str
    name: str
    rank: int
    score: float
    region: str
    eu_efta: bool
    coverage: float = Field(..., description="Share of the weight backed by figures.")
    missing: list[str]
    components: dict[str, MarketComponentOut]
    intelligence: dict[str, int] = Field(
        ..., description="The programme's own records in this market that you can see."
    )


class LeftOutMarketOut(Schema):
    country: str
    name: str
    reason: str


class MarketRankingOut(Schema):
    home: str
    offering: str
    weights: dict[str, float]
    missing_policy: str
    markets: list[RankedMarketOut]
    excluded: list[LeftOutMarketOut]


@router.post(
    "/markets/ranking",
    response=responses(MarketRankingOut),
    openapi_extra=refused_when("`weights`: at least one weight above zero, after the defaults."),
)
def ranking(request, payload: MarketRankingIn):
    """Score every market 0–100 for an offering, best first, with each score's breakdown
    (raw value, year, source and points per indicator) and the programme's own records there."""
    try:
        result = rank(
            adapters.ranking_data(payload.product),
            payload.home,
            payload.offering,
            dict(payload.weights),
            eu_efta=payload.eu_efta,
            regions=payload.regions or None,
            markets=payload.markets or None,
            missing=payload.missing,
        )
    except InvalidRanking as error:
        raise ValidationError(error.errors) from None
    data = result.to_json(details=True)
    if payload.limit:
        data["markets"] = data["markets"][: payload.limit]
    counts = intelligence.counts(request.user, payload.offering)
    for market in data["markets"]:
        market["intelligence"] = counts.get(market["iso2"], {})
    return data


# --- Export potential --------------------------------------------------------------------------


class ExportPotentialMarketOut(Schema):
    market: str
    demand: float
    ease: float
    potential: float
    actual: float
    untapped: float
    realised: float | None


class ExportPotentialOut(Schema):
    exporter: str
    product: str
    year: int
    unit: str
    supply: float
    exports: float
    world_exports: float
    potential: float
    untapped: float
    markets: list[ExportPotentialMarketOut]


class ExportPotentialForm(Schema):
    exporter: str = Field(..., pattern=r"^([A-Za-z]{3}|[0-9]{1,4})$", examples=["SWE"])
    product: str = Field(..., pattern=r"^[0-9]{5,6}$", examples=["851712"])
    year: int = Field(None, ge=1900, le=2100, description="Default: the latest in the file.")


@router.post(
    "/markets/export-potential",
    response=responses(ExportPotentialOut),
    openapi_extra=refused_when(
        "`trade`: a CSV of at most 20 MB with BACI's columns t,i,j,k,v(,q), with exports of "
        "`product` by `exporter` in `year` (the latest year in the file by default)."
    ),
)
def potential(request, form: Form[ExportPotentialForm], trade: File[UploadedFile]):
    """ITC-style export potential per market of one exporter and HS6 product, from a small
    trade file in the CEPII BACI layout (a full BACI year: `metacluster export-potential`)."""
    if trade.size > MAX_TRADE_FILE:
        raise ValidationError(
            {"trade": _("The file is larger than 20 MB; use the export-potential command.")}
        )
    handle, path = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as f:
            for chunk in trade.chunks():
                f.write(chunk)
        result = export_potential(
            path, form.exporter, form.product, year=form.year, codes=baci_codes()
        )
    except TradeFileError as error:
        raise ValidationError({"trade": str(error)}) from None
    finally:
        os.unlink(path)
    return result.to_json()


class TradeDatasetOut(Schema):
    id: int
    name: str
    source: str
    file_name: str
    rows: int
    years: list[int]
    exporters: int
    products: int
    loaded_at: datetime


@router.get("/markets/trade-datasets", response=responses(list[TradeDatasetOut]))
def list_trade_datasets(request):
    """Trade datasets loaded with `metacluster load-trade` (or uploaded on the page)."""
    return list(TradeDataset.objects.visible_to(request.user))


class DatasetPotentialIn(Input):
    exporter: str = Field(..., pattern=r"^([A-Za-z]{3}|[0-9]{1,4})$", examples=["SWE"])
    product: str = Field(..., pattern=r"^[0-9]{5,6}$", examples=["851712"])
    year: integer(ge=1900, le=2100) | None = Field(
        None, description="Default: the latest in the dataset."
    )


class DatasetPotentialMarketOut(ExportPotentialMarketOut):
    name: str
    iso2: str


class DatasetRefOut(Schema):
    id: int
    name: str
    source: str


class DatasetPotentialOut(ExportPotentialOut):
    exporter_name: str
    dataset: DatasetRefOut
    markets: list[DatasetPotentialMarketOut]


@router.post(
    "/markets/trade-datasets/{int:dataset_id}/export-potential",
    response=responses(DatasetPotentialOut),
    openapi_extra=refused_when(
        "`exporter`: a country the dataset knows (ISO3, or the dataset's numeric code).",
        "`product`: the exporter exports it in the year (the latest by default).",
        "`year`: the dataset has trade in it.",
    ),
)
def dataset_potential(request, dataset_id: Id, payload: DatasetPotentialIn):
    """Export potential per market from a loaded dataset, with the dataset's source."""
    dataset = get_visible(
        TradeDataset.objects.visible_to(request.user), dataset_id, _("trade dataset")
    )
    exporter = adapters.iso3(payload.exporter) or payload.exporter
    try:
        return adapters.potential(dataset, exporter, payload.product, payload.year)
    except TradeFileError as error:
        message = str(error)
        field = (
            "exporter"
            if message.startswith("unknown exporter")
            else "year"
            if "has no trade in" in message
            else "product"
        )
        raise ValidationError({field: message}) from None


# --- Feasibility studies -----------------------------------------------------------------------


class FeasibilityStudyOut(Schema):
    id: int
    programme_id: int
    company_id: int
    company: str
    market: str
    offering: Offering
    partner_id: int
    advisor_id: int | None
    ranking_snapshot: dict
    notes: str
    certification_needed: bool
    localisation_needed: bool
    legal_entity_needed: bool
    partner_needed: bool
    requirements: str
    decision: Decision
    decided_on: date | None
    delivery_id: int | None
    created_at: datetime
    version: int

    @staticmethod
    def resolve_company(study: FeasibilityStudy) -> str:
        return study.company.name


class FeasibilityStudyIn(Input):
    programme: Id
    company: Id
    market: Country = Field(..., examples=["US"])
    offering: Offering = Offering.ICT_SERVICES
    partner: Id | None = Field(None, description="Organisation id; yours by default.")
    advisor: Id | None = Field(None, description="User id of the advisor; you by default.")
    notes: Text = Field("", max_length=20_000)
    certification_needed: StrictBool = False
    localisation_needed: StrictBool = False
    legal_entity_needed: StrictBool = False
    partner_needed: StrictBool = False
    requirements: Text = Field("", max_length=20_000)
    decision: Decision = Decision.PENDING
    decided_on: IsoDate | None = None
    weights: dict[IndicatorCode, Weight] = Field(
        default_factory=dict, description="Weights of the ranking snapshot the study keeps."
    )


class FeasibilityStudyPatch(Patch):
    offering: Offering = None
    notes: Text = Field(None, max_length=20_000)
    certification_needed: StrictBool = None
    localisation_needed: StrictBool = None
    legal_entity_needed: StrictBool = None
    partner_needed: StrictBool = None
    requirements: Text = Field(None, max_length=20_000)
    decision: Decision = None
    decided_on: IsoDate | None = None


class FeasibilityStudyQuery(ListQuery):
    programme: QueryRecordId | None = None
    company: QueryRecordId | None = None
    decision: Decision | None = None
    market: CountryFilter | None = None


DECISION_RULES = (
    "`decided_on`: given with a go or no-go decision and only then, not in the future, and "
    "inside the programme period (the decision records a feasibility-analysis delivery then).",
    "`decision`: go or no-go needs a feasibility-analysis service in the programme's catalogue.",
)
STUDY_RULES = (
    "`programme`: a programme you see.",
    "`company`: a company you see.",
    "`market`: not the company's own country; one study per programme, company and market.",
    "`partner`: a partner of the programme.",
    "`advisor`: a user of a partner of the programme.",
    "`weights`: at least one weight above zero, after the defaults.",
    *DECISION_RULES,
)


def studies_for(user):
    return FeasibilityStudy.objects.visible_to(user).select_related("company")


def _recordable(request, programme: Programme) -> None:
    require(
        programme.is_recordable_by(request.user),
        _("Only advisors and programme managers of the programme can record feasibility studies."),
    )


@router.get("/markets/feasibility-studies", response=responses(Page[FeasibilityStudyOut]))
def list_studies(request, query: Query[FeasibilityStudyQuery]):
    """Feasibility studies in your programmes (SME users: their own company's)."""
    filters = {
        "programme_id": query.programme,
        "company_id": query.company,
        "decision": query.decision,
        "market": query.market.upper() if query.market else None,
    }
    studies = studies_for(request.user).filter(
        **{k: v for k, v in filters.items() if v is not None}
    )
    return paginate(studies, query)


@router.get("/markets/feasibility-studies/{int:study_id}", response=responses(FeasibilityStudyOut))
def get_study(request, study_id: Id):
    return get_visible(studies_for(request.user), study_id, _("feasibility study"))


@router.post(
    "/markets/feasibility-studies",
    response=responses(FeasibilityStudyOut, 201),
    openapi_extra=refused_when(*STUDY_RULES),
)
def create_study(request, payload: FeasibilityStudyIn):
    """Record a feasibility study; it keeps the market's current ranking as its snapshot."""
    user = request.user
    programme = get_referenced(
        Programme.objects.visible_to(user), payload.programme, "programme", _("programme")
    )
    _recordable(request, programme)
    company = get_referenced(
        Company.objects.visible_to(user), payload.company, "company", _("company")
    )
    partner = acting_partner(
        request, programme, payload.partner, field="partner", default=programme.lead
    )
    advisor = user
    if payload.advisor is not None:
        from metacluster.accounts.models import User

        advisor = get_referenced(
            User.objects.filter(organisation__partnerships__programme=programme).distinct(),
            payload.advisor,
            "advisor",
            _("advisor"),
        )
    data = payload.model_dump(exclude={"programme", "company", "partner", "advisor", "weights"})
    study = FeasibilityStudy(
        programme=programme, company=company, partner=partner, advisor=advisor, **data
    )
    try:
        study.ranking_snapshot = adapters.snapshot(
            home=company.country,
            offering=study.offering,
            market=study.market,
            weights=dict(payload.weights),
        )
    except InvalidRanking as error:
        raise ValidationError(error.errors) from None
    save_study(study, by=user)
    return Status(201, studies_for(user).get(pk=study.pk))


@router.patch(
    "/markets/feasibility-studies/{int:study_id}",
    response=responses(FeasibilityStudyOut),
    openapi_extra=refused_when(*DECISION_RULES),
)
def update_study(request, study_id: Id, payload: FeasibilityStudyPatch):
    """Change a study; send the `version` you loaded (409 if someone else saved since)."""
    study = get_visible(studies_for(request.user), study_id, _("feasibility study"))
    _recordable(request, study.programme)

    if payload.version != study.version:
        raise stale(study)
    for name, value in payload.model_dump(exclude_unset=True, exclude={"version"}).items():
        setattr(study, name, value)
    try:
        # Validates, saves only over the version the client loaded, and records the
        # feasibility-analysis delivery when the study is decided, all in one transaction.
        save_study(study, by=request.user, expected_version=payload.version)
    except StaleEdit:
        raise stale(FeasibilityStudy.objects.get(pk=study.pk)) from None
    study.refresh_from_db()
    return study
