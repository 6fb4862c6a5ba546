"""Matchmaking events: the JSON API.

Staff of a programme's partners see its events with every request and meeting; an SME user
sees the events its company takes part in, acts only as its company's participant and sees
only the requests and meetings it is a side of. Foreign buyers use their personal link in the
browser; the API is for people with an account."""

import re
from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema

from metacluster.apiutils import (
    CountryFilter,
    Id,
    Input,
    ListQuery,
    Page,
    Text,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    responses,
)
from metacluster.jobs import tasks
from metacluster.jobs.api import JobOut
from metacluster.jobs.tasks import start_job

from . import adapters, workflows
from .access import zone_named
from .choices import (
    AgendaStatus,
    EventFormat,
    MeetingStatus,
    ParticipantKind,
    RequestMode,
    RequestStatus,
    SchedulingMode,
)
from .models import Event, Meeting, MeetingRequest, Participant

router = Router(tags=["events"])


# --- Schemas -----------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime


class EventOut(Schema):
    id: int
    programme_id: int
    title: str
    description: str
    format: EventFormat
    venue: str
    time_zone: str
    slot_minutes: int
    pause_minutes: int
    tables: int | None = Field(..., description="Tables or virtual rooms; null for no limit.")
    max_meetings: int | None
    request_mode: RequestMode
    scheduling_mode: SchedulingMode
    request_expiry_hours: int
    agenda_status: AgendaStatus
    sessions: list[SessionOut]
    version: int

    @staticmethod
    def resolve_sessions(event: Event) -> list:
        return list(event.sessions.all())


class ParticipantOut(Schema):
    id: int
    event_id: int
    kind: ParticipantKind
    company_id: int | None
    organisation: str
    country: str
    time_zone: str
    profile: str
    capabilities: list[int]

    @staticmethod
    def resolve_capabilities(person: Participant) -> list[int]:
        return [c.pk for c in person.capabilities.all()]


class RequestOut(Schema):
    id: int
    event_id: int
    sender_id: int
    recipient_id: int
    message: str
    status: RequestStatus
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    reply: str


class MeetingOut(Schema):
    id: int
    event_id: int
    request_id: int
    participants: list[int]
    start: datetime
    end: datetime
    table: int | None
    status: MeetingStatus
    locked: bool
    uid: str = Field(..., description="The iCalendar UID; it never changes.")
    sequence: int = Field(..., description="The iCalendar SEQUENCE; it rises at each change.")
    video_url: str
    deal_id: int | None

    @staticmethod
    def resolve_participants(meeting: Meeting) -> list[int]:
        return [meeting.request.sender_id, meeting.request.recipient_id]

    @staticmethod
    def resolve_start(meeting: Meeting) -> datetime:
        return meeting.slot.start

    @staticmethod
    def resolve_end(meeting: Meeting) -> datetime:
        return meeting.slot.end

    @staticmethod
    def resolve_uid(meeting: Meeting) -> str:
        return f"{meeting.uid}@metacluster"


class AgendaItem(Schema):
    meeting_id: int
    with_participant: int
    with_organisation: str
    my_start: datetime = Field(..., description="In your time zone.")
    their_start: datetime = Field(..., description="In the other side's time zone.")
    their_time_zone: str
    table: int | None
    video_url: str
    status: MeetingStatus


def _digits(value):
    if isinstance(value, str) and re.fullmatch(r"[1-9][0-9]{0,17}", value):
        return value
    raise ValueError(_("Input should be a whole number."))


