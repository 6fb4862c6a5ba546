"""Organiser pages: set up the event, invite participants, schedule, publish, manage meetings,
analytics. Organisers are the advisors and managers of the programme's partners; viewers of
those partners see these pages but change nothing."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.jobs import tasks
from metacluster.jobs.tasks import start_job

from . import analytics, workflows
from .access import Actor, event_view
from .choices import AgendaStatus, MeetingStatus, ParticipantKind
from .forms import ArrangeForm, BreakForm, EventForm, MoveForm, ParticipantForm, SessionForm
from .models import Booking, Break, Event, Meeting, MeetingRequest, Participant
from .views import _context, _errors, _visible_meeting, posted_id


def _staff(actor: Actor) -> None:
    if not actor.staff:
        raise Http404


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    if request.user.is_sme or not request.user.can_edit_records:
        raise PermissionDenied(_("Only programme staff organise events."))
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(request, _("The event is created. Now add its sessions."))
        return redirect(f"/events/{event.pk}/sessions/")
    return render(
        request, "form.html", {"form": form, "title": _("New event"), "cancel_url": "/events/"}
    )


@event_view
def event_edit(request: HttpRequest, actor: Actor) -> HttpResponse:
    actor.require_organiser()
    form = EventForm(request.POST or None, instance=actor.event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                event = form.save()
                event.regenerate_slots()
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event.get_absolute_url())
    context = _context(
        actor, form=form, title=_("Edit event"), cancel_url=actor.event.get_absolute_url()
    )
    return render(request, "form.html", context)


@event_view
def sessions(request: HttpRequest, actor: Actor) -> HttpResponse:
    _staff(actor)
    event = actor.event
    session_form = SessionForm(prefix="session")
    break_form = BreakForm(prefix="break", event=event)
    if request.method == "POST":
        actor.require_organiser()
        action = request.POST.get("action")
        try:
            with transaction.atomic():
                if action == "session":
                    session_form = SessionForm(request.POST, prefix="session")
                    session_form.instance.event = event
                    if session_form.is_valid():
                        session_form.save()
                        event.regenerate_slots()
                        messages.success(request, _("The session is added."))
                        return redirect(f"{actor.base}sessions/")
                elif action == "break":
                    break_form = BreakForm(request.POST, prefix="break", event=event)
                    if break_form.is_valid():
                        break_form.save()
                        event.regenerate_slots()
                        messages.success(request, _("The break is added."))
                        return redirect(f"{actor.base}sessions/")
                elif action in ("delete-session", "delete-break"):
                    if action == "delete-session":
                        found = event.sessions.filter(pk=posted_id(request, "id"))
                        if Meeting.objects.scheduled().filter(slot__session__in=found).exists():
                            raise ValidationError(
                                _("This session holds meetings; move or unschedule them first.")
                            )
                    else:
                        found = Break.objects.filter(
                            session__event=event, pk=posted_id(request, "id")
                        )
                    found.delete()
                    event.regenerate_slots()
                    messages.success(request, _("Deleted."))
                    return redirect(f"{actor.base}sessions/")
        except ValidationError as error:
            _errors(request, error)
    context = _context(
        actor,
        sessions=event.sessions.prefetch_related("breaks", "slots"),
        session_form=session_form,
        break_form=break_form,
    )
    return render(request, "events/sessions.html", context)


@event_view
def participant_add(request: HttpRequest, actor: Actor) -> HttpResponse:
    actor.require_organiser()
    form = ParticipantForm(request.POST or None, event=actor.event)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.event = actor.event
        if person.company_id:
            user = person.company.users.first()
            person.time_zone = user.time_zone if user else person.time_zone
        person.save()
        messages.success(request, _("%(who)s is added to the event.") % {"who": person})
        return redirect(f"{actor.base}participants/{person.pk}/")
    context = _context(
        actor,
        form=form,
        title=_("Add a participant"),
        intro=_(
            "SMEs of the programme take part through their company and log in; a foreign buyer "
            "has no account and gets a secret link to their pages."
        ),
        cancel_url=f"{actor.base}participants/",
    )
    return render(request, "form.html", context)


@require_POST
@event_view
def participant_link(request: HttpRequest, actor: Actor, pid: int) -> HttpResponse:
    """Issue a participant's secret link; it is shown this once (only its hash is kept)."""
    actor.require_organiser()
    person = get_object_or_404(actor.event.participants, pk=pid)
    key = person.issue_link()
    link = request.build_absolute_uri(f"/events/p/{key}/")
    sent = False
    if request.POST.get("send") and person.email:
        send_mail(
            _("Your invitation to %(event)s") % {"event": actor.event.title},
            render_to_string(
                "events/invitation.txt", {"event": actor.event, "person": person, "link": link}
            ),
            None,
            [person.email],
        )
        sent = True
    context = _context(actor, person=person, link=link, sent=sent)
    return render(request, "events/link.html", context)


