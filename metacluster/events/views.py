"""Participant-facing pages of an event: overview, browse, profile, requests, agenda, invites.

Every view receives an `Actor` (see access.py), whether the person logged in or came by a
buyer's secret link; what it shows starts from what that actor may see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.countries import country_name
from metacluster.matchmaking.models import Offer
from metacluster.nexturl import next_url

from . import ical, workflows
from .access import Actor, event_view
from .choices import MeetingStatus, RequestStatus
from .forms import BrowseForm, EntryForm, OutcomeForm, ProfileForm, RequestForm
from .models import Event, MarketplaceEntry, Meeting, MeetingRequest, Participant


def posted_id(request, name: str) -> int:
    """An id posted by a form; 0 (which names nothing) when it is missing or not a number."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.visible_to(request.user)
        .select_related("programme")
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_meetings=Count("meetings", filter=Q(meetings__status="scheduled"), distinct=True),
        )
    )
    can_create = not request.user.is_sme and request.user.can_edit_records
    return render(request, "events/index.html", {"events": events, "can_create": can_create})


def _context(actor: Actor, **extra) -> dict:
    return {"actor": actor, "event": actor.event, "base": actor.base, "zone": actor.zone, **extra}


@event_view
def detail(request: HttpRequest, actor: Actor) -> HttpResponse:
    event = actor.event
    MeetingRequest.objects.filter(event=event).expire_due()
    requests = MeetingRequest.objects.filter(event=event)
    if not actor.staff:
        requests = requests.involving(actor.me) if actor.me else requests.none()
    found = dict(requests.values_list("status").annotate(n=Count("pk")))
    counts = [(label, found.get(value, 0)) for value, label in RequestStatus.choices]
    context = _context(
        actor,
        counts=counts,
        sessions=event.sessions.prefetch_related("breaks"),
        n_participants=event.participants.count(),
        n_slots=event.slots.count(),
        n_meetings=event.meetings.scheduled().count(),
        incoming=requests.filter(status=RequestStatus.PENDING, recipient=actor.me).count()
        if actor.me
        else 0,
    )
    return render(request, "events/detail.html", context)


# --- Participants ------------------------------------------------------------------------------


@event_view
def participants(request: HttpRequest, actor: Actor) -> HttpResponse:
    event = actor.event
    people = event.participants.prefetch_related("capabilities")
    countries = sorted(
        {(c, country_name(c)) for c in people.values_list("country", flat=True)},
        key=lambda pair: pair[1],
    )
    form = BrowseForm(request.GET or None, event=event, countries=countries)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            people = people.filter(
                Q(organisation__icontains=data["q"])
                | Q(profile__icontains=data["q"])
                | Q(entries__title__icontains=data["q"])
            ).distinct()
        if data["kind"]:
            people = people.filter(kind=data["kind"])
        if data["country"]:
            people = people.filter(country=data["country"])
        if data["capability"]:
            people = people.filter(
                Q(capabilities=data["capability"]) | Q(entries__capabilities=data["capability"])
            ).distinct()
    suggestions = _suggestions(actor) if actor.me else []
    context = _context(actor, people=people, form=form, suggestions=suggestions)
    return render(request, "events/participants.html", context)


def _suggestions(actor: Actor, limit: int = 5) -> list[tuple[Participant, int]]:
    """Participants of the other type who share most capabilities with me (offers against
    needs included), whom I have not asked yet."""
    me = actor.me
    mine = set(me.capabilities.values_list("pk", flat=True)) | set(
        MarketplaceEntry.objects.filter(participant=me).values_list("capabilities", flat=True)
    )
    mine.discard(None)
    if not mine:
        return []
    asked = set(
        MeetingRequest.objects.involving(me)
        .filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])
        .values_list("sender_id", "recipient_id")
    )
    asked = {pk for pair in asked for pk in pair}
    scored = []
    for other in actor.event.participants.exclude(pk=me.pk).exclude(kind=me.kind):
        theirs = set(other.capabilities.values_list("pk", flat=True)) | set(
            MarketplaceEntry.objects.filter(participant=other).values_list(
                "capabilities", flat=True
            )
        )
        shared = len(mine & theirs)
        if shared and other.pk not in asked:
            scored.append((other, shared))
    scored.sort(key=lambda pair: (-pair[1], pair[0].organisation))
    return scored[:limit]


def _participant(actor: Actor, pid: int) -> Participant:
    return get_object_or_404(actor.event.participants, pk=pid)


