"""The state-aid ledger: what each single undertaking received, under which scheme, and when.

Every delivery of a programme's service is aid in kind to the company served, worth the units
times the service's market rate on the day it was recorded (`AidRecord`). Aid from other
grantors is what the SME declares (`AidDeclaration`). Companies linked under Art. 2(2) of
Regulation (EU) 2023/2831 form one `Undertaking`, whose aid is summed together.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.core.aid import GBER_20A_LIMIT, retention_until
from metacluster.versioning import Versioned

from .choices import AidScheme, DeclaredScheme, UndertakingLink

DEFAULT_WARNING_PERCENT = 80
EARLIEST_DECLARED = date(2000, 1, 1)


class ProgrammeAidSettingsQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.visible_to(user))


class ProgrammeAidSettings(Versioned, models.Model):
    """How a programme grants aid through its services: the scheme and the fiscal year."""

    programme = models.OneToOneField(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="aid_settings",
    )
    scheme = models.CharField(
        _("aid scheme"), max_length=12, choices=AidScheme.choices, default=AidScheme.DE_MINIMIS
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_(
            "1 for calendar years. Aid granted before 2024 is summed over three fiscal years "
            "(Regulation 1407/2013); from 2024 over a rolling three years."
        ),
    )
    warning_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("warn at (% of the ceiling)"),
        default=DEFAULT_WARNING_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    project_limit = models.DecimalField(
        _("limit per undertaking (GBER Art. 20a, EUR)"),
        max_digits=12,
        decimal_places=2,
        default=GBER_20A_LIMIT,
        validators=[MinValueValidator(0)],
        help_text=_("EUR 22,000 per undertaking per project since Regulation (EU) 2023/1315."),
    )
    granting_authority = models.CharField(
        _("granting authority"),
        max_length=200,
        blank=True,
        help_text=_("Named in aid letters, e.g. the managing authority of the Interreg programme."),
    )

    objects = ProgrammeAidSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["programme"]
        verbose_name = _("programme aid settings")
        verbose_name_plural = _("programme aid settings")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_month",
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_percent",
                condition=Q(warning_percent__gte=1, warning_percent__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_scheme_display()}"

    @classmethod
    def for_programme(cls, programme) -> "ProgrammeAidSettings":
        """The programme's settings, or the defaults (de minimis, calendar years) unsaved."""
        found = cls.objects.filter(programme=programme).first()
        return found or cls(programme=programme)


class UndertakingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Undertakings with a member company the user can see."""
        from metacluster.companies.models import Company

        visible = Company.objects.visible_to(user)
        return self.filter(members__company__in=visible).distinct()


class Undertaking(Versioned, models.Model):
    """A single undertaking: companies linked under Art. 2(2) of Regulation (EU) 2023/2831,
    whose de minimis aid counts against one ceiling."""

    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. the group's name."))
    notes = models.TextField(
        _("evidence"), blank=True, help_text=_("How the link is known, e.g. a registry extract.")
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = UndertakingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("single undertaking")
        verbose_name_plural = _("single undertakings")

    def __str__(self) -> str:
        return self.name


class UndertakingMember(models.Model):
    """A company's place in a single undertaking; a company belongs to at most one."""

    undertaking = models.ForeignKey(Undertaking, on_delete=models.CASCADE, related_name="members")
    company = models.OneToOneField(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="undertaking_membership",
    )
    link = models.CharField(
        _("link"), max_length=8, choices=UndertakingLink.choices, default=UndertakingLink.PARENT
    )

    class Meta:
        ordering = ["undertaking", "company__name"]
        verbose_name = _("member of an undertaking")
        verbose_name_plural = _("members of undertakings")

    def __str__(self) -> str:
        return f"{self.company} ∈ {self.undertaking}"


def undertaking_companies(company) -> list[int]:
    """The ids of the companies whose aid counts together with `company`'s (itself included)."""
    membership = UndertakingMember.objects.filter(company=company).first()
    if membership is None:
        return [company.pk]
    return list(
        UndertakingMember.objects.filter(undertaking_id=membership.undertaking_id).values_list(
            "company_id", flat=True
        )
    )


class AidRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user)

    def de_minimis(self):
        return self.filter(scheme=AidScheme.DE_MINIMIS)


class AidRecord(models.Model):
    """The aid in kind a company received through one delivery: its value at the market rate
    of the day it was recorded, so later price changes never rewrite what was granted."""

    delivery = models.OneToOneField(
        "services.Delivery",
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="aid",
    )
    # Copied from the delivery so that the ledger sums without joins.
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="aid_records",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="aid_records",
    )
    granted_on = models.DateField(_("granted on"))
    scheme = models.CharField(_("scheme"), max_length=12, choices=AidScheme.choices)
    units = models.DecimalField(_("units"), max_digits=8, decimal_places=2)
    market_rate = models.DecimalField(
        _("market rate per unit (EUR)"), max_digits=10, decimal_places=2
    )
    value = models.DecimalField(_("aid value (EUR)"), max_digits=12, decimal_places=2)
    override_reason = models.TextField(
        _("reason for exceeding the ceiling"),
        blank=True,
        help_text=_("Given by a programme manager who recorded it past the ceiling."),
    )
    overridden_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = AidRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_on", "-pk"]
        verbose_name = _("aid record")
        verbose_name_plural = _("aid records")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_value_not_negative", condition=Q(value__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: EUR {self.value} ({self.granted_on})"

    @property
    def retention_until(self) -> date:
        return retention_until(self.granted_on)


class AidDeclarationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.companies.models import Company

        return self.filter(company__in=Company.objects.visible_to(user))

    def de_minimis(self):
        return self.filter(scheme__in=DeclaredScheme.counting_towards_de_minimis())


class AidDeclaration(Versioned, models.Model):
    """Aid a company says it received from another grantor, as the de minimis regulation asks
    a grantor to establish before granting (Art. 6)."""

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="aid_declarations",
    )
    grantor = models.CharField(_("grantor"), max_length=200)
    granted_on = models.DateField(_("granted on"))
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
        help_text=_("Gross grant equivalent in euro."),
    )
    scheme = models.CharField(
        _("scheme"),
        max_length=20,
        choices=DeclaredScheme.choices,
        default=DeclaredScheme.DE_MINIMIS,
    )
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the grantor's decision number."),
    )
    declared_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    objects = AidDeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_on", "-pk"]
        verbose_name = _("declared aid")
        verbose_name_plural = _("declared aid")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_amount_positive", condition=Q(amount__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor} → {self.company}: EUR {self.amount} ({self.granted_on})"

    def clean(self) -> None:
        if self.granted_on and self.granted_on > timezone.localdate():
            raise ValidationError({"granted_on": _("Declare aid already granted, not future aid.")})
        if self.granted_on and self.granted_on < EARLIEST_DECLARED:
            # Older aid falls outside every period the ceilings are tested over.
            raise ValidationError({"granted_on": _("Declare aid granted since 2000.")})
