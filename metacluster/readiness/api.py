"""Export readiness: the JSON API.

Assessments are started for a programme and company named in the path, answered with PATCH
(item id → 0–5, or null for "don't know") and completed with POST .../complete; the result
endpoint gives the scores, stage, gaps, recommended services and the position among the
programme's companies. Who sees what follows `models.AssessmentQuerySet.visible_to`.

A request that fits the schema but not the assessment's state — answering a completed one,
an item its instrument version does not have, completing with questions unanswered — is a
409 Conflict: the same request can succeed against another assessment.
"""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict, create_model

from metacluster.apiutils import (
    ERROR_STATUSES,
    ErrorOut,
    Id,
    Input,
    ListQuery,
    Page,
    Patch,
    QueryId,
    get_visible,
    integer,
    paginate,
    require,
    responses,
    stale,
)
from metacluster.companies.models import Company
from metacluster.programmes.api import visible_programme
from metacluster.versioning import StaleEdit

from . import figures, instruments
from .choices import AssessmentStatus, ReadinessStage
from .models import Assessment
from .workflows import answer_errors, complete_assessment, save_answers, start_assessment

router = Router(tags=["readiness"])

VERSION = r"^[0-9]{4}-[0-9]{1,3}$"


class Conflict(StaleEdit):
    """The request fits the schema but not this assessment's state (answered as 409)."""


# --- Schemas -----------------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    programme_id: int
    company_id: int
    company: str
    organisation_id: int = Field(..., description="The assessing partner.")
    instrument_version: str
    status: AssessmentStatus
    shared: bool = Field(..., description="Shared with all the programme's partners.")
    answered: int = Field(..., description="Items answered or marked “don't know”.")
    items: int
    overall: float | None = Field(..., description="0–100, set when completed.")
    stage: ReadinessStage | None
    assessed_on: date | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(..., description="Send it back with a PATCH (409 if it changed).")

    @staticmethod
    def resolve_company(a: Assessment) -> str:
        return a.company.name

    @staticmethod
    def resolve_answered(a: Assessment) -> int:
        return a.progress()[0]

    @staticmethod
    def resolve_items(a: Assessment) -> int:
        return a.progress()[1]

    @staticmethod
    def resolve_stage(a: Assessment) -> str | None:
        return a.stage or None


class AssessmentDetailOut(AssessmentOut):
    answers: dict[str, int | None] = Field(
        ..., description="Item id → 0–5, or null for “don't know”; unanswered items are absent."
    )


class DimensionOut(Schema):
    id: str
    name: str
    score: float | None
    completeness: float
    change: float | None = Field(..., description="Since the previous completed assessment.")
    programme_median: float | None


class GapOut(Schema):
    item: str
    question: str
    answer: int
    advice: str


class ServiceOption(Schema):
    id: int
    name: str
    provider: str


class RecommendationOut(Schema):
    service_kind: str
    priority: float
    items: list[str]
    services: list[ServiceOption] = Field(..., description="The programme's catalogue offers.")


class PositionOut(Schema):
    peers: int
    percentile: float | None = Field(
        ..., description=f"Null with fewer than {figures.MIN_PEERS} assessed peers."
    )
    median_overall: float | None


class ResultOut(Schema):
    assessment_id: int
    status: AssessmentStatus
    instrument_version: str
    overall: float | None
    completeness: float
    reliable: bool
    stage: ReadinessStage | None
    axes: dict[str, float | None]
    dimensions: list[DimensionOut]
    gaps: list[GapOut]
    recommendations: list[RecommendationOut]
    position: PositionOut | None = Field(..., description="Only for a completed assessment.")


class ItemOut(Schema):
    id: str
    dimension: str
    axis: str
    weight: float
    text: str
    help: str
    answer_labels: list[str]
    service_kind: str | None


class InstrumentOut(Schema):
    version: str
    title: str
    dimensions: list[dict[str, str | float]]
    stages: list[dict[str, str | float]]
    items: list[ItemOut]


def _all_item_ids() -> list[str]:
    ids: dict[str, None] = {}
    for version in instruments.available_versions():
        ids.update(dict.fromkeys(item.id for item in instruments.load(version).items))
    return list(ids)


# One optional property per item of any shipped instrument version, so that the document
# says exactly which answers exist; extra properties are refused.
AnswersIn = create_model(
    "AnswersIn",
    __config__=ConfigDict(extra="forbid"),
    **{item_id: (integer(ge=0, le=5) | None, Field(None)) for item_id in _all_item_ids()},
)