@event_view
def participant(request: HttpRequest, actor: Actor, pid: int) -> HttpResponse:
    person = _participant(actor, pid)
    offers = []
    if person.company_id:
        offers = Offer.objects.filter(
            company_id=person.company_id, programme=actor.event.programme
        ).prefetch_related("capabilities")
    between = MeetingRequest.objects.none()
    if actor.me and actor.me.pk != person.pk:
        between = MeetingRequest.objects.filter(
            Q(sender=actor.me, recipient=person) | Q(sender=person, recipient=actor.me)
        )
    elif actor.staff:
        between = MeetingRequest.objects.involving(person).select_related("sender", "recipient")
    can_request = (
        actor.me is not None
        and actor.me.pk != person.pk
        and not between.filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED]).exists()
    )
    context = _context(
        actor,
        person=person,
        entries=person.entries.prefetch_related("capabilities"),
        offers=offers,
        between=between,
        can_request=can_request,
        request_form=RequestForm(),
        can_edit=actor.organiser or (actor.me is not None and actor.me.pk == person.pk),
        # Participants see each other's public profile; the contact person only staff.
        can_see_contact=actor.staff or (actor.me is not None and actor.me.pk == person.pk),
    )
    return render(request, "events/participant.html", context)


def _editable_participant(actor: Actor, pid: int) -> Participant:
    person = _participant(actor, pid)
    if not (actor.organiser or (actor.me and actor.me.pk == person.pk)):
        raise PermissionDenied(_("You can change only your own profile."))
    return person


@event_view
def profile_edit(request: HttpRequest, actor: Actor, pid: int) -> HttpResponse:
    person = _editable_participant(actor, pid)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The profile is saved."))
        return redirect(f"{actor.base}participants/{person.pk}/")
    context = _context(
        actor,
        form=form,
        title=_("Profile of %(who)s") % {"who": person},
        cancel_url=f"{actor.base}participants/{person.pk}/",
    )
    return render(request, "form.html", context)


@event_view
def entry_edit(request: HttpRequest, actor: Actor, pid: int, eid: int | None = None):
    person = _editable_participant(actor, pid)
    entry = get_object_or_404(person.entries, pk=eid) if eid else None
    if request.method == "POST" and request.POST.get("delete") and entry:
        entry.delete()
        messages.success(request, _("The entry is deleted."))
        return redirect(f"{actor.base}participants/{person.pk}/")
    form = EntryForm(request.POST or None, instance=entry, event=actor.event)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.participant = person
        saved.save()
        form.save_m2m()
        messages.success(request, _("The marketplace entry is saved."))
        return redirect(f"{actor.base}participants/{person.pk}/")
    context = _context(
        actor,
        form=form,
        title=_("Offer or need"),
        cancel_url=f"{actor.base}participants/{person.pk}/",
    )
    return render(request, "form.html", context)


# --- Requests ----------------------------------------------------------------------------------


@require_POST
@event_view
def request_send(request: HttpRequest, actor: Actor, pid: int) -> HttpResponse:
    me = actor.require_participant()
    recipient = _participant(actor, pid)
    form = RequestForm(request.POST)
    if not form.is_valid():
        _errors(request, ValidationError(list(form.errors.get("message", []))))
        return redirect(f"{actor.base}participants/{pid}/")
    try:
        sent = workflows.send_request(me, recipient, message=form.cleaned_data["message"])
    except ValidationError as error:
        _errors(request, error)
        return redirect(f"{actor.base}participants/{pid}/")
    if sent.status == RequestStatus.ACCEPTED:
        messages.success(request, _("Your meeting with %(who)s is accepted.") % {"who": recipient})
    else:
        messages.success(request, _("Your request is sent to %(who)s.") % {"who": recipient})
    return redirect(f"{actor.base}requests/")


@event_view
def request_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    event = actor.event
    MeetingRequest.objects.filter(event=event).expire_due()
    requests = MeetingRequest.objects.filter(event=event).select_related(
        "sender", "recipient", "meeting__slot"
    )
    if not actor.staff:
        requests = requests.involving(actor.me) if actor.me else requests.none()
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    context = _context(
        actor,
        requests=requests[:500],
        status=status,
        statuses=RequestStatus.choices,
        total=requests.count(),
    )
    return render(request, "events/requests.html", context)


def _visible_request(actor: Actor, rid: int) -> MeetingRequest:
    found = actor.event.requests.select_related("sender", "recipient").filter(pk=rid).first()
    if found is None or not actor.sees_request(found):
        raise Http404(_("No such request."))
    return found


@require_POST
@event_view
def request_answer(request: HttpRequest, actor: Actor, rid: int) -> HttpResponse:
    meeting_request = _visible_request(actor, rid)
    if actor.me is None or not meeting_request.involves(actor.me):
        actor.require_organiser()  # organisers may answer for a participant
        by = None
    else:
        by = actor.me
    accept = request.POST.get("answer") == "accept"
    try:
        workflows.answer_request(
            meeting_request, by, accept=accept, reply=request.POST.get("reply", "")[:2000]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("You accepted the request.") if accept else _("You declined the request.")
        )
    # Back to the page the answer was given on, if it is one of this person's event pages.
    back = next_url(request, f"{actor.base}requests/")
    if not back.startswith(actor.base):
        back = f"{actor.base}requests/"
    return redirect(back)


@require_POST
@event_view
def request_withdraw(request: HttpRequest, actor: Actor, rid: int) -> HttpResponse:
    meeting_request = _visible_request(actor, rid)
    me = actor.require_participant()
    try:
        workflows.withdraw_request(meeting_request, me)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect(f"{actor.base}requests/")


