"""Market guides: barriers per market with search and stale flags, and experience reports
that advisors review before they are published."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from metacluster.accounts.models import Organisation
from metacluster.apiutils import (
    Country,
    CountryFilter,
    Id,
    Input,
    IsoDate,
    ListQuery,
    Page,
    Patch,
    QueryBool,
    QueryId,
    Text,
    apply_edit,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.models import Company
from metacluster.deals.models import Deal
from metacluster.events.models import Event
from metacluster.markets.choices import Offering
from metacluster.nace import picked_nace, unknown_nace_message
from metacluster.programmes.models import Programme
from metacluster.services.models import Service

from . import workflows
from .choices import BarrierKind, BarrierStatus, ReportStatus, SourceKind
from .forms import filter_barriers
from .models import LANGUAGE_CHOICES, Barrier, ExperienceReport

router = Router(tags=["guides"])

LANGUAGES = [code for code, _name in LANGUAGE_CHOICES]
Language = Literal[tuple(LANGUAGES)]
NACE_PATTERN = r"^([A-U]|[0-9]{2}(\.[0-9]{1,2})?)?$"
CURATORS_ONLY = gettext_lazy("Only the programme's advisors and managers curate its market guides.")


# --- Barriers ----------------------------------------------------------------------------------


class BarrierOut(Schema):
    id: int
    programme_id: int
    market: str
    market_name: str
    offering: str = Field(..., description="Empty: every offering.")
    nace: str = Field(..., description="NACE section or code; empty: every sector.")
    nace_name: str = Field(..., description="The sector's NACE title in the request's language.")
    kind: str
    title: str
    description: str
    how_to_overcome: str
    helping_partner_id: int | None
    helping_service_id: int | None
    source_kind: str
    source_title: str
    source_url: str
    last_confirmed_on: date
    confirmed_by_id: int | None
    stale: bool = Field(..., description="Not confirmed within the staleness period.")
    language: str = Field(..., description="The language the entry is written in.")
    status: str
    created_at: datetime
    version: int

    @staticmethod
    def resolve_stale(barrier: Barrier) -> bool:
        return barrier.is_stale(timezone.localdate())


class BarrierIn(Input):
    programme: Id
    market: Country = Field(..., examples=["CN"])
    kind: BarrierKind
    offering: Offering | None = None
    nace: str = Field("", pattern=NACE_PATTERN, max_length=5, examples=["62"])
    title: Text = Field(..., min_length=1, max_length=200)
    description: Text = Field(..., min_length=1, max_length=20_000)
    how_to_overcome: Text = Field("", max_length=20_000)
    helping_partner: Id | None = Field(None, description="Organisation id, a programme partner.")
    helping_service: Id | None = Field(None, description="Service id in the programme.")
    source_kind: SourceKind = SourceKind.DOCUMENT
    source_title: Text = Field(..., min_length=1, max_length=300)
    source_url: Text = Field("", max_length=500, examples=["https://trade.ec.europa.eu/"])
    last_confirmed_on: IsoDate | None = Field(None, description="Today by default.")
    language: Language = Field("en", description="The language the entry is written in.")
    status: BarrierStatus = BarrierStatus.OPEN


class BarrierPatch(Patch):
    kind: BarrierKind = None
    offering: Offering | None = None
    nace: str = Field(None, pattern=NACE_PATTERN, max_length=5)
    title: Text = Field(None, min_length=1, max_length=200)
    description: Text = Field(None, min_length=1, max_length=20_000)
    how_to_overcome: Text = Field(None, max_length=20_000)
    helping_partner: Id | None = None
    helping_service: Id | None = None
    source_kind: SourceKind = None
    source_title: Text = Field(None, min_length=1, max_length=300)
    source_url: Text = Field(None, max_length=500)
    last_confirmed_on: IsoDate = None
    language: Language = None
    status: BarrierStatus = None


class BarrierQuery(ListQuery):
    q: Text = Field("", max_length=200, description="Words in the title, description or advice.")
    programme: QueryId | None = None
    market: CountryFilter | None = None
    kind: BarrierKind | None = None
    offering: Offering | None = Field(None, description="This offering's and general barriers.")
    nace: str = Field(
        "",
        max_length=200,
        description="This NACE Rev. 2 section, division, group or class and its subdivisions "
        "(and barriers of every sector), e.g. 62; or a division's title.",
    )
    status: BarrierStatus | None = None
    stale: QueryBool | None = Field(None, description="true: stale only; false: fresh only.")


BARRIER_RULES = (
    "`programme`: a programme you see.",
    "`helping_partner`: a partner of the programme.",
    "`helping_service`: a service of the programme's catalogue.",
    "`source_url`: a valid http(s) URL.",
    "`last_confirmed_on`: not in the future.",
)


def _references(payload, programme: Programme) -> dict:
    """The organisation and service a payload names, as fields of the barrier."""
    data = payload.model_dump(exclude_unset=True)
    found = {}
    if "helping_partner" in data:
        found["helping_partner"] = get_referenced(
            Organisation.objects.filter(partnerships__programme=programme),
            data["helping_partner"],
            "helping_partner",
            _("partner"),
        )
    if "helping_service" in data:
        found["helping_service"] = get_referenced(
            Service.objects.filter(programme=programme),
            data["helping_service"],
            "helping_service",
            _("service"),
        )
    return found


@router.get(
    "/guides/barriers",
    response=responses(Page[BarrierOut]),
    openapi_extra=refused_when(
        "`nace`: a NACE Rev. 2 section, division, group or class (`J`, `62`, `62.0`, `62.01`), "
        "or a division's title."
    ),
)
def list_barriers(request, query: Query[BarrierQuery]):
    """Search the market guides: full text (every word, prefix, case and accents ignored)
    and filters by market, kind, offering, sector, status and staleness."""
    nace = picked_nace(query.nace, sections=True) if query.nace else ""
    if nace is None:
        raise ValidationError({"nace": unknown_nace_message(query.nace, sections=True)})
    barriers = Barrier.objects.visible_to(request.user)
    if query.programme:
        barriers = barriers.filter(programme_id=query.programme)
    barriers = filter_barriers(
        barriers,
        timezone.localdate(),
        q=query.q,
        market=query.market or "",
        kind=query.kind or "",
        offering=query.offering or "",
        nace=nace,
        status=query.status or "",
        stale=query.stale,
    )
    return paginate(barriers, query)


@router.get("/guides/barriers/{int:barrier_id}", response=responses(BarrierOut))
def get_barrier(request, barrier_id: Id):
    return get_visible(Barrier.objects.visible_to(request.user), barrier_id, _("barrier"))


@router.post(
    "/guides/barriers",
    response=responses(BarrierOut, 201),
    openapi_extra=refused_when(*BARRIER_RULES),
)
def create_barrier(request, payload: BarrierIn):
    """Add a barrier to a market's guide (advisors and managers of the programme)."""
    programme = get_referenced(
        Programme.objects.visible_to(request.user), payload.programme, "programme", _("programme")
    )
    require(programme.is_recordable_by(request.user), str(CURATORS_ONLY))
    data = payload.model_dump(exclude={"programme", "helping_partner", "helping_service"})
    data["offering"] = data["offering"] or ""
    data["last_confirmed_on"] = data["last_confirmed_on"] or timezone.localdate()
    barrier = Barrier(
        programme=programme,
        created_by=request.user,
        confirmed_by=request.user,
        **data,
        **_references(payload, programme),
    )
    barrier.full_clean()
    barrier.save()
    return Status(201, barrier)


