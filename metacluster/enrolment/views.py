from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.programmes.models import Programme
from metacluster.programmes.views import managed_programme, visible_programme
from metacluster.versioning import StaleEdit

from . import workflows
from .choices import ApplicationStatus
from .forms import HONEYPOT, ApplicationForm, DeclineForm, EligibilityForm
from .models import Application, Eligibility

# Applications one address may send per hour: enough for a colleague or two behind one office
# router, too few for a script to flood the advisors.
APPLICATIONS_PER_HOUR = 5


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy set
    # it, and a spammer would simply vary it.
    return request.META.get("REMOTE_ADDR", "unknown")


def _over_rate_limit(request: HttpRequest) -> bool:
    key = f"enrolment:applications:{_client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > APPLICATIONS_PER_HOUR


def public_page(request: HttpRequest, acronym: str) -> HttpResponse:
    """What the programme offers, who runs it, who may join, and the application form. Open to
    everybody, logged in or not, while the programme takes applications."""
    eligibility = get_object_or_404(
        Eligibility.objects.select_related("programme"),
        programme__acronym=acronym,
        open_for_applications=True,
    )
    programme = eligibility.programme
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_spam():
            # Look like success to the bot, store nothing.
            return redirect("enrolment:received", acronym=acronym)
        if _over_rate_limit(request):
            form.add_error(None, _("Too many applications from your address; try again later."))
            status = 429
        elif form.is_valid():
            application = workflows.submit(
                programme, eligibility, form.answers(), language=get_language() or "en"
            )
            request.session["enrolment_application"] = application.pk
            return redirect("enrolment:received", acronym=acronym)
    services = programme.services.active().select_related("provider").order_by("kind", "name")
    context = {
        "programme": programme,
        "eligibility": eligibility,
        "rules": eligibility.describe(),
        "services": services,
        "partnerships": programme.partnerships.select_related("organisation"),
        "form": form,
        "honeypot": form[HONEYPOT],
    }
    return render(request, "enrolment/public.html", context, status=status)


def received(request: HttpRequest, acronym: str) -> HttpResponse:
    """After applying: the applicant learns at once whether a rule screened them out."""
    programme = get_object_or_404(Programme, acronym=acronym)
    application = Application.objects.filter(
        pk=request.session.get("enrolment_application") or 0, programme=programme
    ).first()
    return render(
        request, "enrolment/received.html", {"programme": programme, "application": application}
    )


@login_required
def application_list(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    applications = Application.objects.visible_to(request.user).filter(programme=programme)
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "enrolment/applications.html",
        {
            "programme": programme,
            "applications": applications.select_related("existing_company"),
            "status": status,
            "statuses": ApplicationStatus.choices,
            "can_manage": programme.is_managed_by(request.user),
        },
    )


@login_required
def application_detail(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme = visible_programme(request, acronym)
    application = get_object_or_404(
        Application.objects.visible_to(request.user), programme=programme, pk=pk
    )
    return render(
        request,
        "enrolment/application.html",
        {
            "programme": programme,
            "application": application,
            "can_review": programme.is_recordable_by(request.user),
            "decline_form": DeclineForm(),
        },
    )


def _reviewable(request: HttpRequest, acronym: str, pk: int) -> Application:
    programme = visible_programme(request, acronym)
    application = get_object_or_404(
        Application.objects.visible_to(request.user), programme=programme, pk=pk
    )
    workflows.check_may_review(request.user, application)
    return application


@login_required
@require_POST
def application_accept(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    application = _reviewable(request, acronym, pk)
    workflows.check_may_accept(request.user, application)
    try:
        application, user = workflows.accept(application, by=request.user)
    except (workflows.ReviewError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if user is None:
            messages.warning(
                request,
                _(
                    "Accepted. The contact's e-mail belongs to a user of another company, so no "
                    "invitation was sent."
                ),
            )
        else:
            messages.success(
                request, _("Accepted; %(email)s is invited to log in.") % {"email": user.email}
            )
    return redirect("enrolment:application", acronym=acronym, pk=pk)


@login_required
@require_POST
def application_decline(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    application = _reviewable(request, acronym, pk)
    form = DeclineForm(request.POST)
    try:
        reason = form.data.get("reason", "")
        workflows.decline(application, by=request.user, reason=reason)
    except workflows.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Declined; the applicant is told why."))
    return redirect("enrolment:application", acronym=acronym, pk=pk)


@login_required
def eligibility_edit(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = managed_programme(request, acronym)
    instance = Eligibility.objects.filter(programme=programme).first() or Eligibility(
        programme=programme
    )
    form = EligibilityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The eligibility rules are saved."))
            return redirect("enrolment:applications", acronym=acronym)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Who may apply to %(programme)s") % {"programme": programme.name},
            "cancel_url": f"/programmes/{acronym}/",
        },
    )
