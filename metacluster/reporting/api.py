"""Funder reporting: reporting periods, period reports (live drafts and frozen submissions) and
partner views."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from metacluster.apiutils import (
    Id,
    Input,
    IsoDate,
    ListQuery,
    Page,
    Patch,
    Text,
    apply_edit,
    get_visible,
    integer,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.programmes.api import visible_programme
from metacluster.programmes.models import Partnership

from .figures import blockers, generate_periods, period_figures, submit_report
from .models import ReportingPeriod
from .partners import partner_view

router = Router(tags=["reporting"])


# --- Schemas -----------------------------------------------------------------------------------


class ReportingPeriodOut(Schema):
    id: int
    programme_id: int
    number: int
    start: date = Field(..., description="First day, included.")
    end: date = Field(..., description="Last day, included.")
    due_on: date | None
    submitted: bool
    submitted_at: datetime | None
    version: int

    @staticmethod
    def resolve_submitted(period: ReportingPeriod) -> bool:
        return period.is_submitted

    @staticmethod
    def resolve_submitted_at(period: ReportingPeriod) -> datetime | None:
        return period.report.submitted_at if period.is_submitted else None


class EvidenceRecordOut(Schema):
    id: int
    label: str
    country: str
    size_class: str = Field(..., description="micro, small, medium, large, or empty if unknown.")
    counted_from: date


class ReportedFigureOut(Schema):
    code: str
    eu_code: str
    eu_name: str
    name: str
    unit: str
    target: Decimal | None
    previously_reported: int = Field(..., description="Reported for earlier periods.")
    adjustment: int = Field(
        ..., description="Change to earlier periods' figures found since they were reported."
    )
    adjustment_reason: str
    this_period: int
    cumulative: int = Field(..., description="previously_reported + adjustment + this_period")
    record_type: str
    records: list[EvidenceRecordOut] = Field(..., description="The records counted this period.")
    added: list[EvidenceRecordOut] = Field(..., description="Records the adjustment adds.")
    removed: list[EvidenceRecordOut] = Field(..., description="Records the adjustment removes.")
    error: str = Field("", description="Why the figure cannot be computed, if it cannot.")


class IndicatorReportOut(Schema):
    period: ReportingPeriodOut
    status: str = Field(..., description="“submitted” (frozen) or “draft” (computed now).")
    submitted_by: str | None
    note: str
    can_submit: bool = Field(..., description="Whether you may submit it now.")
    blockers: list[str] = Field(..., description="Why it cannot be submitted now, if not.")
    figures: list[ReportedFigureOut]


class GeneratePeriodsIn(Input):
    months: integer(ge=1, le=24) = Field(6, description="Months per period.")


class ReportingPeriodPatch(Patch):
    start: IsoDate = None
    end: IsoDate = None
    due_on: IsoDate | None = None


class SubmitReportIn(Input):
    note: Text = Field("", max_length=5000)
    reasons: dict[Text, Text] = Field(
        default_factory=dict,
        description="A reason for each indicator (by code) whose earlier figures changed.",
    )


class PartnerServiceUseOut(Schema):
    service: str
    unit: str
    quantity: Decimal
    value: Decimal


class PartnerPeriodUseOut(Schema):
    period: int
    deliveries: int
    value: Decimal


class IndicatorContributionOut(Schema):
    code: str
    total: int | None
    by_period: list[int]
    error: str


class PartnerViewOut(Schema):
    organisation_id: int
    organisation: str
    budget: Decimal | None
    delivered_value: Decimal = Field(..., description="Σ quantity × value per unit.")
    budget_percent: int | None
    by_period: list[PartnerPeriodUseOut]
    by_service: list[PartnerServiceUseOut]
    contributions: list[IndicatorContributionOut]


# --- Helpers -----------------------------------------------------------------------------------


def reporting_programme(request, programme_id: int):
    programme = visible_programme(request, programme_id)
    if request.user.is_sme and not request.user.is_superuser:
        raise Http404(_("No programme with id %(id)s.") % {"id": programme_id})
    return programme


def visible_period(request, period_id: int) -> ReportingPeriod:
    return get_visible(
        ReportingPeriod.objects.visible_to(request.user).select_related(
            "programme", "report__submitted_by"
        ),
        period_id,
        _("reporting period"),
    )


def report_out(request, period: ReportingPeriod) -> dict:
    problems = blockers(period)
    manager = period.programme.is_managed_by(request.user)
    report = period.report if period.is_submitted else None
    return {
        "period": period,
        "status": "submitted" if report else "draft",
        "submitted_by": str(report.submitted_by) if report and report.submitted_by else None,
        "note": report.note if report else "",
        "can_submit": manager and not problems,
        "blockers": problems,
        "figures": period_figures(period),
    }


# --- Periods -----------------------------------------------------------------------------------


@router.get("/programmes/{int:programme_id}/periods", response=responses(Page[ReportingPeriodOut]))
def list_periods(request, programme_id: Id, query: Query[ListQuery]):
    """The programme's reporting periods, in order."""
    programme = reporting_programme(request, programme_id)
    periods = programme.reporting_periods.select_related("report")
    return paginate(periods, query)