@router.patch(
    "/guides/barriers/{int:barrier_id}",
    response=responses(BarrierOut),
    openapi_extra=refused_when(*BARRIER_RULES[1:]),
)
def update_barrier(request, barrier_id: Id, payload: BarrierPatch):
    """Change a barrier; send the `version` you loaded (409 if someone else saved since)."""
    barrier = get_visible(Barrier.objects.visible_to(request.user), barrier_id, _("barrier"))
    require(barrier.programme.is_recordable_by(request.user), str(CURATORS_ONLY))
    references = _references(payload, barrier.programme)

    def check(instance):
        if instance.offering is None:
            instance.offering = ""
        for name, value in references.items():
            setattr(instance, name, value)
        if payload.last_confirmed_on is not None:
            instance.confirmed_by = request.user

    return apply_edit(barrier, payload, check=check, exclude={"helping_partner", "helping_service"})


@router.post("/guides/barriers/{int:barrier_id}/confirm", response=responses(BarrierOut))
def confirm_barrier(request, barrier_id: Id):
    """Confirm that the barrier still holds, as of today; this clears its stale flag."""
    barrier = get_visible(Barrier.objects.visible_to(request.user), barrier_id, _("barrier"))
    require(barrier.programme.is_recordable_by(request.user), str(CURATORS_ONLY))
    workflows.confirm(barrier, by=request.user)
    barrier.refresh_from_db()
    return barrier


# --- Experience reports ------------------------------------------------------------------------


class ExperienceReportOut(Schema):
    id: int
    programme_id: int
    market: str
    company_id: int | None
    author_id: int | None
    title: str
    text: str
    suggested_kind: str
    occurred_on: date
    deal_id: int | None
    event_id: int | None
    language: str
    status: str
    barrier_id: int | None
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    rejection_reason: str
    created_at: datetime


class ExperienceReportIn(Input):
    programme: Id
    market: Country = Field(..., examples=["VN"])
    company: Id | None = Field(None, description="Staff only; an SME user's own by default.")
    title: Text = Field(..., min_length=1, max_length=200)
    text: Text = Field(..., min_length=1, max_length=20_000)
    suggested_kind: BarrierKind | None = None
    occurred_on: IsoDate | None = Field(None, description="Today by default.")
    deal: Id | None = None
    event: Id | None = None
    language: Language = Field("en", description="The language the entry is written in.")


