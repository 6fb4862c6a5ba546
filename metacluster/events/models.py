"""Matchmaking events: sessions cut into slots, participants, meeting requests and meetings.

An event belongs to a programme; its organisers are the staff of the programme's partners.
Participants are SMEs of the programme (through their company) and foreign buyers, who have
no account and reach their pages through a secret link whose key is stored only as a hash.
A request accepted by both sides becomes a meeting once it has a slot; every participant of a
meeting holds a `Booking` of that slot, and a unique constraint on (participant, slot) makes a
double booking impossible even when two people book at the same moment.
"""

import secrets
import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.choices import Role
from metacluster.accounts.models import hash_key, time_zone_choices
from metacluster.countries import CountryField, country_name
from metacluster.versioning import Versioned

from .choices import (
    AgendaStatus,
    EntryKind,
    EventFormat,
    MeetingStatus,
    Outcome,
    ParticipantKind,
    RequestMode,
    RequestStatus,
    SchedulingMode,
)

TOKEN_PREFIX = "mce_"
# How long before its start a video meeting's room is offered: people arrive a little early.
JOIN_EARLY = timedelta(minutes=15)


# --- Events ------------------------------------------------------------------------------------


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the events of programmes their organisation is a partner of; an SME user
        sees the events its company takes part in."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME:
            return self.filter(participants__company_id=user.company_id).distinct()
        return self.filter(programme__in=Programme.objects.visible_to(user))

    def organised_by(self, user):
        """Events whose set-up, participants and agenda this user may change."""
        from metacluster.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.recordable_by(user))


class Event(Versioned, models.Model):
    """A B2B matchmaking (brokerage) event of a programme: online, on-site or hybrid."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.ONLINE
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("event time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="Europe/Stockholm",
        help_text=_("Sessions are given in this time zone; everyone sees times in their own."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    pause_minutes = models.PositiveSmallIntegerField(
        _("pause between meetings (minutes)"),
        default=5,
        validators=[MaxValueValidator(120)],
        help_text=_("Time to change tables or rooms."),
    )
    tables = models.PositiveSmallIntegerField(
        _("tables or virtual rooms"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_("At most this many meetings at once; empty for no limit."),
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings per participant"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Empty for no limit."),
    )
    request_mode = models.CharField(
        _("meeting requests"),
        max_length=10,
        choices=RequestMode.choices,
        default=RequestMode.APPROVAL,
    )
    scheduling_mode = models.CharField(
        _("scheduling"),
        max_length=10,
        choices=SchedulingMode.choices,
        default=SchedulingMode.ORGANISER,
    )
    request_expiry_hours = models.PositiveSmallIntegerField(
        _("pending requests expire after (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    agenda_status = models.CharField(
        _("agenda"), max_length=12, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT
    )
    video_base_url = models.URLField(
        _("video meeting service"),
        default="https://meet.jit.si/",
        help_text=_("Each online meeting gets a room with an unguessable name under this address."),
    )
    schedule_stats = models.JSONField(_("last scheduling run"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def agenda_published(self) -> bool:
        """Participants see meetings booked by themselves at once; an organiser's schedule only
        once it is published."""
        return (
            self.scheduling_mode == SchedulingMode.SELF or self.agenda_status != AgendaStatus.DRAFT
        )

    def is_organised_by(self, user) -> bool:
        return self.programme.is_recordable_by(user)

    def clean(self) -> None:
        if self.format == EventFormat.ONSITE and not self.venue:
            raise ValidationError({"venue": _("Say where an on-site event takes place.")})

    def regenerate_slots(self) -> None:
        """Cut the sessions into slots of `slot_minutes` with pauses, skipping breaks.

        Slots that still fit are kept (their meetings with them); a slot that no longer
        fits but holds a meeting stops the change with an error naming it."""
        wanted = {}
        for session in self.sessions.prefetch_related("breaks"):
            for start, end in session.slot_times():
                wanted[(session.pk, start)] = end
        with transaction.atomic():
            existing = {(s.session_id, s.start): s for s in self.slots.all()}
            for key, slot in existing.items():
                if key not in wanted or slot.end != wanted[key]:
                    if slot.bookings.exists() or slot.meetings.exists():
                        raise ValidationError(
                            _("The slot at %(start)s holds meetings; move them first.")
                            % {"start": timezone.localtime(slot.start, self.zone)}
                        )
                    slot.delete()
            for (session_id, start), end in wanted.items():
                if (session_id, start) not in existing or existing[(session_id, start)].end != end:
                    Slot.objects.create(event=self, session_id=session_id, start=start, end=end)


class Session(models.Model):
    """A block of meeting time on one day (e.g. the morning), in the event's time zone."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=100)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_start",
                condition=Q(end_time__gt=models.F("start_time")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.date:%Y-%m-%d}"

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A session must end after it starts.")})
        if self.event_id and self.date and self.start_time and self.end_time:
            overlapping = self.event.sessions.filter(
                date=self.date, start_time__lt=self.end_time, end_time__gt=self.start_time
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("Sessions of an event must not overlap."))

    def local(self, time) -> datetime:
        """This session's date at a wall-clock time in the event's time zone, as an aware
        datetime (zoneinfo resolves the hour that DST skips or repeats)."""
        return datetime.combine(self.date, time, tzinfo=self.event.zone)

    @property
    def starts_at(self) -> datetime:
        return self.local(self.start_time)

    @property
    def ends_at(self) -> datetime:
        return self.local(self.end_time)

    def slot_times(self) -> list[tuple[datetime, datetime]]:
        step = timedelta(minutes=self.event.slot_minutes)
        pause = timedelta(minutes=self.event.pause_minutes)
        breaks = sorted(
            (self.local(b.start_time), self.local(b.end_time)) for b in self.breaks.all()
        )
        start, end = self.local(self.start_time), self.local(self.end_time)
        slots = []
        while start + step <= end:
            clash = next((b for b in breaks if b[0] < start + step and start < b[1]), None)
            if clash:
                start = clash[1]
                continue
            slots.append((start, start + step))
            start = start + step + pause
        return slots


