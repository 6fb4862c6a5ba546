"""What people do at an event, as small named functions: request, answer, book, move, cancel,
report an outcome. Each one checks its own rules and raises ValidationError with a message for
the person, so views and the API stay thin and both behave the same."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metacluster.deals.choices import AgreementType, DealStage
from metacluster.deals.models import Deal
from metacluster.formatting import moment

from . import notices
from .choices import MeetingStatus, Outcome, ParticipantKind, RequestMode, RequestStatus
from .models import (
    Booking,
    Event,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Participant,
    Slot,
)

# --- Requests ----------------------------------------------------------------------------------


def send_request(
    sender: Participant, recipient: Participant, *, message: str = "", weight: int = 1
) -> MeetingRequest:
    """Ask for a meeting. In an event with auto-accept, the request is accepted at once."""
    event = sender.event
    if recipient.event_id != event.pk:
        raise ValidationError({"recipient": _("This participant is not at the same event.")})
    if recipient.pk == sender.pk:
        raise ValidationError({"recipient": _("You cannot ask yourself for a meeting.")})
    MeetingRequest.objects.filter(event=event).expire_due()
    open_ = MeetingRequest.objects.filter(
        status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED]
    )
    if (
        open_.filter(sender=sender, recipient=recipient).exists()
        or open_.filter(sender=recipient, recipient=sender).exists()
    ):
        raise ValidationError(
            {"recipient": _("There is already an open request between you and this participant.")}
        )
    now = timezone.now()
    request = MeetingRequest(
        event=event, sender=sender, recipient=recipient, message=message, weight=weight
    )
    request.created_at = now
    if event.request_mode == RequestMode.AUTO:
        request.status = RequestStatus.ACCEPTED
        request.answered_at = now
    request.full_clean(exclude=["expires_at"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            {"recipient": _("There is already an open request between you and this participant.")}
        ) from None
    notices.request_sent(request)
    return request


def answer_request(
    request: MeetingRequest, by: Participant | None, *, accept: bool, reply: str = ""
) -> MeetingRequest:
    """The recipient (or an organiser, `by` None) accepts or declines a pending request."""
    MeetingRequest.objects.filter(pk=request.pk).expire_due()
    request.refresh_from_db()
    if by is not None and by.pk != request.recipient_id:
        raise ValidationError(_("Only the person asked can answer this request."))
    answer = {
        "status": RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED,
        "answered_at": timezone.now(),
        "reply": reply,
    }
    # Only a request still pending takes the answer, so that of two answers given at once one
    # wins and one notice goes out.
    pending = MeetingRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING)
    if request.status != RequestStatus.PENDING or not pending.update(**answer):
        request.refresh_from_db()
        raise ValidationError(
            _("This request is %(status)s and can no longer be answered.")
            % {"status": request.get_status_display().lower()}
        )
    request.refresh_from_db()
    notices.request_answered(request)
    return request


def withdraw_request(request: MeetingRequest, by: Participant | None) -> MeetingRequest:
    """The sender takes back a request; a meeting it already has is cancelled."""
    if by is not None and by.pk != request.sender_id:
        raise ValidationError(_("Only the sender can withdraw a request."))
    if request.status not in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
        raise ValidationError(_("Only a pending or accepted request can be withdrawn."))
    with transaction.atomic():
        meeting = Meeting.objects.filter(request=request).first()
        if meeting and meeting.is_scheduled:
            cancel_meeting(meeting)
        request.status = RequestStatus.WITHDRAWN
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        notices.request_withdrawn(request)
    return request


# --- Meetings ----------------------------------------------------------------------------------


def conflicts(request: MeetingRequest, slot: Slot, table: int | None, *, ignore=None) -> list[str]:
    """Why the request's meeting cannot take this slot and table, for a person to read (empty
    when it can). `ignore` is the meeting being moved, whose own bookings do not count."""
    event = request.event
    problems = []
    if slot.event_id != event.pk:
        return [_("This slot belongs to another event.")]
    for person in (request.sender, request.recipient):
        busy = Booking.objects.filter(participant=person, slot=slot)
        if ignore is not None:
            busy = busy.exclude(meeting=ignore)
        other = busy.select_related("meeting__request").first()
        if other:
            problems.append(
                _("%(who)s already has a meeting at this time (%(meeting)s).")
                % {"who": person, "meeting": other.meeting.request}
            )
        if not person.is_available(slot):
            problems.append(_("%(who)s is not available in this session.") % {"who": person})
    if table is not None:
        if event.tables and table > event.tables:
            problems.append(
                ngettext(
                    "The event has only %(n)s table.",
                    "The event has only %(n)s tables.",
                    event.tables,
                )
                % {"n": event.tables}
            )
        taken = Meeting.objects.scheduled().filter(slot=slot, table=table)
        if ignore is not None:
            taken = taken.exclude(pk=ignore.pk)
        if taken.exists():
            problems.append(_("Table %(table)s is taken at this time.") % {"table": table})
    elif event.tables:
        used = Meeting.objects.scheduled().filter(slot=slot)
        if ignore is not None:
            used = used.exclude(pk=ignore.pk)
        if used.count() >= event.tables:
            problems.append(_("Every table is taken at this time."))
    return problems


def free_slots(request: MeetingRequest, *, ignore: Meeting | None = None) -> list[Slot]:
    """The slots in which both sides are available and free, and a table is left: what a
    self-booking participant may choose and where an organiser may move a meeting without a
    conflict (three queries, whatever the number of slots)."""
    event = request.event
    sides = (request.sender_id, request.recipient_id)
    busy = Booking.objects.filter(participant_id__in=sides)
    if ignore is not None:
        busy = busy.exclude(meeting=ignore)
    blocked = set(busy.values_list("slot_id", flat=True))
    away = set(
        Participant.unavailable_sessions.through.objects.filter(
            participant_id__in=sides
        ).values_list("session_id", flat=True)
    )
    full = set()
    if event.tables:
        used = Meeting.objects.scheduled().filter(event=event)
        if ignore is not None:
            used = used.exclude(pk=ignore.pk)
        per_slot: dict[int, int] = {}
        for slot_id in used.values_list("slot_id", flat=True):
            per_slot[slot_id] = per_slot.get(slot_id, 0) + 1
        full = {slot_id for slot_id, n in per_slot.items() if n >= event.tables}
    return [
        slot
        for slot in event.slots.select_related("session")
        if slot.pk not in blocked and slot.session_id not in away and slot.pk not in full
    ]


def free_table(event: Event, slot: Slot, *, ignore=None) -> int | None:
    """The lowest table free in this slot; None when the event has no tables to number."""
    if not event.tables:
        return None
    used = Meeting.objects.scheduled().filter(slot=slot)
    if ignore is not None:
        used = used.exclude(pk=ignore.pk)
    taken = set(used.values_list("table", flat=True))
    return next((t for t in range(1, event.tables + 1) if t not in taken), None)


# A participant's business hours, in their own time zone: a meeting outside them is placed only
# when the organiser confirms it.
BUSINESS_HOURS = (time(8), time(18))


def outside_business_hours(request: MeetingRequest, slot: Slot) -> list[str]:
    """Warnings, one per side of the request for whom `slot` falls outside 08:00–18:00 in
    their time zone (or on another day there), naming their local time."""
    opens, closes = BUSINESS_HOURS
    warnings = []
    for person in (request.sender, request.recipient):
        start = timezone.localtime(slot.start, person.zone)
        end = timezone.localtime(slot.end, person.zone)
        if start.date() != end.date() or start.time() < opens or end.time() > closes:
            warnings.append(
                _("%(who)s: %(start)s–%(end)s in their time zone (%(zone)s), outside 08:00–18:00.")
                % {
                    "who": person,
                    "start": start.strftime("%H:%M"),
                    "end": end.strftime("%H:%M"),
                    "zone": person.time_zone,
                }
            )
    return warnings


class OutsideBusinessHours(ValidationError):
    """Placing a meeting outside a participant's business hours, not yet confirmed."""