class NewBarrierIn(Input):
    kind: BarrierKind
    title: Text = Field(..., min_length=1, max_length=200)
    how_to_overcome: Text = Field("", max_length=20_000)


class ReportPublishIn(Input):
    barrier: Id | None = Field(None, description="Attach to this barrier as its source.")
    new_barrier: NewBarrierIn | None = Field(None, description="Or turn it into a new barrier.")


class ReportRejectIn(Input):
    reason: Text = Field(..., min_length=1, max_length=2000)


class ExperienceReportQuery(ListQuery):
    programme: QueryId | None = None
    market: CountryFilter | None = None
    status: ReportStatus | None = None


REPORT_RULES = (
    "`programme`: a programme you see.",
    "`company`: a company you see (SME users report for their own).",
    "`deal`: a deal of the programme that you see.",
    "`event`: an event of the programme that you see.",
    "`occurred_on`: not in the future.",
)


@router.get("/guides/experience-reports", response=responses(Page[ExperienceReportOut]))
def list_reports(request, query: Query[ExperienceReportQuery]):
    """Published reports, and those waiting for review that you wrote or review."""
    filters = {
        "programme_id": query.programme,
        "market": query.market.upper() if query.market else None,
        "status": query.status,
    }
    reports = ExperienceReport.objects.visible_to(request.user).filter(
        **{k: v for k, v in filters.items() if v is not None}
    )
    return paginate(reports, query)


@router.get("/guides/experience-reports/{int:report_id}", response=responses(ExperienceReportOut))
def get_report(request, report_id: Id):
    return get_visible(
        ExperienceReport.objects.visible_to(request.user), report_id, _("experience report")
    )


@router.post(
    "/guides/experience-reports",
    response=responses(ExperienceReportOut, 201),
    openapi_extra=refused_when(*REPORT_RULES),
)
def create_report(request, payload: ExperienceReportIn):
    """Report what you learnt about a market; an advisor reviews it before it is published."""
    user = request.user
    programme = get_referenced(
        Programme.objects.visible_to(user), payload.programme, "programme", _("programme")
    )
    company = None
    if payload.company is not None:
        companies = Company.objects.visible_to(user)
        if user.is_sme:
            companies = companies.filter(pk=user.company_id)
        company = get_referenced(companies, payload.company, "company", _("company"))
    report = ExperienceReport(
        programme=programme,
        market=payload.market,
        company=company,
        title=payload.title,
        text=payload.text,
        suggested_kind=payload.suggested_kind or "",
        occurred_on=payload.occurred_on or timezone.localdate(),
        deal=get_referenced(
            Deal.objects.visible_to(user).filter(programme=programme),
            payload.deal,
            "deal",
            _("deal"),
        ),
        event=get_referenced(
            Event.objects.visible_to(user).filter(programme=programme),
            payload.event,
            "event",
            _("event"),
        ),
        language=payload.language,
    )
    workflows.submit_report(report, by=user)
    return Status(201, report)


def _reviewable(request, report_id: int) -> ExperienceReport:
    report = get_visible(
        ExperienceReport.objects.visible_to(request.user), report_id, _("experience report")
    )
    require(
        workflows.may_review(report, request.user),
        _("Only the programme's advisors and managers review reports."),
    )
    return report


@router.post(
    "/guides/experience-reports/{int:report_id}/publish",
    response=responses(ExperienceReportOut),
    openapi_extra=refused_when(
        "`barrier`: a barrier of the report's programme and market; not with `new_barrier`.",
    ),
)
def publish_report(request, report_id: Id, payload: ReportPublishIn):
    """Publish a report waiting for review, optionally as the source of a barrier (which it
    confirms today) or as a new barrier. 409 if it has been reviewed already."""
    from django.core.exceptions import ValidationError

    report = _reviewable(request, report_id)
    if payload.barrier is not None and payload.new_barrier is not None:
        raise ValidationError({"barrier": _("Attach to a barrier or create one, not both.")})
    barrier = get_referenced(
        Barrier.objects.filter(programme=report.programme, market=report.market),
        payload.barrier,
        "barrier",
        _("barrier"),
    )
    new_barrier = None
    if payload.new_barrier is not None:
        new_barrier = Barrier(
            kind=payload.new_barrier.kind,
            title=payload.new_barrier.title,
            how_to_overcome=payload.new_barrier.how_to_overcome,
            description=report.text,
            language=report.language,
            confirmed_by=request.user,
        )
    return workflows.publish(report, by=request.user, barrier=barrier, new_barrier=new_barrier)


@router.post(
    "/guides/experience-reports/{int:report_id}/reject",
    response=responses(ExperienceReportOut),
    openapi_extra=refused_when("`reason`: not only spaces."),
)
def reject_report(request, report_id: Id, payload: ReportRejectIn):
    """Reject a report waiting for review, with the reason its author will see."""
    from django.core.exceptions import ValidationError

    report = _reviewable(request, report_id)
    try:
        return workflows.reject(report, by=request.user, reason=payload.reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