class Break(models.Model):
    """A pause inside a session (coffee, a keynote) in which no meeting is scheduled."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="breaks")
    name = models.CharField(_("name"), max_length=100, default=_("Break"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))

    class Meta:
        ordering = ["start_time"]
        verbose_name = _("break")
        verbose_name_plural = _("breaks")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_start",
                condition=Q(end_time__gt=models.F("start_time")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A break must end after it starts.")})


class Slot(models.Model):
    """One meeting time of a session, stored in UTC."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "start"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start, self.event.zone)
        return f"{local:%Y-%m-%d %H:%M}"


# --- Participants ------------------------------------------------------------------------------


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone who may see an event sees its participants: browsing them is the point."""
        return self.filter(event__in=Event.objects.visible_to(user))

    def by_key(self, key: str):
        """The participant whose secret link carries this key, or None."""
        if not key or not key.startswith(TOKEN_PREFIX):
            return None
        return self.select_related("event").filter(token_hash=hash_key(key)).first()


class Participant(Versioned, models.Model):
    """An SME (through its company) or a foreign buyer (invited by e-mail) at an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("type"), max_length=8, choices=ParticipantKind.choices)
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_participations",
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, help_text=_("The company or city the person represents.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    country = CountryField(_("country"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="Europe/Stockholm"
    )
    profile = models.TextField(
        _("profile"), blank=True, help_text=_("Who you are and whom you would like to meet.")
    )
    capabilities = models.ManyToManyField(
        "matchmaking.Capability",
        verbose_name=_("capabilities"),
        blank=True,
        related_name="event_participants",
    )
    unavailable_sessions = models.ManyToManyField(
        Session, verbose_name=_("not available in"), blank=True, related_name="absentees"
    )
    token_prefix = models.CharField(max_length=12, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "company"], name="%(app_label)s_%(class)s_company_once"
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email=""),
                name="%(app_label)s_%(class)s_email_once",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_sme_has_company",
                condition=~Q(kind="sme") | Q(company__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.organisation

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def clean(self) -> None:
        errors = {}
        if self.kind == ParticipantKind.SME:
            if not self.company_id:
                errors["company"] = _("Choose the SME's company.")
            elif (
                self.event_id
                and not self.company.engagements.filter(
                    programme_id=self.event.programme_id
                ).exists()
            ):
                errors["company"] = _("Only companies of the event's programme take part as SMEs.")
        if self.kind == ParticipantKind.BUYER and not self.email:
            errors["email"] = _("A buyer is invited by e-mail: give the address.")
        if errors:
            raise ValidationError(errors)

    def issue_link(self) -> str:
        """Give this participant a new secret link (the old one stops working) and return its
        key, which is shown once: only its hash is kept."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_prefix = key[:10]
        self.token_hash = hash_key(key)
        self.invited_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            token_prefix=self.token_prefix, token_hash=self.token_hash, invited_at=self.invited_at
        )
        return key

    def is_available(self, slot: "Slot") -> bool:
        return not self.unavailable_sessions.filter(pk=slot.session_id).exists()


class MarketplaceEntry(models.Model):
    """An offer or a need a participant posts on the event's marketplace."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capabilities = models.ManyToManyField(
        "matchmaking.Capability",
        verbose_name=_("capabilities"),
        blank=True,
        related_name="event_entries",
    )

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("marketplace entry")
        verbose_name_plural = _("marketplace entries")

    def __str__(self) -> str:
        return self.title


