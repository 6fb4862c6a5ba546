"""Reporting periods and the indicator reports that freeze a period's figures for the funder."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.choices import Role
from metacluster.programmes.models import Programme
from metacluster.versioning import Versioned


class ReportingPeriodQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff of the programme's partners see its periods; SME users report nothing."""
        if not user.is_authenticated or (user.role == Role.SME and not user.is_superuser):
            return self.none()
        return self.filter(programme__in=Programme.objects.visible_to(user))


class ReportingPeriod(Versioned, models.Model):
    """A slice of a programme's time the funder wants a report on: a closed date range.

    Records count in a period by their date in UTC (see programmes.kpis.reporting_date), so the
    figures do not depend on who looks at them. A period can be edited until it is reported."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="reporting_periods",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    due_on = models.DateField(
        _("report due"), null=True, blank=True, help_text=_("When the funder expects the report.")
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "start"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="%(app_label)s_%(class)s_unique_number"
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_start", condition=Q(end__gte=F("start"))
            ),
        ]

    def __str__(self) -> str:
        return _("Period %(number)s (%(start)s – %(end)s)") % {
            "number": self.number,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    @property
    def is_submitted(self) -> bool:
        return hasattr(self, "report")

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("A period cannot end before it starts.")
        programme = self.programme if self.programme_id else None
        if programme and self.start and self.end and not errors:
            if self.start < programme.start_date or self.end > programme.end_date:
                errors["start"] = _(
                    "A period must lie within the programme (%(start)s – %(end)s)."
                ) % {"start": programme.start_date, "end": programme.end_date}
            overlapping = (
                ReportingPeriod.objects.filter(programme=programme)
                .exclude(pk=self.pk)
                .filter(start__lte=self.end, end__gte=self.start)
                .first()
            )
            if overlapping:
                errors["start"] = _("This overlaps %(period)s.") % {"period": overlapping}
        if self.pk and ReportingPeriod.objects.filter(pk=self.pk, report__isnull=False).exists():
            errors["start"] = _("This period is reported; its dates can no longer change.")
        if errors:
            raise ValidationError(errors)


class IndicatorReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(period__in=ReportingPeriod.objects.visible_to(user))


class IndicatorReport(models.Model):
    """A submitted indicator report: the period's figures as they were when submitted.

    It is never changed afterwards; a later change in the records shows in the next period's
    report as an adjustment, with the reason the manager gives for it."""

    period = models.OneToOneField(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="report",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    objects = IndicatorReportQuerySet.as_manager()

    class Meta:
        ordering = ["period__programme", "period__start"]
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")

    def __str__(self) -> str:
        return _("Report on %(period)s") % {"period": self.period}


class ReportedFigure(models.Model):
    """One indicator's line in a submitted report, with the records behind it.

    The indicator's code, name, unit and target are copied, so that editing or deleting the
    indicator later does not change what was reported. `records` are the records counted this
    period; `added` and `removed` those behind the adjustment of earlier periods' figures."""

    report = models.ForeignKey(IndicatorReport, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(
        "programmes.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_figures",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40)
    eu_code = models.CharField(_("EU indicator code"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    previously_reported = models.PositiveIntegerField(_("previously reported"))
    adjustment = models.IntegerField(_("adjustment"), default=0)
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    this_period = models.PositiveIntegerField(_("this period"))
    cumulative = models.PositiveIntegerField(_("cumulative"))
    record_type = models.CharField(_("record type"), max_length=40)
    records = models.JSONField(_("records counted this period"), default=list)
    added = models.JSONField(_("records added to earlier periods"), default=list)
    removed = models.JSONField(_("records no longer counted in earlier periods"), default=list)

    class Meta:
        ordering = ["report", "position", "code"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_adds_up",
                condition=Q(
                    cumulative=F("previously_reported") + F("adjustment") + F("this_period")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.cumulative}"