class AnswersPatch(Patch):
    answers: AnswersIn = Field(..., description="Item id → 0–5, or null for “don't know”.")


class CompleteIn(Input):
    version: Id = Field(..., description="The version you loaded; 409 if it has changed.")


class ShareIn(Input):
    shared: bool


class AssessmentQuery(ListQuery):
    programme: QueryId | None = None
    company: QueryId | None = None
    status: AssessmentStatus | None = None


# --- Helpers -----------------------------------------------------------------------------------


def assessments_for(user):
    return Assessment.objects.visible_to(user).select_related("programme", "company")


def visible_assessment(request, assessment_id: int) -> Assessment:
    return get_visible(assessments_for(request.user), assessment_id, _("assessment"))


def language() -> str:
    return get_language() or "en"


# --- Instruments -------------------------------------------------------------------------------


@router.get("/readiness/instruments", response=responses(list[str]))
def list_instruments(request):
    """The instrument versions shipped, oldest first."""
    return instruments.available_versions()


@router.get("/readiness/instruments/{version}", response=responses(InstrumentOut))
def get_instrument(request, version: Path[Annotated[str, Field(pattern=VERSION)]]):
    """One instrument's dimensions, stages and items, in your language (English where an
    item is not translated)."""
    if version not in instruments.available_versions():
        raise Http404(_("No instrument of version %(version)s.") % {"version": version})
    instrument = instruments.load(version)
    lang = language()
    return {
        "version": instrument.version,
        "title": instrument.title_text(lang),
        "dimensions": [
            {"id": d.id, "name": d.label(lang), "weight": d.weight} for d in instrument.dimensions
        ],
        "stages": [
            {"id": s.id, "name": s.label(lang), "min": s.minimum} for s in instrument.stages
        ],
        "items": [
            {
                "id": i.id,
                "dimension": i.dimension,
                "axis": i.axis,
                "weight": i.weight,
                "text": i.question(lang),
                "help": i.help_text(lang),
                "answer_labels": list(i.answer_labels(lang)),
                "service_kind": i.service,
            }
            for i in instrument.items
        ],
    }


# --- Assessments -------------------------------------------------------------------------------


@router.get("/readiness/assessments", response=responses(Page[AssessmentOut]))
def list_assessments(request, query: Query[AssessmentQuery]):
    """Assessments you may see: your company's (SME users); your organisation's and those
    shared with all partners of your programmes (staff)."""
    rows = assessments_for(request.user)
    filters = {
        "programme_id": query.programme,
        "company_id": query.company,
        "status": query.status,
    }
    return paginate(rows.filter(**{k: v for k, v in filters.items() if v is not None}), query)


@router.post(
    "/readiness/programmes/{int:programme_id}/companies/{int:company_id}/assessments",
    response={200: AssessmentDetailOut, 201: AssessmentDetailOut, ERROR_STATUSES: ErrorOut},
)
def start(request, programme_id: Id, company_id: Id):
    """Start an assessment (201), or get the company's unfinished one in the programme (200).
    SME users start their own company's; advisors and managers those of companies they record
    for, in programmes they record in."""
    user = request.user
    programme = visible_programme(request, programme_id)
    company = get_visible(Company.objects.editable_by(user), company_id, _("company"))
    if not user.is_sme:
        require(
            programme.is_recordable_by(user),
            _("Only advisors and programme managers of the programme start assessments."),
        )
    existing = Assessment.objects.drafts().filter(programme=programme, company=company).first()
    if existing:
        require(existing.is_answerable_by(user), _("Another partner runs this assessment."))
        return Status(200, existing)
    try:
        assessment = start_assessment(programme, company, by=user)
    except ValidationError as error:
        raise Conflict(" ".join(error.messages)) from None
    return Status(201, assessment)


@router.get("/readiness/assessments/{int:assessment_id}", response=responses(AssessmentDetailOut))
def get_assessment(request, assessment_id: Id):
    return visible_assessment(request, assessment_id)