# An id in a query string, described as the digits it must be (a JSON Schema "integer" would
# let a fuzzer send 10.0, which is not an id).
QueryDigits = Annotated[
    int,
    BeforeValidator(_digits),
    WithJsonSchema({"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}),
]


class EventQuery(ListQuery):
    programme: QueryDigits | None = Field(None, description="A programme id.")


class ParticipantQuery(ListQuery):
    kind: ParticipantKind | None = None
    country: CountryFilter | None = None
    capability: QueryDigits | None = Field(None, description="A capability id.")


class RequestQuery(ListQuery):
    status: RequestStatus | None = None


class RequestIn(Input):
    recipient: Id = Field(..., description="The participant you would like to meet.")
    message: Text = Field("", max_length=2000)


class AnswerIn(Input):
    accept: bool
    reply: Text = Field("", max_length=2000)


class ScheduleIn(Input):
    time_limit: float = Field(10.0, gt=0, le=30, description="Seconds the scheduler may take.")


class ScheduleOut(Schema):
    requests: int
    scheduled: int
    weight_scheduled: float
    gaps: int
    upper_bound: float
    seconds: float


# --- Helpers -----------------------------------------------------------------------------------


def _event(request, event_id: int) -> Event:
    return get_visible(
        Event.objects.visible_to(request.user).select_related("programme"), event_id, _("event")
    )


def _me(request, event: Event) -> Participant | None:
    if request.user.is_sme:
        return event.participants.filter(company_id=request.user.company_id).first()
    return None


def _requests(request, event: Event):
    MeetingRequest.objects.filter(event=event).expire_due()
    requests = MeetingRequest.objects.filter(event=event)
    if request.user.is_sme:
        me = _me(request, event)
        return requests.involving(me) if me else requests.none()
    return requests


def _meetings(request, event: Event):
    meetings = Meeting.objects.filter(event=event).select_related("slot", "request", "event")
    if request.user.is_sme:
        me = _me(request, event)
        if me is None or not event.agenda_published:
            return meetings.none()
        return meetings.involving(me)
    return meetings


# --- Endpoints ---------------------------------------------------------------------------------


@router.get("/events", response=responses(Page[EventOut]))
def list_events(request, query: Query[EventQuery]):
    """Events you see: your programmes' (staff) or those your company takes part in (SMEs)."""
    events = Event.objects.visible_to(request.user).prefetch_related("sessions")
    if query.programme:
        events = events.filter(programme_id=query.programme)
    return paginate(events, query)


@router.get("/events/{int:event_id}", response=responses(EventOut))
def get_event(request, event_id: Id):
    return _event(request, event_id)


@router.get("/events/{int:event_id}/participants", response=responses(Page[ParticipantOut]))
def list_participants(request, event_id: Id, query: Query[ParticipantQuery]):
    """Browse the event's participants by type, country and capability."""
    event = _event(request, event_id)
    people = event.participants.prefetch_related("capabilities")
    if query.kind:
        people = people.filter(kind=query.kind)
    if query.country:
        people = people.filter(country=query.country.upper())
    if query.capability:
        people = people.filter(
            Q(capabilities=query.capability) | Q(entries__capabilities=query.capability)
        ).distinct()
    return paginate(people, query)


@router.get("/events/{int:event_id}/requests", response=responses(Page[RequestOut]))
def list_requests(request, event_id: Id, query: Query[RequestQuery]):
    """Meeting requests: all of them for organisers; an SME's own (sent or received)."""
    requests = _requests(request, _event(request, event_id))
    if query.status:
        requests = requests.filter(status=query.status)
    return paginate(requests, query)


@router.post(
    "/events/{int:event_id}/requests",
    response=responses(RequestOut, 201),
    openapi_extra=refused_when(
        "`recipient`: another participant of the same event, with no open request between you."
    ),
)
def create_request(request, event_id: Id, payload: RequestIn):
    """Ask another participant for a meeting, as your company's participant (SME users)."""
    event = _event(request, event_id)
    me = _me(request, event)
    if me is None:
        raise PermissionDenied(_("Only participants of the event send meeting requests."))
    recipient = get_referenced(
        event.participants.all(), payload.recipient, "recipient", _("participant")
    )
    sent = workflows.send_request(me, recipient, message=payload.message)
    return Status(201, sent)


@router.post(
    "/events/{int:event_id}/requests/{int:request_id}/answer",
    response=responses(RequestOut),
    openapi_extra=refused_when("The request is still pending."),
)
def answer_request(request, event_id: Id, request_id: Id, payload: AnswerIn):
    """Accept or decline a request you received (organisers may answer for a participant)."""
    event = _event(request, event_id)
    found = get_visible(_requests(request, event), request_id, _("meeting request"))
    me = _me(request, event)
    if me is None or not found.involves(me):
        if not event.is_organised_by(request.user):
            raise PermissionDenied(_("Only the person asked can answer this request."))
        me = None
    return workflows.answer_request(found, me, accept=payload.accept, reply=payload.reply)


@router.get("/events/{int:event_id}/meetings", response=responses(Page[MeetingOut]))
def list_meetings(request, event_id: Id, query: Query[ListQuery]):
    """Meetings: all of them for organisers; an SME's own once the agenda is published."""
    return paginate(_meetings(request, _event(request, event_id)), query)


@router.get("/events/{int:event_id}/agenda", response=responses(list[AgendaItem]))
def agenda(request, event_id: Id):
    """Your company's agenda, each meeting in your time zone and the other side's."""
    event = _event(request, event_id)
    me = _me(request, event)
    if me is None:
        raise PermissionDenied(_("Only participants of the event have an agenda."))
    mine = request.user.time_zone
    items = []
    for meeting in _meetings(request, event).select_related(
        "request__sender", "request__recipient"
    ):
        other = meeting.request.other_side(me)
        items.append(
            {
                "meeting_id": meeting.pk,
                "with_participant": other.pk,
                "with_organisation": other.organisation,
                "my_start": meeting.slot.start.astimezone(zone_named(mine)),
                "their_start": meeting.slot.start.astimezone(other.zone),
                "their_time_zone": other.time_zone,
                "table": meeting.table,
                "video_url": meeting.video_url,
                "status": meeting.status,
            }
        )
    return items


@router.post(
    "/events/{int:event_id}/schedule",
    response={**responses(ScheduleOut), 202: JobOut},
    openapi_extra=refused_when("The event has slots."),
)
def schedule_event(
    request,
    event_id: Id,
    payload: ScheduleIn,
    background: bool = Query(
        False,
        description="Answer 202 at once with the job instead of the outcome; poll "
        "`GET /jobs/{id}` until its state is done (the outcome is its `result`) or failed.",
    ),
):
    """Organisers: schedule every accepted request ("Schedule all"), keeping locked meetings.
    Answers with the outcome when done (up to `time_limit` seconds), or, with
    `?background=true`, 202 at once with the job that does it (run by the worker)."""
    event = _event(request, event_id)
    if not event.is_organised_by(request.user):
        raise PermissionDenied(_("Only the event's organisers can schedule it."))
    if not background:
        return adapters.schedule_all(event, time_limit=payload.time_limit)
    job = start_job(
        tasks.schedule_all,
        title=_("Schedule all: %(event)s") % {"event": event.title},
        params={"event": event.pk, "time_limit": payload.time_limit},
        by=request.user,
        link=reverse("events:schedule", kwargs={"pk": event.pk}),
    )
    job.refresh_from_db()
    return Status(202, job)