# --- Requests and meetings ---------------------------------------------------------------------


class MeetingRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff of the programme's partners (the organisers) see every request; an SME user
        only those its company sent or received."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME:
            return self.filter(
                Q(sender__company_id=user.company_id) | Q(recipient__company_id=user.company_id)
            )
        return self.filter(event__programme__in=Programme.objects.visible_to(user))

    def involving(self, participant: "Participant"):
        return self.filter(Q(sender=participant) | Q(recipient=participant))

    def expire_due(self, now=None) -> int:
        """Mark pending requests past their expiry as expired; return how many. Called by
        `metacluster expire-requests` and before requests are read, so an expired request
        never blocks anyone even if the command has not run."""
        now = now or timezone.now()
        return self.filter(status=RequestStatus.PENDING, expires_at__lte=now).update(
            status=RequestStatus.EXPIRED, answered_at=now
        )


class MeetingRequest(models.Model):
    """One participant asks another for a meeting, with a message."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    sender = models.ForeignKey(
        Participant, verbose_name=_("from"), on_delete=models.CASCADE, related_name="sent"
    )
    recipient = models.ForeignKey(
        Participant, verbose_name=_("to"), on_delete=models.CASCADE, related_name="received"
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    weight = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("The scheduler places higher priorities first when time is short."),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True, max_length=2000)

    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_not_to_self",
                condition=~Q(sender=models.F("recipient")),
            ),
            # One open request per pair and direction; a declined or expired one may be retried.
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["pending", "accepted"]),
                name="%(app_label)s_%(class)s_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = self.created_at + timedelta(hours=self.event.request_expiry_hours)
        super().save(*args, **kwargs)

    def other_side(self, participant: Participant) -> Participant:
        return self.recipient if participant.pk == self.sender_id else self.sender

    def involves(self, participant: Participant | None) -> bool:
        return participant is not None and participant.pk in (self.sender_id, self.recipient_id)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(request__in=MeetingRequest.objects.visible_to(user))

    def scheduled(self):
        return self.filter(status=MeetingStatus.SCHEDULED)

    def involving(self, participant: Participant):
        return self.filter(Q(request__sender=participant) | Q(request__recipient=participant))


def new_room() -> str:
    return "Metacluster-" + secrets.token_urlsafe(18).replace("_", "x").replace("-", "y")


class Meeting(models.Model):
    """An accepted request with a slot (and a table). It keeps its UID for life: moving it or
    cancelling it raises `sequence`, so calendars update the invite instead of adding one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="meetings"
    )
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("“Schedule all” keeps a locked meeting where it is."),
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    room = models.CharField(max_length=64, default=new_room, editable=False)
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_meetings",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__start", "table"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(status="scheduled", table__isnull=False),
                name="%(app_label)s_%(class)s_one_per_table",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot}"

    @property
    def participants(self) -> list[Participant]:
        return [self.request.sender, self.request.recipient]

    @property
    def is_scheduled(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED

    @property
    def video_url(self) -> str:
        if not self.event.is_online:
            return ""
        return self.event.video_base_url.rstrip("/") + "/" + self.room

    def is_joinable(self, now: datetime | None = None) -> bool:
        """Whether "Join video meeting" is offered: a scheduled meeting of an online or hybrid
        event, from `JOIN_EARLY` before its start until its end (not for meetings long past)."""
        now = now or timezone.now()
        return (
            self.is_scheduled
            and bool(self.video_url)
            and self.slot.start - JOIN_EARLY <= now < self.slot.end
        )


class Booking(models.Model):
    """A participant's seat in a meeting's slot. (participant, slot) is unique: the database
    itself refuses a double booking."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")

    class Meta:
        ordering = ["slot__start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"], name="%(app_label)s_%(class)s_no_double_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.slot}"


class MeetingOutcome(models.Model):
    """What one side reports after a meeting; a lead, pilot or agreement feeds the deals."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="%(app_label)s_%(class)s_once_per_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_outcome_display()}"
