"""Export readiness pages: the list, answering, the result, the PDF report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.companies.models import Company, Engagement
from metacluster.formutils import add_errors
from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme
from metacluster.programmes.views import managed_programme
from metacluster.servicerequests.choices import RequestOrigin
from metacluster.servicerequests.flow import request_service
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.models import Service
from metacluster.versioning import STALE_MESSAGE, StaleEdit

from . import figures
from .choices import AssessmentStatus
from .forms import AnswersForm, CompleteForm, InstrumentForm, StartForm
from .models import Assessment, ProgrammeInstrument
from .report import render_pdf, result_context
from .workflows import (
    complete_assessment,
    record_readiness_delivery,
    save_answers,
    start_assessment,
)


def visible_assessment(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if the user may see it; 404 otherwise, so outsiders learn nothing."""
    return get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "programme", "company", "organisation"
        ),
        pk=pk,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    assessments = Assessment.objects.visible_to(user).select_related(
        "programme", "company", "organisation"
    )
    if user.is_sme:
        engagements = Engagement.objects.filter(company_id=user.company_id).select_related(
            "programme"
        )
        own = list(assessments)
        programmes = [
            {
                "programme": e.programme,
                "draft": next(
                    (a for a in own if a.programme_id == e.programme_id and a.is_draft), None
                ),
                "completed": [
                    a for a in own if a.programme_id == e.programme_id and not a.is_draft
                ],
            }
            for e in engagements
        ]
        return render(request, "readiness/index_sme.html", {"programmes": programmes})

    programmes = Programme.objects.visible_to(user)
    chosen = None
    if request.GET.get("programme"):
        chosen = programmes.filter(acronym=request.GET["programme"]).first()
        if chosen:
            assessments = assessments.filter(programme=chosen)
    status = request.GET.get("status")
    if status in ("draft", "completed"):
        assessments = assessments.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        assessments = assessments.filter(Q(company__name__icontains=query))
    managed = set(Programme.objects.managed_by(user).values_list("pk", flat=True))
    summaries = [
        {
            "programme": p,
            "summary": figures.summary(p),
            "version": ProgrammeInstrument.version_for(p),
            "can_manage": p.pk in managed,
        }
        for p in ([chosen] if chosen else programmes)
    ]
    context = {
        "page": Paginator(assessments, 100).get_page(request.GET.get("page")),
        "programmes": programmes,
        "chosen": chosen,
        "status": status,
        "query": query,
        "summaries": summaries,
        "can_start": user.can_edit_records and Programme.objects.recordable_by(user).exists(),
        "managed": set(Programme.objects.managed_by(user).values_list("pk", flat=True)),
        "versions": {p.pk: ProgrammeInstrument.version_for(p) for p in programmes},
    }
    return render(request, "readiness/index.html", context)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Staff choose a programme and company; an SME starts (or continues) in a programme it
    takes part in with one button."""
    user = request.user
    if user.is_sme:
        if request.method != "POST":
            return redirect("readiness:index")
        programme = get_object_or_404(
            Programme.objects.visible_to(user), acronym=request.POST.get("programme", "")
        )
        company = Company.objects.get(pk=user.company_id)
        assessment = start_assessment(programme, company, by=user)
        return redirect("readiness:answer", pk=assessment.pk)
    if not user.can_edit_records:
        raise PermissionDenied(_("Only advisors and programme managers start assessments."))
    form = StartForm(request.POST or None, user=user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            assessment = start_assessment(
                form.cleaned_data["programme"], form.cleaned_data["company"], by=user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if assessment.organisation_id != user.organisation_id:
                # An unfinished one run by another partner: they continue it, not us.
                messages.info(request, _("This company already has an unfinished assessment."))
                return redirect(assessment)
            return redirect("readiness:answer", pk=assessment.pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Start an export readiness assessment"),
            "intro": _(
                "The questionnaire can be answered with the company now, or saved and "
                "continued later. The company's users can answer it themselves too."
            ),
            "submit_label": _("Start"),
            "cancel_url": "/readiness/",
        },
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_assessment(request, pk)
    if not assessment.is_draft:
        return redirect(assessment)
    if not assessment.is_answerable_by(request.user):
        raise PermissionDenied(_("Only the company and its assessing partner answer this."))
    form = AnswersForm(request.POST or None, assessment=assessment)
    complete = CompleteForm(request.POST or None)
    finishing = "finish" in request.POST
    if request.method == "POST" and form.is_valid() and complete.is_valid():
        try:
            save_answers(assessment, form.answers(), expected_version=form.cleaned_data["version"])
            if finishing:
                complete_assessment(
                    assessment,
                    by=request.user,
                    expected_version=assessment.version,
                    assessed_on=(
                        complete.cleaned_data.get("assessed_on")
                        if not request.user.is_sme
                        else None
                    ),
                )
        except StaleEdit:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            add_errors(form, error, rename=lambda field: field.removeprefix("answers."))
            if finishing:
                # The answers were saved; only finishing failed.
                assessment.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = assessment.version
        else:
            if finishing:
                messages.success(request, _("The assessment is complete. Here is the result."))
                return redirect(assessment)
            messages.success(
                request, _("Your answers are saved. You can continue later from this page.")
            )
            return redirect("readiness:answer", pk=assessment.pk)
    done, total = assessment.progress()
    context = {
        "assessment": assessment,
        "form": form,
        "complete": complete,
        "sections": form.by_dimension(get_language() or "en"),
        "done": done,
        "total": total,
        "language": get_language() or "en",
    }
    return render(request, "readiness/answer.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_assessment(request, pk)
    if assessment.is_draft:
        if assessment.is_answerable_by(request.user):
            return redirect("readiness:answer", pk=assessment.pk)
        done, total = assessment.progress()
        return render(
            request,
            "readiness/draft.html",
            {"assessment": assessment, "done": done, "total": total},
        )
    context = result_context(assessment, request.user, get_language() or "en")
    context["recommended"] = _recommended_services(assessment, context["result"], request.user)
    context["can_share"] = assessment.is_shareable_by(request.user)
    context["can_retry_delivery"] = (
        assessment.is_run_by(request.user) and not assessment.delivery_id
    )
    return render(request, "readiness/detail.html", context)


def _recommended_services(assessment, result, user) -> list[dict]:
    """Per recommended service kind: the catalogue's active services of that kind and any
    request the company already has open for them that the user may see (a request is
    between its two sides; see docs/SERVICE_REQUESTS.md)."""
    from metacluster.services.choices import ServiceKind

    services = (
        Service.objects.filter(programme=assessment.programme).active().select_related("provider")
    )
    open_requests = {
        r.service_id: r
        for r in ServiceRequest.objects.visible_to(user)
        .open()
        .filter(company=assessment.company, service__programme=assessment.programme)
    }
    can_request = assessment.can_request_services(user)
    language = get_language() or "en"
    rows = []
    for recommendation in result.recommendations:
        kind_services = [s for s in services if s.kind == recommendation.service]
        rows.append(
            {
                "kind": ServiceKind(recommendation.service).label
                if recommendation.service in ServiceKind.values
                else recommendation.service,
                "items": [
                    assessment.instrument.item(i).question(language) for i in recommendation.items
                ],
                "services": [(s, open_requests.get(s.pk)) for s in kind_services],
                "can_request": can_request,
            }
        )
    return rows


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_assessment(request, pk)
    if assessment.is_draft:
        raise PermissionDenied(_("The report is ready once the assessment is completed."))
    pdf = render_pdf(assessment, request.user, get_language() or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"readiness-{assessment.pk}-{assessment.assessed_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_assessment(request, pk)
    if not assessment.is_shareable_by(request.user):
        raise PermissionDenied(_("Only the company or its assessing partner decide on sharing."))
    shared = request.POST.get("shared") == "1"
    Assessment.objects.filter(pk=assessment.pk).update(shared=shared)
    if shared:
        messages.success(request, _("The assessment is now shared with all programme partners."))
    else:
        messages.success(
            request, _("The assessment is no longer shared; only its assessing partner sees it.")
        )
    return redirect(assessment)


@login_required
@require_POST
def request_recommended(request: HttpRequest, pk: int, service_id: int) -> HttpResponse:
    assessment = visible_assessment(request, pk)
    if not assessment.can_request_services(request.user):
        raise PermissionDenied(_("You cannot request services for this company."))
    service = get_object_or_404(
        Service.objects.filter(programme=assessment.programme).active(), pk=service_id
    )
    already = ServiceRequest.objects.open().filter(service=service, company=assessment.company)
    if already.exists():
        messages.info(
            request,
            _("%(service)s is already requested.") % {"service": service.translated("name")},
        )
        return redirect(next_url(request, assessment.get_absolute_url()))
    result = assessment.result()
    language = get_language() or "en"
    asked_for = [
        assessment.instrument.item(i).question(language)
        for rec in result.recommendations
        if rec.service == service.kind
        for i in rec.items
    ]
    message = _("Recommended by export readiness assessment no. %(id)s (%(date)s) for:") % {
        "id": assessment.pk,
        "date": assessment.assessed_on,
    }
    message = "\n".join([message, *(f"- {text}" for text in asked_for)])
    try:
        request_service(
            service=service,
            company=assessment.company,
            by=request.user,
            origin=RequestOrigin.READINESS,
            message=message,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(service)s is requested from %(provider)s; they will contact you.")
            % {"service": service.translated("name"), "provider": service.provider},
        )
    return redirect(next_url(request, assessment.get_absolute_url()))


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Throw away an unfinished assessment (e.g. one started by mistake); a completed one
    counts as a delivery and is kept."""
    assessment = visible_assessment(request, pk)
    if not assessment.is_answerable_by(request.user):
        raise PermissionDenied(
            _("Only an unfinished assessment can be discarded, by its answerers.")
        )
    Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).delete()
    messages.success(request, _("The unfinished assessment is discarded."))
    return redirect("readiness:index")