def place(
    request: MeetingRequest,
    slot: Slot,
    table: int | None,
    *,
    locked: bool | None = None,
    confirmed: bool = True,
) -> Meeting:
    """Give an accepted request this slot and table, creating its meeting or moving it; the
    database refuses a double booking or a shared table (IntegrityError). A meeting that
    changes time or table gets a higher sequence, so invites already sent are updated.
    Unless `confirmed`, a slot outside a side's business hours raises OutsideBusinessHours
    with the warnings (`outside_business_hours`), and nothing is placed."""
    if request.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted request can be scheduled."))
    if not confirmed:
        warnings = outside_business_hours(request, slot)
        if warnings:
            raise OutsideBusinessHours(warnings)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(request=request).first()
        if meeting is None:
            meeting = Meeting(event=request.event, request=request, slot=slot, table=table)
        else:
            changed = (
                meeting.slot_id != slot.pk
                or meeting.table != table
                or meeting.status != MeetingStatus.SCHEDULED
            )
            if changed:
                meeting.sequence = F("sequence") + 1
            meeting.slot, meeting.table = slot, table
            meeting.status = MeetingStatus.SCHEDULED
        if locked is not None:
            meeting.locked = locked
        meeting.save()
        meeting.refresh_from_db()
        meeting.bookings.all().delete()
        Booking.objects.bulk_create(
            Booking(meeting=meeting, participant=person, slot=slot)
            for person in (request.sender, request.recipient)
        )
    return meeting