@router.patch("/readiness/assessments/{int:assessment_id}", response=responses(AssessmentDetailOut))
def answer(request, assessment_id: Id, payload: AnswersPatch):
    """Save some answers (the others stay as they are). 409 if the assessment is completed,
    if an item is not in its instrument version, or if someone saved since your `version`."""
    assessment = visible_assessment(request, assessment_id)
    if not assessment.is_answerable_by(request.user):
        if not assessment.is_draft:
            raise Conflict(_("A completed assessment cannot be changed; start a new one."))
        raise PermissionDenied(_("Only the company and its assessing partner answer this."))
    answers = payload.answers.model_dump(exclude_unset=True)
    errors = answer_errors(assessment, answers)
    if errors:
        conflict = Conflict(
            _("These items are not in instrument %(version)s.")
            % {"version": assessment.instrument_version}
        )
        conflict.fields = {f"answers.{item}": [message] for item, message in errors.items()}
        raise conflict
    if payload.version != assessment.version:
        raise stale(assessment)
    save_answers(assessment, answers, expected_version=payload.version)
    return assessment


@router.post("/readiness/assessments/{int:assessment_id}/complete", response=responses(ResultOut))
def complete(request, assessment_id: Id, payload: CompleteIn):
    """Score and close the assessment, dated today. It counts as an export readiness delivery
    when the catalogue has such a service and today lies in the programme period, and moves
    the company to the assessed stage. 409 if items are unanswered (the `fields` name them),
    too many are “don't know”, or it is already completed."""
    assessment = visible_assessment(request, assessment_id)
    if not assessment.is_draft:
        raise Conflict(_("This assessment is already completed."))
    require(
        assessment.is_answerable_by(request.user),
        _("Only the company and its assessing partner complete this."),
    )
    if payload.version != assessment.version:
        raise stale(assessment)
    try:
        complete_assessment(assessment, by=request.user, expected_version=payload.version)
    except ValidationError as error:
        conflict = Conflict(_("The assessment cannot be completed yet."))
        if hasattr(error, "error_dict"):
            conflict.fields = error.message_dict
        else:
            conflict = Conflict(" ".join(error.messages))
        raise conflict from None
    return result_of(assessment)


@router.post("/readiness/assessments/{int:assessment_id}/share", response=responses(AssessmentOut))
def share(request, assessment_id: Id, payload: ShareIn):
    """Share the assessment with all the programme's partners, or stop sharing it. Only the
    company and the assessing partner decide."""
    assessment = visible_assessment(request, assessment_id)
    require(
        assessment.is_shareable_by(request.user),
        _("Only the company or its assessing partner decide on sharing."),
    )
    Assessment.objects.filter(pk=assessment.pk).update(shared=payload.shared)
    assessment.refresh_from_db()
    return assessment


@router.get("/readiness/assessments/{int:assessment_id}/result", response=responses(ResultOut))
def get_result(request, assessment_id: Id):
    """Scores, stage, the three biggest gaps, recommended services and, once completed, the
    position among the programme's assessed companies (aggregates only). For an unfinished
    assessment the figures are provisional, from the answers so far."""
    return result_of(visible_assessment(request, assessment_id))


def result_of(assessment: Assessment) -> dict:
    lang = language()
    instrument = assessment.instrument
    result = assessment.result()
    completed = not assessment.is_draft
    position = figures.position(assessment) if completed else None
    _previous, changes = figures.change_since_previous(assessment)
    services = list(
        assessment.programme.services.active().select_related("provider").order_by("name")
    )
    return {
        "assessment_id": assessment.pk,
        "status": assessment.status,
        "instrument_version": assessment.instrument_version,
        "overall": result.overall,
        "completeness": result.completeness,
        "reliable": result.reliable,
        "stage": result.stage,
        "axes": result.axes,
        "dimensions": [
            {
                "id": d.id,
                "name": d.label(lang),
                "score": result.dimensions[d.id].score,
                "completeness": result.dimensions[d.id].completeness,
                "change": changes.get(d.id),
                "programme_median": position.median_dimensions.get(d.id) if position else None,
            }
            for d in instrument.dimensions
        ],
        "gaps": [
            {
                "item": g.item,
                "question": instrument.item(g.item).question(lang),
                "answer": g.answer,
                "advice": instrument.item(g.item).advice_text(lang),
            }
            for g in result.gaps
        ],
        "recommendations": [
            {
                "service_kind": r.service,
                "priority": r.priority,
                "items": list(r.items),
                "services": [
                    {"id": s.pk, "name": s.name, "provider": s.provider.name}
                    for s in services
                    if s.kind == r.service
                ],
            }
            for r in result.recommendations
        ],
        "position": None
        if position is None
        else {
            "peers": position.peers,
            "percentile": position.percentile,
            "median_overall": position.median_overall,
        },
    }
