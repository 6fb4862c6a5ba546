"""Who may join a programme (its eligibility rules) and the SMEs' applications to it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from metacluster.countries import country_name
from metacluster.versioning import Versioned

from .choices import ApplicationStatus

# The general de minimis ceiling over three fiscal years, Regulation (EU) 2023/2831 Art. 3(2).
DE_MINIMIS_CEILING = Decimal(300_000)


def _country_codes(value) -> None:
    from metacluster.countries import countries

    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("A list of ISO country codes, e.g. SE, EE."))
    unknown = [code for code in value if code not in countries()]
    if unknown:
        raise ValidationError(
            _("Not a country code: %(codes)s"), params={"codes": ", ".join(unknown)}
        )


def _names(value) -> None:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValidationError(_("A list of names."))


class Eligibility(Versioned, models.Model):
    """A programme's rules for which SMEs may apply, and whether it takes applications now.

    Every rule is optional: an empty list or an unticked box admits everyone."""

    programme = models.OneToOneField(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="eligibility",
    )
    open_for_applications = models.BooleanField(_("open for applications"), default=False)
    countries = models.JSONField(
        _("countries"),
        default=list,
        blank=True,
        validators=[_country_codes],
        help_text=_("Where the SME must be registered; empty for any country."),
    )
    regions = models.JSONField(
        _("regions"),
        default=list,
        blank=True,
        validators=[_names],
        help_text=_("Regions the SME must be in, e.g. Gävleborg; empty for any region."),
    )
    min_employees = models.PositiveIntegerField(_("from employees"), default=1)
    max_employees = models.PositiveIntegerField(_("to employees"), default=249)
    requires_ict_component = models.BooleanField(
        _("requires an ICT component"),
        default=False,
        help_text=_(
            "The offering has an ICT component, or the SME needs an innovative ICT solution "
            "to complement it."
        ),
    )
    requires_export_will = models.BooleanField(
        _("requires the will to export outside the EU/EFTA"), default=False
    )
    min_de_minimis_headroom = models.DecimalField(
        _("de minimis headroom needed (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "The SME declares the de minimis aid it received in the last three fiscal years; "
            "what is left under the ceiling must be at least this. Empty: not asked."
        ),
    )

    class Meta:
        ordering = ["programme"]
        verbose_name = _("eligibility rules")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return str(self.programme)

    def clean(self) -> None:
        if self.max_employees < self.min_employees:
            raise ValidationError({"max_employees": _("Must not be below the lower bound.")})

    def describe(self) -> list[str]:
        """The rules in words, for the public page."""
        lines = []
        if self.countries:
            names = ", ".join(country_name(code) for code in self.countries)
            lines.append(_gettext("Registered in: %(countries)s") % {"countries": names})
        if self.regions:
            lines.append(
                _gettext("In the region: %(regions)s") % {"regions": ", ".join(self.regions)}
            )
        lines.append(
            _gettext("%(low)s to %(high)s employees")
            % {"low": self.min_employees, "high": self.max_employees}
        )
        if self.requires_ict_component:
            lines.append(
                _gettext(
                    "An ICT component in the offering, or the need for an innovative ICT "
                    "solution to complement a product or service"
                )
            )
        if self.requires_export_will:
            lines.append(_gettext("The will to export outside the EU and EFTA"))
        if self.min_de_minimis_headroom is not None:
            lines.append(
                _gettext("At least EUR %(amount)s of de minimis headroom left")
                % {"amount": f"{self.min_de_minimis_headroom:,.0f}"}
            )
        return lines

    def screen(
        self,
        *,
        country: str,
        region: str,
        employees: int,
        ict_component: bool,
        export_will: bool,
        de_minimis_received: Decimal | None,
    ) -> list[str]:
        """The reasons an applicant with these answers is not eligible; empty if eligible."""
        reasons = []
        if self.countries and country not in self.countries:
            reasons.append(
                _gettext("The programme is open to companies registered in %(countries)s.")
                % {"countries": ", ".join(country_name(c) for c in self.countries)}
            )
        wanted = {r.strip().casefold() for r in self.regions}
        if wanted and region.strip().casefold() not in wanted:
            reasons.append(
                _gettext("The programme is open to companies in %(regions)s.")
                % {"regions": ", ".join(self.regions)}
            )
        if not self.min_employees <= employees <= self.max_employees:
            reasons.append(
                _gettext("The programme is for companies with %(low)s to %(high)s employees.")
                % {"low": self.min_employees, "high": self.max_employees}
            )
        if self.requires_ict_component and not ict_component:
            reasons.append(_gettext("The programme is for offerings with an ICT component."))
        if self.requires_export_will and not export_will:
            reasons.append(
                _gettext("The programme is for companies that want to export outside the EU/EFTA.")
            )
        if self.min_de_minimis_headroom is not None:
            if de_minimis_received is None:
                reasons.append(_gettext("Declare the de minimis aid received in three years."))
            elif DE_MINIMIS_CEILING - de_minimis_received < self.min_de_minimis_headroom:
                reasons.append(
                    _gettext(
                        "The de minimis aid already received leaves too little headroom for "
                        "the programme's support."
                    )
                )
        return reasons


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff of the programme's partners see its applications; nobody else does (an
        applicant has no account until accepted)."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated or user.is_sme:
            return self.none()
        return self.filter(programme__in=Programme.objects.visible_to(user))

    def reviewable_by(self, user):
        from metacluster.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.recordable_by(user))


class Application(models.Model):
    """An SME's application to a programme from its public page, screened against the
    programme's eligibility rules and then accepted or declined by an advisor."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    company_name = models.CharField(_("company name"), max_length=200)
    registry_code = models.CharField(_("registry code"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("employees"))
    website = models.URLField(_("website"), blank=True)
    offering = models.TextField(_("what the company offers"))
    ict_component = models.BooleanField(_("ICT component"), default=False)
    export_will = models.BooleanField(_("wants to export outside the EU/EFTA"), default=False)
    de_minimis_received = models.DecimalField(
        _("de minimis aid received in three fiscal years (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    screening_reasons = models.JSONField(_("screening reasons"), default=list, blank=True)
    existing_company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company already on record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.company_name} → {self.programme}"
