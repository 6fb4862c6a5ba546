from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.choices import Role
from metacluster.companies.models import NACE_CODE
from metacluster.core.scouting.nace import divisions_of, section_of
from metacluster.countries import CountryField, country_name
from metacluster.markets.choices import Offering
from metacluster.nace import nace_name
from metacluster.versioning import Versioned

from . import search
from .choices import BarrierKind, BarrierStatus, ReportStatus, SourceKind

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


def stale_after() -> timedelta:
    """How long a barrier stays trustworthy without being confirmed again."""
    return timedelta(days=settings.GUIDE_STALE_AFTER_DAYS)


def stale_before(today: date) -> date:
    """Barriers last confirmed before this date are stale on `today`."""
    return today - stale_after()


def validate_nace(value: str) -> None:
    if value and not NACE_CODE.fullmatch(value):
        raise ValidationError(_("Not a NACE Rev. 2 code: give a section (J) or a code (62.01)."))


class BarrierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the barriers of their organisation's programmes; SME users, read-only,
        those of the programmes their company takes part in."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(programme__in=Programme.objects.visible_to(user))

    def open(self):
        return self.filter(status=BarrierStatus.OPEN)

    def for_offering(self, offering: str | None):
        """Barriers of this offering and those that apply to every offering."""
        if not offering:
            return self
        return self.filter(Q(offering="") | Q(offering=offering))

    def for_sector(self, nace: str | None):
        """Barriers of this NACE section or code and its subdivisions (a section's divisions
        too), those of the section a code lies in, and those of no particular sector."""
        if not nace:
            return self
        wanted = Q(nace="") | Q(nace__startswith=nace)
        if nace.isalpha():
            for division in divisions_of(nace):
                wanted |= Q(nace__startswith=division)
        elif section := section_of(nace):
            wanted |= Q(nace=section)
        return self.filter(wanted)

    def stale(self, today: date):
        return self.filter(last_confirmed_on__lt=stale_before(today))

    def fresh(self, today: date):
        return self.filter(last_confirmed_on__gte=stale_before(today))

    def search(self, query: str):
        return search.matching(self, query)


class Barrier(Versioned, models.Model):
    """A known obstacle to selling in one market, with the practical way round it, who helps,
    where the knowledge comes from and when someone last confirmed it still holds."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="barriers",
    )
    market = CountryField(_("market"))
    offering = models.CharField(
        _("offering"),
        max_length=16,
        choices=Offering.choices,
        blank=True,
        help_text=_("Leave empty when the barrier concerns every offering."),
    )
    nace = models.CharField(
        _("sector (NACE)"),
        max_length=5,
        blank=True,
        validators=[validate_nace],
        help_text=_("A NACE Rev. 2 section or code, e.g. J or 62; empty for every sector."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=BarrierKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    how_to_overcome = models.TextField(
        _("how to overcome it"), blank=True, help_text=_("The practical way round the barrier.")
    )
    helping_partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("partner who helps"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="barriers_helped",
    )
    helping_service = models.ForeignKey(
        "services.Service",
        verbose_name=_("service that helps"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="barriers_helped",
    )
    source_kind = models.CharField(
        _("source kind"), max_length=12, choices=SourceKind.choices, default=SourceKind.DOCUMENT
    )
    source_title = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    last_confirmed_on = models.DateField(_("last confirmed"), default=timezone.localdate)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("written in"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        default="en",
        help_text=_("The language this entry is written in."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=BarrierStatus.choices, default=BarrierStatus.OPEN
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BarrierQuerySet.as_manager()

    class Meta:
        ordering = ["market", "kind", "title", "pk"]
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")
        indexes = [models.Index(fields=["programme", "market"], name="guides_barrier_market")]

    def __str__(self) -> str:
        return f"{country_name(self.market)}: {self.title}"

    def save(self, *args, **kwargs):
        self.nace = self.nace.strip().upper() if self.nace else ""
        self.search_text = search.index_text(self.title, self.description, self.how_to_overcome)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("guides:barrier", args=[self.pk])

    @property
    def market_name(self) -> str:
        return country_name(self.market)

    @property
    def nace_name(self) -> str:
        return nace_name(self.nace) if self.nace else ""

    def is_stale(self, today: date | None = None) -> bool:
        return self.last_confirmed_on < stale_before(today or timezone.localdate())

    def clean(self) -> None:
        errors = {}
        if self.last_confirmed_on and self.last_confirmed_on > timezone.localdate():
            errors["last_confirmed_on"] = _("A barrier cannot be confirmed in the future.")
        if self.programme_id and self.helping_partner_id:
            if not self.programme.has_partner(self.helping_partner_id):
                errors["helping_partner"] = _("The helping partner must be a programme partner.")
        if self.programme_id and self.helping_service_id:
            if self.helping_service.programme_id != self.programme_id:
                errors["helping_service"] = _("The service must be in the programme's catalogue.")
        if errors:
            raise ValidationError(errors)


class ExperienceReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published reports to everyone who sees the programme; a report waiting for review
        (or rejected) only to its author, its company's users, and the advisors and managers
        of the programme, who review it."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        in_programmes = Q(programme__in=Programme.objects.visible_to(user))
        own = Q(author=user)
        if user.role == Role.SME:
            own |= Q(company_id=user.company_id)
            return self.filter(in_programmes & (Q(status=ReportStatus.PUBLISHED) | own))
        reviewers = Q(programme__in=Programme.objects.recordable_by(user))
        return self.filter(in_programmes & (Q(status=ReportStatus.PUBLISHED) | own | reviewers))

    def published(self):
        return self.filter(status=ReportStatus.PUBLISHED)

    def pending(self):
        return self.filter(status=ReportStatus.PENDING)


class ExperienceReport(Versioned, models.Model):
    """What an SME or an advisor learnt about a market after a meeting, mission or deal.
    An advisor of the programme reviews it before anyone else sees it."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="experience_reports",
    )
    market = CountryField(_("market"))
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="experience_reports",
        help_text=_("The SME whose experience this is, if any."),
    )
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="experience_reports",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what happened and what we learnt"))
    suggested_kind = models.CharField(
        _("kind of barrier"), max_length=16, choices=BarrierKind.choices, blank=True
    )
    occurred_on = models.DateField(_("date of the experience"), default=timezone.localdate)
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experience_reports",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event or mission"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experience_reports",
    )
    language = models.CharField(
        _("written in"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    barrier = models.ForeignKey(
        Barrier,
        verbose_name=_("barrier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experience_reports",
        help_text=_("The barrier this report is a source of, once published."),
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ExperienceReportQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("experience report")
        verbose_name_plural = _("experience reports")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_rejected_has_reason",
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{country_name(self.market)}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("guides:report", args=[self.pk])

    @property
    def market_name(self) -> str:
        return country_name(self.market)

    @property
    def is_pending(self) -> bool:
        return self.status == ReportStatus.PENDING

    def clean(self) -> None:
        errors = {}
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = _("An experience cannot be dated in the future.")
        if self.deal_id and self.programme_id and self.deal.programme_id != self.programme_id:
            errors["deal"] = _("The deal must be one of the programme's.")
        if self.event_id and self.programme_id and self.event.programme_id != self.programme_id:
            errors["event"] = _("The event must be one of the programme's.")
        if self.barrier_id and (
            self.barrier.programme_id != self.programme_id or self.barrier.market != self.market
        ):
            errors["barrier"] = _("The barrier must be of the same programme and market.")
        if errors:
            raise ValidationError(errors)
