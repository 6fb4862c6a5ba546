from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.choices import Role
from metacluster.countries import CountryField, country_name
from metacluster.translations import Translatable
from metacluster.versioning import Versioned

from .choices import PartnerRole
from .definitions import DefinitionError, parse_definition
from .eu_indicators import eu_indicator_choices

# Acronyms appear in URLs beside these fixed paths.
RESERVED_ACRONYMS = {"new"}


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the programmes their organisation is a partner of; SME users those their
        company takes part in."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME:
            return self.filter(engagements__company_id=user.company_id).distinct()
        if user.organisation_id is None:
            return self.none()
        return self.filter(partnerships__organisation_id=user.organisation_id).distinct()

    def managed_by(self, user):
        """Programmes whose set-up (partners, indicators, catalogue) this user may edit."""
        if user.is_superuser:
            return self
        if not user.is_authenticated or user.role != Role.MANAGER:
            return self.none()
        return self.visible_to(user)

    def recordable_by(self, user):
        """Programmes in which this user may record companies, deliveries and deals."""
        if user.is_superuser:
            return self
        if not user.is_authenticated or not user.can_edit_records or user.is_sme:
            return self.none()
        return self.visible_to(user)


class Programme(Versioned, models.Model):
    """One funded project run jointly by several organisations (e.g. ICT Meta Cluster)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.SlugField(
        _("acronym"), max_length=40, unique=True, help_text=_("Short name used in URLs.")
    )
    funding_programme = models.CharField(
        _("funding programme"), max_length=200, help_text=_("e.g. Interreg Central Baltic")
    )
    priority = models.CharField(_("priority"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    total_budget = models.DecimalField(_("total budget"), max_digits=14, decimal_places=2)
    funder_contribution = models.DecimalField(
        _("funder contribution"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("e.g. the ERDF amount"),
    )
    private_contribution = models.DecimalField(
        _("private contribution"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_start",
                condition=Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.acronym in RESERVED_ACRONYMS:
            raise ValidationError({"acronym": _("This acronym is reserved; choose another.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The programme cannot end before it starts.")})
        if (
            self.funder_contribution
            and self.total_budget
            and (self.funder_contribution > self.total_budget)
        ):
            raise ValidationError(
                {"funder_contribution": _("The funder cannot contribute more than the budget.")}
            )

    @property
    def lead(self):
        partnership = self.partnerships.filter(role=PartnerRole.LEAD).first()
        return partnership.organisation if partnership else None

    def is_managed_by(self, user) -> bool:
        """May this user change the programme's set-up (partners, indicators, catalogue)?"""
        return Programme.objects.managed_by(user).filter(pk=self.pk).exists()

    def is_recordable_by(self, user) -> bool:
        """May this user record companies, deliveries and deals in the programme?"""
        return Programme.objects.recordable_by(user).filter(pk=self.pk).exists()

    def has_partner(self, organisation_id) -> bool:
        return self.partnerships.filter(organisation_id=organisation_id).exists()

    def partner_organisations(self):
        from metacluster.accounts.models import Organisation

        return Organisation.objects.filter(partnerships__programme=self)


class Partnership(models.Model):
    """An organisation's part in a programme: role, budget and co-financing rate."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    budget = models.DecimalField(
        _("partner budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    co_financing_rate = models.DecimalField(
        _("co-financing rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of eligible costs the funder pays, e.g. 75 for ERDF in Sweden."),
    )

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="%(app_label)s_%(class)s_unique"
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(role="lead"),
                name="%(app_label)s_%(class)s_one_lead",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_rate_is_percentage",
                condition=Q(co_financing_rate__isnull=True)
                | Q(co_financing_rate__gte=0, co_financing_rate__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def funder_share(self):
        if self.budget is None or self.co_financing_rate is None:
            return None
        return (self.budget * self.co_financing_rate / 100).quantize(self.budget)


class TargetMarket(models.Model):
    """A country the programme helps its SMEs export to."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="target_markets"
    )
    country = CountryField(_("country"))

    class Meta:
        ordering = ["country"]
        verbose_name = _("target market")
        verbose_name_plural = _("target markets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "country"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return country_name(self.country)


class Indicator(Translatable, Versioned, models.Model):
    """A measured result of a programme. Its achieved value is always computed from records
    through its definition (see programmes.kpis); it is never typed in."""

    TRANSLATED_FIELDS = ("name", "unit")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9-]*$",
                _("Use capital letters, digits and hyphens, e.g. SME-SUPPORTED."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, default="companies")
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    definition = models.JSONField(
        _("definition"), help_text=_("How the achieved value is computed from records.")
    )
    eu_code = models.CharField(
        _("EU indicator code"),
        max_length=12,
        blank=True,
        choices=eu_indicator_choices,
        help_text=_(
            "The EU common indicator this one is reported as (Regulation (EU) 2021/1058, "
            "Annex I), e.g. RCO04 for enterprises with non-financial support."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["programme", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        self.clean_translations()
        try:
            parse_definition(self.definition)
        except DefinitionError as error:
            raise ValidationError({"definition": str(error)}) from error
