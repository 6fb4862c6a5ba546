"""Export readiness assessments, and the instrument version each programme uses.

Who sees an assessment (the sharing rule, see docs/READINESS.md):
- the SME's own users, always;
- staff of the organisation that runs the assessment (the assessing partner), always;
- staff of the programme's other partners only once it is *shared* with them, which the SME or
  the assessing partner decides; until then they see only programme-wide aggregates;
- nobody outside the programme.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.choices import Role
from metacluster.core.readiness import Result, score
from metacluster.versioning import Versioned

from . import instruments
from .choices import AssessmentStatus, ReadinessStage


class ProgrammeInstrument(models.Model):
    """The instrument version a programme adopted for its new assessments. Assessments keep
    the version they were started with. Without a row, a programme uses the latest version."""

    programme = models.OneToOneField(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="readiness_instrument",
    )
    version = models.CharField(
        _("instrument version"), max_length=20, choices=instruments.version_choices
    )
    adopted_at = models.DateTimeField(_("adopted"), default=timezone.now)
    adopted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("adopted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["programme"]
        verbose_name = _("programme instrument")
        verbose_name_plural = _("programme instruments")

    def __str__(self) -> str:
        return f"{self.programme}: {self.version}"

    @staticmethod
    def version_for(programme) -> str:
        adopted = ProgrammeInstrument.objects.filter(programme=programme).first()
        return adopted.version if adopted else instruments.latest_version()


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The sharing rule in the module docstring."""
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
            Q(organisation_id=user.organisation_id) | Q(shared=True),
            programme__in=Programme.objects.visible_to(user),
        )

    def completed(self):
        return self.filter(status=AssessmentStatus.COMPLETED)

    def drafts(self):
        return self.filter(status=AssessmentStatus.DRAFT)


class Assessment(Versioned, models.Model):
    """A company's answers to one version of the readiness instrument, in one programme.

    `answers` maps item ids to 0–5, or to null for "don't know"; an item not in it is not
    answered yet. The scores are stored when the assessment is completed, so that programme
    figures are cheap; `result()` recomputes them from the answers and the instrument."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("assessing partner"),
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text=_("The partner that runs the assessment and always sees it."),
    )
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    shared = models.BooleanField(
        _("shared with all partners"),
        default=False,
        help_text=_("Advisors of the programme's other partners may see the answers and result."),
    )
    started_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overall = models.FloatField(_("overall score"), null=True, blank=True)
    completeness = models.FloatField(_("completeness"), null=True, blank=True)
    stage = models.CharField(
        _("export stage"), max_length=20, choices=ReadinessStage.choices, blank=True
    )
    dimension_scores = models.JSONField(_("dimension scores"), default=dict, blank=True)
    axis_scores = models.JSONField(_("axis scores"), default=dict, blank=True)
    delivery = models.OneToOneField(
        "services.Delivery",
        verbose_name=_("delivery"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment",
    )
    delivery_note = models.CharField(_("why no delivery was recorded"), max_length=300, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "company"],
                condition=Q(status="draft"),
                name="%(app_label)s_%(class)s_one_draft",
                violation_error_message=_(
                    "The company already has an unfinished assessment in this programme."
                ),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_completed_has_date",
                condition=Q(status="draft")
                | Q(completed_at__isnull=False, assessed_on__isnull=False),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_score_in_range",
                condition=Q(overall__isnull=True) | Q(overall__gte=0, overall__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.programme} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("readiness:detail", args=[self.pk])

    def clean(self) -> None:
        if self.instrument_version and self.instrument_version not in (
            instruments.available_versions()
        ):
            raise ValidationError(
                {"instrument_version": _("There is no instrument of this version.")}
            )
        if (
            self.programme_id
            and self.organisation_id
            and not self.programme.has_partner(self.organisation_id)
        ):
            raise ValidationError(
                {"organisation": _("The assessing partner must be a partner of the programme.")}
            )
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError(
                {"assessed_on": _("An assessment cannot be dated in the future.")}
            )

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def instrument(self):
        return instruments.load(self.instrument_version)

    def result(self) -> Result:
        return score(self.instrument, self.answers)

    def progress(self) -> tuple[int, int]:
        """(items answered or marked "don't know", items in the instrument)."""
        items = self.instrument.items
        return sum(1 for item in items if item.id in self.answers), len(items)

    def progress_percent(self) -> int:
        done, total = self.progress()
        return round(100 * done / total) if total else 0

    # --- who may do what (views and API check these after visible_to) ---------------------------

    def is_own_company_of(self, user) -> bool:
        return user.is_authenticated and user.is_sme and user.company_id == self.company_id

    def is_run_by(self, user) -> bool:
        """Staff of the assessing partner who record work (advisors, managers)."""
        return user.is_superuser or (
            user.is_authenticated
            and user.can_edit_records
            and not user.is_sme
            and user.organisation_id == self.organisation_id
        )

    def is_answerable_by(self, user) -> bool:
        """The SME itself, or the assessing partner's advisors, answer an unfinished one."""
        return self.is_draft and (self.is_own_company_of(user) or self.is_run_by(user))

    def is_shareable_by(self, user) -> bool:
        return self.is_own_company_of(user) or self.is_run_by(user)

    def can_request_services(self, user) -> bool:
        """The SME for itself, or any advisor of the programme who sees the result."""
        if self.is_own_company_of(user):
            return True
        return user.is_superuser or (
            user.is_authenticated
            and user.can_edit_records
            and self.programme.is_recordable_by(user)
        )