@login_required
@require_POST
def retry_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_assessment(request, pk)
    if assessment.is_draft or not assessment.is_run_by(request.user):
        raise PermissionDenied(_("Only the assessing partner records the delivery."))
    delivery = record_readiness_delivery(assessment, by=request.user)
    if delivery:
        messages.success(request, _("The assessment is counted as a delivery."))
    else:
        messages.error(request, assessment.delivery_note)
    return redirect(assessment)


@login_required
def instrument(request: HttpRequest, acronym: str) -> HttpResponse:
    """A programme manager chooses the instrument version for new assessments."""
    programme = managed_programme(request, acronym)
    current = ProgrammeInstrument.objects.filter(programme=programme).first()
    form = InstrumentForm(
        request.POST or None,
        instance=current or ProgrammeInstrument(programme=programme),
        initial={"version": ProgrammeInstrument.version_for(programme)},
    )
    if request.method == "POST" and form.is_valid():
        adopted = form.save(commit=False)
        adopted.adopted_by = request.user
        adopted.adopted_at = timezone.now()
        adopted.save()
        messages.success(
            request,
            _("New assessments in %(programme)s use instrument %(version)s.")
            % {"programme": programme.name, "version": adopted.version},
        )
        return redirect(f"/readiness/?programme={programme.acronym}")
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Readiness instrument of %(programme)s") % {"programme": programme.name},
            "cancel_url": "/readiness/",
        },
    )
