"""Service requests: a company asks for a catalogue service, the partner that offers it answers
and delivers; each step is kept (`RequestEvent`), both sides comment (`RequestComment`) and hear
of changes by e-mail once (`RequestNotice`). The tables and constraints keep the names they had
when these models lived in `services` (``services_…``)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.choices import Role
from metacluster.services.models import Delivery, Service
from metacluster.versioning import Versioned

from .choices import RequestOrigin, RequestStatus

# The one place that says which status may follow which, and which side of a request moves it:
# the requesting side (the referring partner, or the SME itself) or the receiving partner.
REQUESTING, RECEIVING = "requesting", "receiving"
TRANSITIONS = {
    (RequestStatus.REQUESTED, RequestStatus.ACCEPTED): RECEIVING,
    (RequestStatus.REQUESTED, RequestStatus.DECLINED): RECEIVING,
    (RequestStatus.REQUESTED, RequestStatus.WITHDRAWN): REQUESTING,
    (RequestStatus.ACCEPTED, RequestStatus.PLANNED): RECEIVING,
    (RequestStatus.ACCEPTED, RequestStatus.DECLINED): RECEIVING,
    (RequestStatus.ACCEPTED, RequestStatus.WITHDRAWN): REQUESTING,
    (RequestStatus.PLANNED, RequestStatus.PLANNED): RECEIVING,  # moved to another date
    (RequestStatus.PLANNED, RequestStatus.DELIVERED): RECEIVING,
    (RequestStatus.PLANNED, RequestStatus.WITHDRAWN): REQUESTING,
}
OPEN_STATUSES = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED, RequestStatus.PLANNED)

# What of the company's profile a request may share with the receiving partner. The name and
# country are always shown (the partner must know whom it serves); the rest only if chosen.
SHAREABLE_FIELDS = (
    "town",
    "address",
    "postcode",
    "website",
    "description",
    "nace_codes",
    "employees",
    "turnover",
    "founded_year",
    "legal_form",
    "registry_code",
    "vat_number",
)
DEFAULT_SHARED_FIELDS = ["town", "website", "description", "nace_codes", "employees"]


def validate_shared_fields(value) -> None:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValidationError(_("Shared fields must be a list of profile field names."))
    unknown = sorted(set(value) - set(SHAREABLE_FIELDS))
    if unknown:
        raise ValidationError(
            _("These profile fields cannot be shared: %(fields)s."),
            params={"fields": ", ".join(unknown)},
        )


class ServiceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The two sides of a request see it: the referring partner and the partner asked
        (its staff), and the company's SME users. Programme managers see their programmes'
        requests too. Other partners of the programme do not: a request is between two."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME:
            return self.filter(company_id=user.company_id)
        if user.organisation_id is None:
            return self.none()
        return self.filter(
            Q(referring_organisation_id=user.organisation_id)
            | Q(service__provider_id=user.organisation_id)
            | Q(service__programme__in=Programme.objects.managed_by(user))
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def sent_by(self, user):
        """Requests the user's side asked for: its organisation referred, or its company made."""
        if user.is_sme:
            return self.filter(company_id=user.company_id)
        return self.filter(referring_organisation_id=user.organisation_id)

    def received_by(self, user):
        """Requests to the user's organisation, as the partner offering the service."""
        return self.filter(service__provider_id=user.organisation_id)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ServiceRequest(Versioned, models.Model):
    """A company asks for a catalogue service; the partner that offers it answers and delivers.

    Tools that recommend services (readiness, feasibility, matchmaking) create requests through
    `flow.request_service`, so every partner sees one queue of what it was asked for."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="service_requests",
    )
    requested_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="service_requests",
    )
    referring_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_requests",
        help_text=_("The partner that asked on the company's behalf; empty when the SME asked."),
    )
    origin = models.CharField(
        _("origin"), max_length=12, choices=RequestOrigin.choices, default=RequestOrigin.DIRECT
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    due_date = models.DateField(_("wanted by"), null=True, blank=True)
    advisor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("assigned advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    delivery = models.OneToOneField(
        Delivery,
        verbose_name=_("delivery"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
    )
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    shared_fields = models.JSONField(
        _("shared profile fields"),
        default=list,
        blank=True,
        validators=[validate_shared_fields],
        help_text=_("What of the company's profile the partner asked may see."),
    )
    shared_contacts = models.ManyToManyField(
        "companies.Contact",
        verbose_name=_("shared contacts"),
        blank=True,
        related_name="shared_in_requests",
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        db_table = "services_servicerequest"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"{self.service.name} → {self.company} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("requests:detail", args=[self.pk])

    @property
    def provider(self):
        """The partner asked to deliver."""
        return self.service.provider

    @property
    def requested_on(self) -> date:
        """The day the request was made, in the active (the user's) time zone."""
        return timezone.localdate(self.created_at)

    def default_delivery_date(self) -> date:
        """The date the delivery form proposes: the planned date once it has come, else today
        (in the user's time zone), kept within the programme's period where that can be, and
        never before the request was made (which `flow.deliver` refuses)."""
        today = timezone.localdate()
        day = self.planned_for if self.planned_for and self.planned_for <= today else today
        return max(min(day, self.service.programme.end_date), self.requested_on)

    def clean(self) -> None:
        if self.service_id and not self.pk and not self.service.active:
            raise ValidationError(
                {"service": _("This service is no longer offered; choose another.")}
            )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())

    def sides_of(self, user) -> set[str]:
        """Which side(s) of the request the user acts for: both when a partner asks itself."""
        if not user.is_authenticated:
            return set()
        if user.is_superuser:
            return {REQUESTING, RECEIVING}
        if user.is_sme:
            return {REQUESTING} if user.company_id == self.company_id else set()
        sides = set()
        if not user.can_edit_records or user.organisation_id is None:
            return sides
        if user.organisation_id == self.referring_organisation_id:
            sides.add(REQUESTING)
        if user.organisation_id == self.service.provider_id:
            sides.add(RECEIVING)
        return sides

    def next_statuses(self, user) -> list[str]:
        """The statuses this user may move the request to now."""
        sides = self.sides_of(user)
        return [
            to
            for (source, to), side in TRANSITIONS.items()
            if source == self.status and side in sides
        ]

    def shared_profile(self) -> list[dict]:
        """The company's profile as far as the request shares it: field, label and value."""
        company = self.company
        names = ["name", "country", *(f for f in SHAREABLE_FIELDS if f in self.shared_fields)]
        rows = []
        for name in names:
            value = getattr(company, name)
            if name == "nace_codes":
                value = ", ".join(value)
            elif name == "country":
                value = company.country_name
            label = company._meta.get_field(name).verbose_name
            rows.append({"field": name, "label": label, "value": value})
        return rows