@router.post(
    "/programmes/{int:programme_id}/periods/generate", response=responses(list[ReportingPeriodOut])
)
def generate(request, programme_id: Id, payload: GeneratePeriodsIn):
    """Cut the programme into periods of `months` months from its start (programme managers
    only). Reported periods are kept; unreported ones are replaced."""
    programme = reporting_programme(request, programme_id)
    require(
        programme.is_managed_by(request.user),
        _("Only the programme's managers change its reporting."),
    )
    generate_periods(programme, payload.months)
    return list(programme.reporting_periods.select_related("report"))


@router.get("/periods/{int:period_id}", response=responses(ReportingPeriodOut))
def get_period(request, period_id: Id):
    return visible_period(request, period_id)


@router.patch(
    "/periods/{int:period_id}",
    response=responses(ReportingPeriodOut),
    openapi_extra=refused_when(
        "start: a period lies within the programme, does not overlap another and cannot "
        "change once reported",
        "end: a period cannot end before it starts",
    ),
)
def update_period(request, period_id: Id, payload: ReportingPeriodPatch):
    """Change a period's dates before it is reported (programme managers only); send the
    `version` you loaded."""
    period = visible_period(request, period_id)
    require(
        period.programme.is_managed_by(request.user),
        _("Only the programme's managers change its reporting."),
    )
    return apply_edit(period, payload)


# --- Reports -----------------------------------------------------------------------------------


@router.get("/periods/{int:period_id}/report", response=responses(IndicatorReportOut))
def get_report(request, period_id: Id):
    """The period's indicator report: frozen figures once submitted, computed now before."""
    return report_out(request, visible_period(request, period_id))


@router.post(
    "/periods/{int:period_id}/report",
    response=responses(IndicatorReportOut, 201),
    openapi_extra=refused_when(
        "period: reported once, after it ends, and after every earlier period",
        "reasons: each indicator whose earlier figures changed needs a reason",
    ),
)
def submit(request, period_id: Id, payload: SubmitReportIn):
    """Submit the period's report (programme managers only): its figures are frozen from then
    on, and later changes show as adjustments in the next period's report."""
    period = visible_period(request, period_id)
    require(
        period.programme.is_managed_by(request.user),
        _("Only the programme's managers submit its reports."),
    )
    try:
        submit_report(period, request.user, reasons=payload.reasons, note=payload.note)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            fields = {
                ("reasons" if name.startswith("reason_") else "period"): messages
                for name, messages in error.message_dict.items()
            }
            raise ValidationError(fields) from None
        raise ValidationError({"period": error.messages}) from None
    period = visible_period(request, period_id)
    return Status(201, report_out(request, period))


# --- Partner views -----------------------------------------------------------------------------


@router.get(
    "/programmes/{int:programme_id}/partners/{int:organisation_id}/view",
    response=responses(PartnerViewOut),
)
def partner(request, programme_id: Id, organisation_id: Id):
    """A partner's deliveries by period and service, budget use and contribution to each
    indicator. Staff see their own organisation's; programme managers every partner's."""
    programme = reporting_programme(request, programme_id)
    partnership = (
        Partnership.objects.filter(programme=programme, organisation_id=organisation_id)
        .select_related("organisation", "programme")
        .first()
    )
    if partnership is None:
        raise Http404(_("No partner with id %(id)s.") % {"id": organisation_id})
    require(
        programme.is_managed_by(request.user) or request.user.organisation_id == organisation_id,
        _("Each partner sees its own partner view; managers see all."),
    )
    view = partner_view(partnership, list(programme.reporting_periods.all()))
    return {
        "organisation_id": organisation_id,
        "organisation": partnership.organisation.name,
        "budget": view.budget,
        "delivered_value": view.delivered_value,
        "budget_percent": view.budget_percent,
        "by_period": [
            {"period": use.period.number, "deliveries": use.deliveries, "value": use.value}
            for use in view.by_period
        ],
        "by_service": [
            {
                "service": item["service__name"],
                "unit": item["service__unit"],
                "quantity": item["units"],
                "value": item["value"].quantize(Decimal("0.01")),
            }
            for item in view.by_service
        ],
        "contributions": [
            {
                "code": c.indicator.code,
                "total": c.total,
                "by_period": c.by_period,
                "error": c.error,
            }
            for c in view.contributions
        ],
    }
