from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.programmes.views import visible_programme

from . import workflows
from .choices import RegistrationMode, RegistrationStatus
from .forms import ActivityForm, FeedbackForm, RegisterForm
from .models import Activity, ActivityTemplate, Registration


def _recordable(request, programme):
    workflows.check_recordable(request.user, programme)


def _activity(request, acronym, pk):
    programme = visible_programme(request, acronym)
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user), programme=programme, pk=pk
    )
    return programme, activity


@login_required
def activity_list(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    activities = Activity.objects.visible_to(request.user).filter(programme=programme)
    return render(
        request,
        "activities/list.html",
        {
            "programme": programme,
            "activities": activities.select_related("service"),
            "templates": ActivityTemplate.objects.filter(programme=programme),
            "can_record": programme.is_recordable_by(request.user),
        },
    )


@login_required
def activity_new(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    _recordable(request, programme)
    initial = {}
    template = ActivityTemplate.objects.filter(
        programme=programme, pk=request.GET.get("template") or 0
    ).first()
    if template:
        initial = {
            field: getattr(template, field)
            for field in (
                "kind",
                "title",
                "description",
                "units_per_participant",
                "capacity",
                "registration",
                "materials",
                "destination",
                "visits",
            )
        } | {"service": template.service_id}
    form = ActivityForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        activity = form.save()
        messages.success(request, _("The activity is saved."))
        return redirect("activities:detail", acronym=acronym, pk=activity.pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("New activity"),
            "cancel_url": f"/programmes/{acronym}/activities/",
        },
    )


@login_required
def activity_detail(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme, activity = _activity(request, acronym, pk)
    registrations = workflows.registrations_visible_to(request.user, activity)
    mine = None
    if request.user.is_sme:
        # An SME sees its own place only, not which other companies take part.
        mine = registrations.first()
        registrations = registrations.none()
    can_record = programme.is_recordable_by(request.user)
    return render(
        request,
        "activities/detail.html",
        {
            "programme": programme,
            "activity": activity,
            "registered": registrations.filter(status=RegistrationStatus.REGISTERED),
            "waiting": registrations.filter(status=RegistrationStatus.WAITING),
            "mine": mine,
            "can_record": can_record,
            "can_self_register": request.user.is_sme
            and activity.registration == RegistrationMode.PUBLIC
            and (mine is None or mine.status == RegistrationStatus.CANCELLED),
            "register_form": RegisterForm(programme=programme) if can_record else None,
            "feedback_form": FeedbackForm(instance=mine) if mine and mine.attended else None,
            "visits": [line for line in activity.visits.splitlines() if line.strip()],
            "deals": activity.deals.select_related("company") if not request.user.is_sme else [],
            "deal_choices": _deal_choices(activity) if can_record else [],
            "events": activity.events.order_by("title") if not request.user.is_sme else [],
            "event_choices": _event_choices(activity) if can_record else [],
        },
    )


@login_required
@require_POST
def activity_register(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme, activity = _activity(request, acronym, pk)
    workflows.check_may_register(request.user, activity)
    if request.user.is_sme:
        company = request.user.company
    else:
        form = RegisterForm(request.POST, programme=programme)
        if not form.is_valid():
            messages.error(request, _("Choose a company taking part in the programme."))
            return redirect("activities:detail", acronym=acronym, pk=pk)
        company = form.cleaned_data["company"]
    registration = workflows.register(activity, company)
    if registration.status == RegistrationStatus.WAITING:
        messages.warning(
            request,
            _("The activity is full: %(company)s is on the waiting list.") % {"company": company},
        )
    else:
        messages.success(request, _("%(company)s is registered.") % {"company": company})
    return redirect("activities:detail", acronym=acronym, pk=pk)


@login_required
@require_POST
def registration_cancel(
    request: HttpRequest, acronym: str, pk: int, registration: int
) -> HttpResponse:
    programme, activity = _activity(request, acronym, pk)
    found = get_object_or_404(Registration, activity=activity, pk=registration)
    workflows.check_may_cancel(request.user, found)
    try:
        moved = workflows.cancel(found)
    except workflows.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The registration is cancelled."))
        if moved:
            messages.info(
                request,
                _("%(company)s moves up from the waiting list.") % {"company": moved.company},
            )
    return redirect("activities:detail", acronym=acronym, pk=pk)


@login_required
@require_POST
def attendance(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme, activity = _activity(request, acronym, pk)
    _recordable(request, programme)
    ids = [int(value) for value in request.POST.getlist("attended") if value.isdigit()]
    chosen = list(activity.registrations.filter(pk__in=ids).select_related("company"))
    try:
        count = workflows.mark_attendance(
            activity, chosen, by=request.user, aid_override=request.POST.get("aid_override", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)s attendances recorded as deliveries.") % {"count": count}
        )
    return redirect("activities:detail", acronym=acronym, pk=pk)


@login_required
@require_POST
def feedback(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    _programme, activity = _activity(request, acronym, pk)
    if not request.user.is_sme:
        raise PermissionDenied(_("Participants give feedback."))
    mine = get_object_or_404(
        Registration, activity=activity, company_id=request.user.company_id, attended=True
    )
    form = FeedbackForm(request.POST, instance=mine)
    if form.is_valid():
        form.save()
        messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Satisfaction is a number from 1 to 5."))
    return redirect("activities:detail", acronym=acronym, pk=pk)


def _deal_choices(activity):
    """Deals of the mission's delegation in the programme, not yet linked to it."""
    from metacluster.deals.models import Deal

    if activity.kind != "export_mission":
        return []
    companies = activity.registrations.filter(attended=True).values("company_id")
    return (
        Deal.objects.filter(programme=activity.programme, company_id__in=companies)
        .exclude(activities=activity)
        .select_related("company")
        .order_by("company__name", "market")
    )


@login_required
@require_POST
def link_deal(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    """A deal that followed from the mission: one of the delegation's deals in the programme."""
    programme, activity = _activity(request, acronym, pk)
    _recordable(request, programme)
    deal = get_object_or_404(_deal_choices(activity), pk=request.POST.get("deal") or 0)
    activity.deals.add(deal)
    messages.success(request, _("The deal is linked to the mission."))
    return redirect("activities:detail", acronym=acronym, pk=pk)


def _event_choices(activity):
    """Matchmaking events of the mission's programme, not yet linked to it."""
    from metacluster.events.models import Event

    if activity.kind != "export_mission":
        return Event.objects.none()
    return (
        Event.objects.filter(programme=activity.programme)
        .exclude(pk__in=activity.events.values("pk"))
        .order_by("title")
    )


@login_required
@require_POST
def link_event(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    """A matchmaking event held during the mission: an event of the same programme."""
    programme, activity = _activity(request, acronym, pk)
    _recordable(request, programme)
    event = get_object_or_404(_event_choices(activity), pk=request.POST.get("event") or 0)
    activity.events.add(event)
    messages.success(request, _("The event is linked to the mission."))
    return redirect("activities:detail", acronym=acronym, pk=pk)


@login_required
@require_POST
def unlink_event(request: HttpRequest, acronym: str, pk: int, event: int) -> HttpResponse:
    programme, activity = _activity(request, acronym, pk)
    _recordable(request, programme)
    activity.events.remove(get_object_or_404(activity.events.all(), pk=event))
    messages.success(request, _("The event is no longer linked to the mission."))
    return redirect("activities:detail", acronym=acronym, pk=pk)