class RequestEvent(models.Model):
    """One step in a request's history: who moved it, when, from which status to which, why.
    The first entry (from nothing to 'requested') is the request being made."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=10, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=RequestStatus.choices)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        db_table = "services_requestevent"
        ordering = ["at", "pk"]
        verbose_name = _("request status change")
        verbose_name_plural = _("request status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class RequestComment(models.Model):
    """A message on a request, read by both sides (not a private note)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        db_table = "services_requestcomment"
        ordering = ["created_at", "pk"]
        verbose_name = _("request comment")
        verbose_name_plural = _("request comments")

    def __str__(self) -> str:
        return self.text[:60]


class RequestNotice(models.Model):
    """An e-mail sent about a request: one per change (or comment) and recipient, so a
    notification that is retried is never sent twice."""

    event = models.ForeignKey(
        RequestEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    comment = models.ForeignKey(
        RequestComment, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "services_requestnotice"
        verbose_name = _("request notification")
        verbose_name_plural = _("request notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], name="services_notice_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["comment", "recipient"], name="services_notice_once_per_comment"
            ),
            models.CheckConstraint(
                name="services_notice_about_one_thing",
                condition=Q(event__isnull=True, comment__isnull=False)
                | Q(event__isnull=False, comment__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} ← {self.event or self.comment}"