def arrange(
    sme: Participant,
    other: Participant,
    slot: Slot,
    table: int | None,
    *,
    message: str = "",
    confirmed: bool = True,
) -> Meeting:
    """An organiser places a meeting between an SME and another participant in this slot (at
    this table, or the first free one): an open request between the two is accepted on their
    behalf, or an accepted one is created from the SME. A clash is refused with the reasons;
    unless `confirmed`, a slot outside a side's business hours raises OutsideBusinessHours.
    Nothing is written unless the meeting is placed."""
    event = sme.event
    if other.event_id != event.pk or slot.event_id != event.pk:
        raise ValidationError(_("Both participants and the slot must belong to this event."))
    if other.pk == sme.pk:
        raise ValidationError(_("Choose two different participants."))
    MeetingRequest.objects.filter(event=event).expire_due()
    request = (
        MeetingRequest.objects.filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])
        .filter(models.Q(sender=sme, recipient=other) | models.Q(sender=other, recipient=sme))
        .select_related("sender", "recipient")
        .first()
    )
    if request is not None:
        meeting = _meeting_of(request)
        if meeting is not None and meeting.is_scheduled:
            raise ValidationError(
                _("%(a)s and %(b)s already meet at %(when)s; move that meeting from its page.")
                % {"a": sme, "b": other, "when": moment(meeting.slot.start, event.zone)}
            )
    probe = request or MeetingRequest(event=event, sender=sme, recipient=other)
    if table is None and event.tables:
        table = free_table(event, slot)
        if table is None:
            raise ValidationError(_("Every table is taken at this time."))
    problems = conflicts(probe, slot, table)
    if problems:
        raise ValidationError(problems)
    if not confirmed:
        warnings = outside_business_hours(probe, slot)
        if warnings:
            raise OutsideBusinessHours(warnings)
    now = timezone.now()
    try:
        with transaction.atomic():
            if request is None:
                request = MeetingRequest(
                    event=event,
                    sender=sme,
                    recipient=other,
                    message=message,
                    status=RequestStatus.ACCEPTED,
                    created_at=now,
                    answered_at=now,
                )
                request.save()
            elif request.status == RequestStatus.PENDING:
                request.status, request.answered_at = RequestStatus.ACCEPTED, now
                request.save(update_fields=["status", "answered_at"])
            return place(request, slot, table)
    except IntegrityError:
        # Someone booked one of them, or the table, between our check and our write.
        raise ValidationError(_("Someone booked this slot a moment ago; choose another.")) from None


def book(request: MeetingRequest, slot: Slot, by: Participant | None) -> Meeting:
    """Self-booking: one side of an accepted request takes a slot both sides have free."""
    if by is not None and not request.involves(by):
        raise ValidationError(_("Only the two sides of a meeting can book its slot."))
    table = free_table(request.event, slot, ignore=getattr(request, "meeting", None))
    problems = conflicts(request, slot, table, ignore=_meeting_of(request))
    if request.event.tables and table is None:
        problems.append(_("Every table is taken at this time."))
    if problems:
        raise ValidationError(problems)
    try:
        return place(request, slot, table)
    except IntegrityError:
        # Someone else booked the same person or table in between our check and our write.
        raise ValidationError(_("Someone booked this slot a moment ago; choose another.")) from None


def _meeting_of(request: MeetingRequest) -> Meeting | None:
    return Meeting.objects.filter(request=request).first()