# --- Scheduling --------------------------------------------------------------------------------


@event_view
def schedule(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The whole agenda: slots down, meetings with their tables across."""
    _staff(actor)
    event = actor.event
    MeetingRequest.objects.filter(event=event).expire_due()
    meetings = (
        event.meetings.scheduled()
        .select_related("request__sender", "request__recipient")
        .order_by("table", "pk")
    )
    by_slot: dict[int, list] = {}
    for meeting in meetings:
        by_slot.setdefault(meeting.slot_id, []).append(meeting)
    rows = [(slot, by_slot.get(slot.pk, [])) for slot in event.slots.select_related("session")]
    waiting = event.requests.filter(status="accepted").exclude(
        meeting__status=MeetingStatus.SCHEDULED
    )
    context = _context(
        actor,
        rows=rows,
        waiting=waiting.select_related("sender", "recipient"),
        stats=event.schedule_stats,
        unscheduled=_unscheduled(event),
        statuses=AgendaStatus.choices,
    )
    return render(request, "events/schedule.html", context)


def _unscheduled(event: Event) -> list[tuple[str, str]]:
    """The last run's unscheduled requests with their reasons, participants named rather than
    numbered as the scheduler core reports them."""
    reasons = event.schedule_stats.get("unscheduled") or []
    names = dict(event.participants.values_list("pk", "organisation"))
    pairs = {
        r.pk: f"{r.sender} – {r.recipient}"
        for r in event.requests.filter(pk__in=[u.get("request") for u in reasons]).select_related(
            "sender", "recipient"
        )
    }

    def named(text: str) -> str:
        return re.sub(r"participant (\d+)", lambda m: names.get(int(m.group(1)), m.group(0)), text)

    return [(pairs.get(u.get("request"), ""), named(u.get("reason", ""))) for u in reasons]


@require_POST
@event_view
def schedule_all(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Runs as a background job (metacluster/jobs): its page shows the progress, then the
    outcome, and leads back to the schedule."""
    actor.require_organiser()
    job = start_job(
        tasks.schedule_all,
        title=_("Schedule all: %(event)s") % {"event": actor.event.title},
        params={"event": actor.event.pk},
        by=request.user,
        link=f"{actor.base}schedule/",
    )
    return redirect("jobs:detail", pk=job.pk)


@require_POST
@event_view
def publish(request: HttpRequest, actor: Actor) -> HttpResponse:
    actor.require_organiser()
    status = request.POST.get("status")
    if status not in AgendaStatus.values:
        messages.error(request, _("Choose draft, preliminary or final."))
    else:
        Event.objects.filter(pk=actor.event.pk).update(agenda_status=status)
        messages.success(
            request,
            _("The agenda is now %(status)s.") % {"status": AgendaStatus(status).label.lower()},
        )
    return redirect(f"{actor.base}schedule/")


def _picked(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


@event_view
def arrange(request: HttpRequest, actor: Actor) -> HttpResponse:
    """An organiser arranges a meeting for an SME: sends a request on its behalf, or places the
    meeting in a slot; outside a side's business hours the page warns and asks to confirm."""
    actor.require_organiser()
    event = actor.event
    initial = {"slot": _picked(request, "slot")}
    chosen = event.participants.filter(pk=_picked(request, "participant")).first()
    if chosen is not None:
        initial["sme" if chosen.kind == ParticipantKind.SME else "counterpart"] = chosen.pk
    form = ArrangeForm(request.POST or None, event=event, zone=actor.zone, initial=initial)
    problems, warnings, slot = [], [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sme, other = data["sme"], data["counterpart"]
        try:
            if request.POST.get("action") == "place":
                if data["slot"] is None:
                    raise ValidationError(_("Choose a slot to place the meeting in."))
                placed = workflows.arrange(
                    sme,
                    other,
                    data["slot"],
                    data.get("table"),
                    message=data["message"],
                    # The confirmation holds for the slot it was given for, not one changed since.
                    confirmed=request.POST.get("confirm") == str(data["slot"].pk),
                )
                messages.success(request, _("The meeting is placed."))
                return redirect(f"{actor.base}meetings/{placed.pk}/")
            workflows.send_request(sme, other, message=data["message"])
            messages.success(
                request,
                _("The request is sent to %(who)s on behalf of %(sme)s.")
                % {"who": other, "sme": sme},
            )
            return redirect(f"{actor.base}requests/")
        except workflows.OutsideBusinessHours as warning:
            warnings, slot = warning.messages, data["slot"]
        except ValidationError as error:
            problems = error.messages
    context = _context(actor, form=form, problems=problems, warnings=warnings, slot=slot)
    return render(request, "events/arrange.html", context)


@event_view
def grid(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Participants down, slots across: each cell the meeting (counterpart, table), free or
    unavailable. Four queries, whatever the size of the event."""
    _staff(actor)
    event = actor.event
    people = list(event.participants.all())
    slots = list(event.slots.select_related("session"))
    away = set(
        Participant.unavailable_sessions.through.objects.filter(
            participant__event=event
        ).values_list("participant_id", "session_id")
    )
    booked = {
        (b.participant_id, b.slot_id): b.meeting
        for b in Booking.objects.filter(
            slot__event=event, meeting__status=MeetingStatus.SCHEDULED
        ).select_related("meeting__request__sender", "meeting__request__recipient")
    }
    rows = []
    for person in people:
        cells = []
        for slot in slots:
            found = booked.get((person.pk, slot.pk))
            cells.append(
                {
                    "slot": slot,
                    "meeting": found,
                    "other": found.request.other_side(person) if found else None,
                    "away": (person.pk, slot.session_id) in away,
                }
            )
        rows.append((person, cells))
    return render(request, "events/grid.html", _context(actor, slots=slots, rows=rows))


@event_view
def meeting(request: HttpRequest, actor: Actor, mid: int) -> HttpResponse:
    """One meeting: who, when, where; organisers move, lock or unschedule it here."""
    found = _visible_meeting(actor, mid)
    event = actor.event
    form = MoveForm(request.POST or None, event=event, initial={"slot": found.slot_id})
    problems = []
    if request.method == "POST":
        actor.require_organiser()
        action = request.POST.get("action")
        try:
            if action == "move" and form.is_valid():
                slot, table = form.cleaned_data["slot"], form.cleaned_data.get("table")
                problems = workflows.conflicts(found.request, slot, table, ignore=found)
                if not problems:
                    workflows.move(found, slot, table)
                    messages.success(request, _("The meeting is moved."))
                    return redirect(f"{actor.base}meetings/{found.pk}/")
            elif action in ("lock", "unlock"):
                workflows.set_locked(found, action == "lock")
                return redirect(f"{actor.base}meetings/{found.pk}/")
            elif action == "unschedule":
                workflows.cancel_meeting(found)
                messages.success(request, _("The meeting is taken off the agenda."))
                return redirect(f"{actor.base}schedule/")
            elif action == "reschedule":
                workflows.move(found, found.slot, found.table)
                return redirect(f"{actor.base}meetings/{found.pk}/")
        except ValidationError as error:
            problems = error.messages
    context = _context(
        actor,
        free=workflows.free_slots(found.request, ignore=found) if actor.organiser else [],
        meeting=found,
        form=form,
        problems=problems,
        outcomes=found.outcomes.select_related("participant"),
        sides=[found.request.sender, found.request.recipient],
    )
    return render(request, "events/meeting.html", context)


# --- Analytics ---------------------------------------------------------------------------------


@event_view
def analytics_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    _staff(actor)
    report = analytics.report(actor.event)
    fmt = request.GET.get("format")
    if fmt == "csv":
        response = HttpResponse(analytics.to_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{actor.event.pk}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            analytics.to_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="event-{actor.event.pk}.xlsx"'
        return response
    return render(request, "events/analytics.html", _context(actor, report=report))
