from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.countries import countries, country_name
from metacluster.formutils import add_errors
from metacluster.htmx import htmx_partial
from metacluster.markets.models import FeasibilityStudy
from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme
from metacluster.versioning import StaleEdit

from . import workflows
from .forms import BarrierForm, BarrierSearchForm, ExperienceReportForm, PublishForm, RejectForm
from .models import Barrier, ExperienceReport, stale_after
from .pdf import guide_context, render_pdf
from .queries import open_barrier_counts

PAGE = 50


def visible_barriers(user):
    return Barrier.objects.visible_to(user).select_related(
        "programme", "helping_partner", "helping_service", "confirmed_by"
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Search across the market guides, with the markets that have a guide."""
    today = timezone.localdate()
    form = BarrierSearchForm(request.GET or None)
    barriers = visible_barriers(request.user)
    if form.is_bound and form.is_valid():
        barriers = form.filter(barriers, today)
    elif form.is_bound:
        barriers = barriers.none()
    page = Paginator(barriers, PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "today": today, "query": _query_without_page(request)}
    if htmx_partial(request):
        return render(request, "guides/_results.html", context)
    counts = open_barrier_counts(request.user)
    context |= {
        "markets": sorted(
            ((code, country_name(code), n) for code, n in counts.items()),
            key=lambda row: row[1],
        ),
        "can_edit": Programme.objects.recordable_by(request.user).exists(),
        "pending": ExperienceReport.objects.visible_to(request.user)
        .pending()
        .filter(programme__in=Programme.objects.recordable_by(request.user))
        .count(),
        "stale_days": stale_after().days,
    }
    return render(request, "guides/index.html", context)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _market(code: str) -> str:
    code = code.upper()
    if code not in countries():
        raise Http404(_("No such market."))
    return code


@login_required
def guide(request: HttpRequest, market: str) -> HttpResponse:
    """One market's guide: its barriers by kind, with sources and dates, and what SMEs and
    advisors reported after meetings, missions and deals."""
    market = _market(market)
    context = guide_context(request.user, market, request.GET.get("offering") or None)
    context["can_edit"] = Programme.objects.recordable_by(request.user).exists()
    return render(request, "guides/guide.html", context)


@login_required
def guide_pdf(request: HttpRequest, market: str) -> HttpResponse:
    market = _market(market)
    pdf = render_pdf(request.user, market, request.GET.get("offering") or None, get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"market-guide-{market}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def barrier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = get_object_or_404(visible_barriers(request.user), pk=pk)
    reports = ExperienceReport.objects.visible_to(request.user).filter(barrier=barrier)
    return render(
        request,
        "guides/barrier.html",
        {
            "barrier": barrier,
            "reports": reports.select_related("company", "author"),
            "stale": barrier.is_stale(),
            "can_edit": barrier.programme.is_recordable_by(request.user),
        },
    )


@login_required
def barrier_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    barrier = get_object_or_404(visible_barriers(request.user), pk=pk) if pk else None
    recordable = Programme.objects.recordable_by(request.user)
    if not recordable.exists() or (
        barrier and not recordable.filter(pk=barrier.programme_id).exists()
    ):
        raise PermissionDenied(_("Only the programme's advisors and managers curate its guides."))
    initial = {"market": request.GET.get("market", "").upper()} if not barrier else None
    form = BarrierForm(request.POST or None, instance=barrier, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        if barrier is None:
            instance.created_by = request.user
        if barrier is None or "last_confirmed_on" in form.changed_data:
            instance.confirmed_by = request.user
        try:
            instance.save_versioned(form.cleaned_data.get("version") or instance.version)
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The barrier is saved."))
            return redirect(instance.get_absolute_url())
    title = _("Edit barrier") if barrier else _("New barrier")
    cancel = barrier.get_absolute_url() if barrier else "/guides/"
    return render(request, "form.html", {"form": form, "title": title, "cancel_url": cancel})


@login_required
@require_POST
def barrier_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = get_object_or_404(visible_barriers(request.user), pk=pk)
    if not barrier.programme.is_recordable_by(request.user):
        raise PermissionDenied(_("Only the programme's advisors and managers curate its guides."))
    workflows.confirm(barrier, by=request.user)
    messages.success(request, _("Confirmed as still valid today."))
    return redirect(next_url(request, barrier.get_absolute_url()))


# --- Experience reports ------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = ExperienceReport.objects.visible_to(request.user).select_related(
        "programme", "company", "author"
    )
    status = request.GET.get("status")
    if status in ("pending", "published", "rejected"):
        reports = reports.filter(status=status)
    return render(
        request,
        "guides/reports.html",
        {
            "page": Paginator(reports, PAGE).get_page(request.GET.get("page")),
            "status": status,
        },
    )


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    if not Programme.objects.visible_to(request.user).exists():
        raise PermissionDenied(_("You take part in no programme to report on."))
    initial = {
        key: request.GET[key]
        for key in ("market", "programme", "deal", "event")
        if key in request.GET
    }
    if "market" in initial:
        initial["market"] = initial["market"].upper()
    form = ExperienceReportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        try:
            workflows.submit_report(report, by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. An advisor reviews the report before it is published.")
            )
            return redirect(report.get_absolute_url())
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("New experience report"),
            "intro": _(
                "What did you learn about the market at a meeting, mission or deal? "
                "An advisor of the programme reviews your report before others see it."
            ),
            "submit_label": _("Send for review"),
            "cancel_url": "/guides/reports/",
        },
    )


def visible_report(request, pk: int) -> ExperienceReport:
    return get_object_or_404(
        ExperienceReport.objects.visible_to(request.user).select_related(
            "programme", "company", "author", "barrier", "deal", "event", "reviewed_by"
        ),
        pk=pk,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    can_review = report.is_pending and workflows.may_review(report, request.user)
    return render(
        request,
        "guides/report.html",
        {
            "report": report,
            "can_review": can_review,
            "publish_form": PublishForm(report=report) if can_review else None,
            "reject_form": RejectForm() if can_review else None,
        },
    )


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    if not workflows.may_review(report, request.user):
        raise PermissionDenied(_("Only the programme's advisors and managers review reports."))
    form = PublishForm(request.POST, report=report)
    if form.is_valid():
        action = form.cleaned_data["action"]
        new_barrier = None
        if action == PublishForm.CREATE:
            new_barrier = Barrier(
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"].strip(),
                description=report.text,
                how_to_overcome=form.cleaned_data["how_to_overcome"],
                language=report.language,
                confirmed_by=request.user,
            )
        try:
            workflows.publish(
                report,
                by=request.user,
                barrier=form.cleaned_data["barrier"] if action == PublishForm.ATTACH else None,
                new_barrier=new_barrier,
            )
        except (ValidationError, StaleEdit) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The report is published."))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "guides/report.html",
        {"report": report, "can_review": True, "publish_form": form, "reject_form": RejectForm()},
        status=400,
    )


@login_required
@require_POST
def report_reject(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    if not workflows.may_review(report, request.user):
        raise PermissionDenied(_("Only the programme's advisors and managers review reports."))
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            workflows.reject(report, by=request.user, reason=form.cleaned_data["rejection_reason"])
        except (ValidationError, StaleEdit) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The report is rejected; its author sees the reason."))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "guides/report.html",
        {
            "report": report,
            "can_review": True,
            "publish_form": PublishForm(report=report),
            "reject_form": form,
        },
        status=400,
    )


# --- Feasibility studies -----------------------------------------------------------------------


@login_required
@require_POST
def add_to_study(request: HttpRequest, study_pk: int) -> HttpResponse:
    """Add the market's barriers chosen on a feasibility study to its requirements."""
    study = get_object_or_404(FeasibilityStudy.objects.visible_to(request.user), pk=study_pk)
    if not study.programme.is_recordable_by(request.user):
        raise PermissionDenied(_("You cannot record feasibility studies in this programme."))
    chosen = [pk for pk in request.POST.getlist("barrier") if pk.isdigit()]
    barriers = visible_barriers(request.user).filter(market=study.market, pk__in=chosen)
    try:
        added = workflows.add_to_study(study, barriers, by=request.user)
    except (ValidationError, StaleEdit) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s barrier added to the requirements.",
                "%(n)s barriers added to the requirements.",
                added,
            )
            % {"n": added},
        )
    return redirect(study.get_absolute_url())
