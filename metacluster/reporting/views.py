"""Funder reporting pages: periods, period reports and their exports, and partner views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.programmes.models import Partnership, Programme
from metacluster.versioning import StaleEdit

from . import exports
from .figures import blockers, generate_periods, live_figures, period_figures, submit_report
from .forms import GenerateForm, PeriodForm, SubmitForm
from .models import ReportingPeriod
from .partners import ZERO, delivered_values, partner_view


def reporting_programmes(user):
    """The programmes whose funder reports the user sees: its partners' staff see those they
    may see; SME users see none."""
    if user.is_sme and not user.is_superuser:
        return Programme.objects.none()
    return Programme.objects.visible_to(user)


def reporting_programme(request: HttpRequest, acronym: str) -> Programme:
    """The programme, if the user sees its funder reports; a 404 otherwise."""
    return get_object_or_404(reporting_programmes(request.user), acronym=acronym)


def may_fetch_export(user, job) -> bool:
    """An export job's file is for the one who started it (`Job.visible_to`) while they still
    see that programme's reports."""
    return ReportingPeriod.objects.filter(
        pk=job.params.get("period"), programme__in=reporting_programmes(user)
    ).exists()


def managed(request: HttpRequest, programme: Programme) -> None:
    if not programme.is_managed_by(request.user):
        raise PermissionDenied(_("Only the programme's managers change its reporting."))


def get_period(programme: Programme, number: int) -> ReportingPeriod:
    return get_object_or_404(
        ReportingPeriod.objects.select_related("programme", "report__submitted_by"),
        programme=programme,
        number=number,
    )


def visible_partners(request: HttpRequest, programme: Programme):
    """The partners whose partner view this user may open: all for managers, else their own."""
    partnerships = programme.partnerships.select_related("organisation")
    if programme.is_managed_by(request.user):
        return partnerships
    return partnerships.filter(organisation_id=request.user.organisation_id)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    programmes = []
    if not request.user.is_sme or request.user.is_superuser:
        programmes = Programme.objects.visible_to(request.user).prefetch_related(
            "reporting_periods__report"
        )
    return render(request, "reporting/index.html", {"programmes": programmes})


@login_required
def programme_reports(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = reporting_programme(request, acronym)
    periods = programme.reporting_periods.select_related("report__submitted_by")
    can_manage = programme.is_managed_by(request.user)
    values = delivered_values(programme)
    partners = [
        (partnership, values.get(partnership.organisation_id, ZERO))
        for partnership in visible_partners(request, programme)
    ]
    return render(
        request,
        "reporting/programme.html",
        {
            "programme": programme,
            "periods": periods,
            "can_manage": can_manage,
            "generate_form": GenerateForm() if can_manage else None,
            "partners": partners,
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = reporting_programme(request, acronym)
    managed(request, programme)
    form = GenerateForm(request.POST)
    if form.is_valid():
        periods = generate_periods(programme, form.cleaned_data["months"])
        messages.success(
            request,
            _("The programme now has %(count)s reporting periods.") % {"count": len(periods)},
        )
    else:
        messages.error(request, " ".join(form.errors.get("months", [])))
    return redirect("reporting:programme", acronym=programme.acronym)


@login_required
def period_edit(request: HttpRequest, acronym: str, number: int) -> HttpResponse:
    programme = reporting_programme(request, acronym)
    managed(request, programme)
    period = get_period(programme, number)
    if period.is_submitted:
        messages.error(request, _("This period is reported; its dates can no longer change."))
        return redirect("reporting:period", acronym=acronym, number=number)
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The period is saved."))
            return redirect("reporting:programme", acronym=acronym)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Edit period %(number)s") % {"number": number},
            "cancel_url": f"/reporting/{acronym}/",
        },
    )


@login_required
def period_report(request: HttpRequest, acronym: str, number: int) -> HttpResponse:
    programme = reporting_programme(request, acronym)
    period = get_period(programme, number)
    rows = period_figures(period)
    can_manage = programme.is_managed_by(request.user)
    problems = blockers(period)
    form = None
    if can_manage and not problems:
        adjusted = [row for row in rows if row.adjustment or row.added or row.removed]
        form = SubmitForm(request.POST or None, adjusted=adjusted)
        if request.method == "POST" and form.is_valid():
            try:
                submit_report(
                    period,
                    request.user,
                    reasons=form.reasons(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("%(period)s is submitted; its figures are frozen.") % {"period": period},
                )
                return redirect("reporting:period", acronym=acronym, number=number)
    elif request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only the programme's managers submit its reports."))
        # Someone submitted it meanwhile, or it cannot be submitted yet: say why.
        for problem in problems:
            messages.error(request, problem)
        return redirect("reporting:period", acronym=acronym, number=number)
    # For a submitted report, what the records say today: a difference will show as an
    # adjustment in the next period's report.
    recomputed = []
    if period.is_submitted:
        live = {row.code: row.cumulative for row in live_figures(period) if not row.error}
        recomputed = [(row, live.get(row.code)) for row in rows]
    return render(
        request,
        "reporting/period.html",
        {
            "programme": programme,
            "period": period,
            "rows": rows,
            "recomputed": recomputed,
            "form": form,
            "blockers": problems if can_manage else [],
            "can_manage": can_manage,
            "previous": programme.reporting_periods.filter(start__lt=period.start).last(),
            "next": programme.reporting_periods.filter(start__gt=period.start).first(),
        },
    )


@login_required
def period_export(request: HttpRequest, acronym: str, number: int, fmt: str) -> HttpResponse:
    programme = reporting_programme(request, acronym)
    period = get_period(programme, number)
    if fmt not in exports.FORMATS:
        raise Http404
    content, content_type, name = exports.render(period, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def period_export_job(request: HttpRequest, acronym: str, number: int, fmt: str) -> HttpResponse:
    """An XLSX or PDF export as a background job (metacluster/jobs): its page shows the
    progress, then offers the file to the one who started it and leads back to the report."""
    from metacluster.jobs import tasks

    programme = reporting_programme(request, acronym)
    period = get_period(programme, number)
    if fmt not in exports.FORMATS:
        raise Http404
    job = tasks.start_job(
        tasks.export_period_report,
        title=_("%(programme)s: indicator report, period %(number)s (%(format)s)")
        % {"programme": programme.name, "number": period.number, "format": fmt.upper()},
        params={"period": period.pk, "format": fmt},
        by=request.user,
        link=reverse("reporting:period", args=[programme.acronym, period.number]),
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
def partner(request: HttpRequest, acronym: str, organisation_id: int) -> HttpResponse:
    programme = reporting_programme(request, acronym)
    partnership = get_object_or_404(
        Partnership.objects.select_related("organisation", "programme"),
        programme=programme,
        organisation_id=organisation_id,
    )
    if not visible_partners(request, programme).filter(pk=partnership.pk).exists():
        raise PermissionDenied(_("Each partner sees its own partner view; managers see all."))
    periods = list(programme.reporting_periods.all())
    view = partner_view(partnership, periods)
    return render(
        request,
        "reporting/partner.html",
        {
            "programme": programme,
            "view": view,
            "periods": periods,
            "deliveries": view.deliveries[:200],
            "delivery_count": view.deliveries.count(),
        },
    )