def move(meeting: Meeting, slot: Slot, table: int | None) -> Meeting:
    """An organiser moves a meeting; conflicts are refused with the reasons."""
    if table is None and meeting.event.tables:
        table = free_table(meeting.event, slot, ignore=meeting)
        if table is None:
            raise ValidationError(_("Every table is taken at this time."))
    problems = conflicts(meeting.request, slot, table, ignore=meeting)
    if problems:
        raise ValidationError(problems)
    try:
        return place(meeting.request, slot, table)
    except IntegrityError:
        raise ValidationError(_("Someone changed this slot a moment ago; try again.")) from None


def cancel_meeting(meeting: Meeting) -> Meeting:
    """Take a meeting off the agenda. The row stays so its invite can be cancelled (same UID,
    higher sequence, METHOD:CANCEL); scheduling it again revives the same UID."""
    with transaction.atomic():
        meeting.bookings.all().delete()
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.CANCELLED, sequence=F("sequence") + 1, locked=False
        )
        meeting.refresh_from_db()
    return meeting


def set_locked(meeting: Meeting, locked: bool) -> Meeting:
    if not meeting.is_scheduled:
        raise ValidationError(_("Only a scheduled meeting can be locked."))
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])
    return meeting


# --- Outcomes and deals ------------------------------------------------------------------------

# How far a deal has come once a meeting reports this outcome: having met, a lead is at least at
# "meeting"; a pilot and an agreement are their own stages.
OUTCOME_STAGE = {
    Outcome.LEAD: DealStage.MEETING,
    Outcome.PILOT: DealStage.PILOT,
    Outcome.AGREEMENT: DealStage.AGREEMENT,
}
STAGE_ORDER = [DealStage.LEAD, DealStage.MEETING, DealStage.PILOT, DealStage.AGREEMENT]


def report_outcome(
    meeting: Meeting,
    participant: Participant,
    outcome: str,
    *,
    note: str = "",
    agreement_type: str = AgreementType.SALE,
) -> MeetingOutcome:
    """One side says how the meeting went. A lead, pilot or agreement opens a deal for the SME
    side (or moves its deal forward, never back), linked from the meeting."""
    if not meeting.request.involves(participant):
        raise ValidationError(_("Only the two sides of a meeting report its outcome."))
    if not meeting.is_scheduled:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.slot.start > timezone.now():
        raise ValidationError(_("Report the outcome after the meeting has started."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose one of the outcomes.")})
    with transaction.atomic():
        result, _created = MeetingOutcome.objects.update_or_create(
            meeting=meeting,
            participant=participant,
            defaults={"outcome": outcome, "note": note, "reported_at": timezone.now()},
        )
        if outcome in OUTCOME_STAGE:
            deal = _advance_deal(meeting, participant, OUTCOME_STAGE[outcome], agreement_type)
            if deal is not None and meeting.deal_id != deal.pk:
                meeting.deal = deal
                meeting.save(update_fields=["deal", "updated_at"])
    return result


def _advance_deal(meeting, reporter: Participant, stage: str, agreement_type: str):
    sides = meeting.participants
    sme = reporter if reporter.kind == ParticipantKind.SME else None
    if sme is None:
        sme = next((p for p in sides if p.kind == ParticipantKind.SME), None)
    if sme is None:
        return None  # two buyers met: no company of the programme to hold the deal
    other = next(p for p in sides if p.pk != sme.pk)
    programme = meeting.event.programme
    deal = meeting.deal
    if deal is None:
        deal = (
            Deal.objects.open()
            .filter(
                programme=programme,
                company_id=sme.company_id,
                market=other.country,
                counterpart=other.organisation,
            )
            .first()
        )
    if deal is None:
        engagement = sme.company.engagements.filter(programme=programme).first()
        partner = engagement.partner if engagement else programme.lead
        deal = Deal(
            programme=programme,
            company_id=sme.company_id,
            partner=partner,
            market=other.country,
            counterpart=other.organisation,
            title=meeting.event.title,
            stage=DealStage.LEAD,
            opened_on=timezone.localdate(meeting.slot.start),
            notes=_("Opened from a meeting at %(event)s.") % {"event": meeting.event.title},
        )
    if deal.stage not in STAGE_ORDER:
        return deal  # won or lost: the pipeline has moved on, the meeting only links to it
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(deal.stage) or deal.pk is None:
        deal.stage = stage
        if stage == DealStage.AGREEMENT and not deal.agreement_type:
            deal.agreement_type = agreement_type
        deal.full_clean()
        if deal.pk is None:
            deal.save()
        else:
            deal.save_versioned(deal.version)
    return deal
