"""Trainings, webinars, workshops and export missions: sessions SMEs register for, attend, and
rate. Each attendance is one delivery of the activity's service (with its state-aid value), so
activities count in the indicators like any other support."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metacluster.countries import CountryField

from .choices import ActivityKind, Outcome, RegistrationMode, RegistrationStatus


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.visible_to(user))


class Activity(models.Model):
    """One session (or one mission) of a programme."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("service delivered"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("Each attendee receives this service; its partner delivers it."),
    )
    units_per_participant = models.DecimalField(
        _("units per participant"),
        max_digits=8,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("e.g. 3 hours of training or 5 mission days; their value is the aid."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1)], help_text=_("Companies, one seat each.")
    )
    registration = models.CharField(
        _("registration"),
        max_length=8,
        choices=RegistrationMode.choices,
        default=RegistrationMode.INVITED,
    )
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("Links to slides, recordings, hand-outs.")
    )
    # Export missions
    destination = CountryField(_("destination"), blank=True)
    visits = models.TextField(
        _("programme of visits and meetings"), blank=True, help_text=_("One visit per line.")
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("matchmaking events"), blank=True, related_name="+"
    )
    deals = models.ManyToManyField(
        "deals.Deal", verbose_name=_("follow-up deals"), blank=True, related_name="activities"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_start",
                condition=Q(ends_at__gte=models.F("starts_at")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The activity cannot end before it starts.")
        if self.service_id and self.programme_id and self.service.programme_id != self.programme_id:
            errors["service"] = _("Choose a service of this programme.")
        if self.kind == ActivityKind.EXPORT_MISSION and not self.destination:
            errors["destination"] = _("An export mission has a destination.")
        if errors:
            raise ValidationError(errors)

    @property
    def cost_per_participant(self) -> Decimal:
        """The market value each participant receives: the aid recorded for them."""
        return self.units_per_participant * self.service.value_per_unit

    def seats_taken(self) -> int:
        return self.registrations.filter(status=RegistrationStatus.REGISTERED).count()


class Registration(models.Model):
    """A company's place in an activity, or on its waiting list."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="activity_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), default=False)
    delivery = models.OneToOneField(
        "services.Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    intended_outcome = models.CharField(
        _("what you intend to do next"), max_length=16, choices=Outcome.choices, blank=True
    )
    feedback = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "company"], name="%(app_label)s_%(class)s_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.activity}"


class ActivityTemplate(models.Model):
    """A training, webinar, workshop or mission a programme runs again and again: what a new
    activity starts from, and what a programme set-up file carries to another programme."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="activity_templates",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("service delivered"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    units_per_participant = models.DecimalField(
        _("units per participant"),
        max_digits=8,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    capacity = models.PositiveIntegerField(_("places"), default=20)
    registration = models.CharField(
        _("registration"),
        max_length=8,
        choices=RegistrationMode.choices,
        default=RegistrationMode.INVITED,
    )
    materials = models.TextField(_("materials"), blank=True)
    destination = CountryField(_("destination"), blank=True)
    visits = models.TextField(_("programme of visits and meetings"), blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "kind", "title"]
        verbose_name = _("activity template")
        verbose_name_plural = _("activity templates")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.service_id and self.programme_id and self.service.programme_id != self.programme_id:
            raise ValidationError({"service": _("Choose a service of this programme.")})