@event_view
def request_book(request: HttpRequest, actor: Actor, rid: int) -> HttpResponse:
    """Self-booking: the common free slots of an accepted request, and taking one."""
    meeting_request = _visible_request(actor, rid)
    event = actor.event
    if event.scheduling_mode != "self":
        raise PermissionDenied(_("In this event the organiser schedules the meetings."))
    if not (actor.organiser or meeting_request.involves(actor.me)):
        raise PermissionDenied(_("Only the two sides of a meeting can book its slot."))
    if request.method == "POST":
        slot = event.slots.filter(pk=posted_id(request, "slot")).first()
        if slot is None:
            messages.error(request, _("Choose one of the free slots."))
        else:
            try:
                workflows.book(meeting_request, slot, actor.me)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("The meeting is booked."))
                return redirect(f"{actor.base}agenda/")
    current = Meeting.objects.filter(request=meeting_request).first()
    free = workflows.free_slots(meeting_request, ignore=current)
    context = _context(actor, meeting_request=meeting_request, free=free, current=current)
    return render(request, "events/book.html", context)


# --- Agenda and meetings -----------------------------------------------------------------------


def _my_meetings(actor: Actor):
    meetings = (
        Meeting.objects.filter(event=actor.event)
        .select_related("slot", "request__sender", "request__recipient", "event", "deal")
        .prefetch_related("outcomes")
    )
    if actor.me is not None:
        return meetings.involving(actor.me)
    return meetings if actor.staff else meetings.none()


@event_view
def agenda(request: HttpRequest, actor: Actor) -> HttpResponse:
    event = actor.event
    if actor.me is None:
        if not actor.staff:
            raise Http404
        return redirect(f"{actor.base}schedule/")
    visible = event.agenda_published
    now = timezone.now()
    rows = []
    if visible:
        for meeting in _my_meetings(actor).order_by("slot__start"):
            other = meeting.request.other_side(actor.me)
            mine = next(
                (o for o in meeting.outcomes.all() if o.participant_id == actor.me.pk), None
            )
            # Each meeting's own form, showing the outcome already reported (one id per row).
            form = OutcomeForm(
                initial={"outcome": mine.outcome, "note": mine.note} if mine else None,
                auto_id=f"id_%s_{meeting.pk}",
            )
            rows.append(
                {
                    "meeting": meeting,
                    "other": other,
                    "outcome": mine,
                    "outcome_form": form,
                    "joinable": meeting.is_joinable(now),
                }
            )
        rows = agenda_order(rows, now)
    context = _context(actor, rows=rows, published=visible, now=now)
    return render(request, "events/agenda.html", context)


def agenda_order(rows: list[dict], now) -> list[dict]:
    """The meetings still to come first, the next one on top (marked `is_next`), then the
    past ones, latest first — a phone at an event shows what matters now without scrolling."""
    coming = [r for r in rows if r["meeting"].slot.end >= now]
    past = [r for r in rows if r["meeting"].slot.end < now][::-1]
    upcoming = [r for r in coming if r["meeting"].status != MeetingStatus.CANCELLED]
    if upcoming:
        upcoming[0]["is_next"] = True
    return coming + past


def _visible_meeting(actor: Actor, mid: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(event=actor.event, pk=mid)
        .select_related("slot", "request__sender", "request__recipient", "event")
        .first()
    )
    if meeting is None or not actor.sees_request(meeting.request):
        raise Http404(_("No such meeting."))
    if not actor.staff and not actor.event.agenda_published:
        raise Http404(_("No such meeting."))
    return meeting


def _ics(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@event_view
def meeting_invite(request: HttpRequest, actor: Actor, mid: int) -> HttpResponse:
    meeting = _visible_meeting(actor, mid)
    return _ics(ical.meeting_invite(meeting, actor.me), f"meeting-{meeting.pk}.ics")


@event_view
def agenda_ics(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A participant's own meetings once the agenda is published; for the event's organisers
    and partner staff, every meeting of the event (they see the schedule before publishing)."""
    if actor.me is None and not actor.staff:
        raise Http404(_("No such event."))
    visible = actor.staff or actor.event.agenda_published
    meetings = _my_meetings(actor) if visible else Meeting.objects.none()
    return _ics(ical.agenda_calendar(meetings, actor.me), f"agenda-{actor.event.pk}.ics")


@require_POST
@event_view
def meeting_outcome(request: HttpRequest, actor: Actor, mid: int) -> HttpResponse:
    meeting = _visible_meeting(actor, mid)
    me = actor.require_participant()
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            workflows.report_outcome(
                meeting, me, form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Thank you: the outcome is recorded."))
    else:
        messages.error(request, _("Choose one of the outcomes."))
    return redirect(f"{actor.base}agenda/")


def scheduled_count(event: Event) -> int:
    return event.meetings.filter(status=MeetingStatus.SCHEDULED).count()
