from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.countries import CountryField, country_name
from metacluster.versioning import Versioned

from .choices import Decision, Offering

NEED_FIELDS = (
    "certification_needed",
    "localisation_needed",
    "legal_entity_needed",
    "partner_needed",
)


class FeasibilityStudyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the studies of their programmes; an SME user its own company's."""
        return visible_programme_records(self, user)

    def decided(self):
        return self.exclude(decision=Decision.PENDING)


class FeasibilityStudy(Versioned, models.Model):
    """A go / no-go on entering one market with one company's offering.

    It keeps the market's ranking as it was when the study was made (score, breakdown,
    weights), the advisor's notes and the requirements found. Once decided it counts as a
    delivery of the programme's feasibility-analysis service (see `workflows.decide`)."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="feasibility_studies",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="feasibility_studies",
    )
    market = CountryField(_("market"))
    offering = models.CharField(
        _("offering"), max_length=16, choices=Offering.choices, default=Offering.ICT_SERVICES
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible partner"),
        on_delete=models.PROTECT,
        related_name="feasibility_studies",
    )
    advisor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feasibility_studies",
    )
    ranking_snapshot = models.JSONField(
        _("ranking snapshot"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("The market's score and breakdown when the study was made."),
    )
    notes = models.TextField(_("advisor notes"), blank=True)
    certification_needed = models.BooleanField(_("certification needed"), default=False)
    localisation_needed = models.BooleanField(_("localisation needed"), default=False)
    legal_entity_needed = models.BooleanField(_("local legal entity needed"), default=False)
    partner_needed = models.BooleanField(_("local partner needed"), default=False)
    requirements = models.TextField(
        _("requirements in detail"),
        blank=True,
        help_text=_("Which certificates, languages, registrations or partners, and their cost."),
    )
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    delivery = models.OneToOneField(
        "services.Delivery",
        verbose_name=_("delivery"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="feasibility_study",
    )
    service_requests = models.ManyToManyField(
        "servicerequests.ServiceRequest",
        verbose_name=_("service requests"),
        blank=True,
        editable=False,
        related_name="feasibility_studies",
        help_text=_("Requests made for the study's requirements (see workflows.request_help)."),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FeasibilityStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feasibility study")
        verbose_name_plural = _("feasibility studies")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "company", "market"],
                name="%(app_label)s_%(class)s_one_per_company_and_market",
                violation_error_message=_(
                    "This company already has a feasibility study of this market in the programme."
                ),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_decided_has_date",
                condition=Q(decision="pending") | Q(decided_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {country_name(self.market)}"

    def get_absolute_url(self) -> str:
        return reverse("markets:study", args=[self.pk])

    @property
    def market_name(self) -> str:
        return country_name(self.market)

    @property
    def needs(self) -> list[str]:
        """The checklist items ticked as needed (field names)."""
        return [name for name in NEED_FIELDS if getattr(self, name)]

    @property
    def requirements_checklist(self) -> list[tuple[str, bool]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in (
                "certification_needed",
                "localisation_needed",
                "legal_entity_needed",
                "partner_needed",
            )
        ]

    def clean(self) -> None:
        errors = {}
        if self.decision != Decision.PENDING and not self.decided_on:
            errors["decided_on"] = _("Give the date of the go / no-go decision.")
        if self.decision == Decision.PENDING and self.decided_on:
            errors["decided_on"] = _("A study without a decision has no decision date.")
        if self.decided_on and self.decided_on > timezone.localdate():
            errors["decided_on"] = _("A decision cannot be dated in the future.")
        if self.company_id and self.market and self.company.country == self.market:
            errors["market"] = _("A company's home country is not an export market.")
        if (
            self.programme_id
            and self.company_id
            and self.market
            and FeasibilityStudy.objects.filter(
                programme_id=self.programme_id, company_id=self.company_id, market=self.market
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            # Reported on the field, so that forms and the API say which input to change.
            errors["market"] = _(
                "This company already has a feasibility study of this market in the programme."
            )
        if (
            self.programme_id
            and self.partner_id
            and not self.programme.has_partner(self.partner_id)
        ):
            errors["partner"] = _("The responsible partner must be a partner of the programme.")
        if errors:
            raise ValidationError(errors)


class TradeDatasetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Trade data are public statistics: every signed-in user may use a loaded dataset."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self


class TradeDataset(models.Model):
    """Bilateral trade in the CEPII BACI layout, converted once into a trade store (see
    `core.markets.potential.build_store`) under settings.TRADE_DATA_DIR, so that every export
    potential asked of it reads only the product's rows and the bilateral totals."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the data come from, e.g. CEPII BACI HS17 V202401b (licence)."),
    )
    file_name = models.CharField(_("original file"), max_length=300, blank=True)
    store = models.CharField(_("store directory"), max_length=300, editable=False)
    rows = models.PositiveBigIntegerField(_("rows"), default=0, editable=False)
    years = models.JSONField(_("years"), default=list, editable=False)
    exporters = models.PositiveIntegerField(_("exporters"), default=0, editable=False)
    products = models.PositiveIntegerField(_("products"), default=0, editable=False)
    loaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now, editable=False)

    objects = TradeDatasetQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        verbose_name = _("trade dataset")
        verbose_name_plural = _("trade datasets")

    def __str__(self) -> str:
        return self.name

    @property
    def latest_year(self) -> int | None:
        return max(self.years) if self.years else None

    def store_path(self):
        from django.conf import settings

        return settings.TRADE_DATA_DIR / self.store


class TariffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tariffs are public figures: every signed-in user sees them."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self


class Tariff(models.Model):
    """A market's simple-average applied tariff for all products, an HS2 chapter or an HS6
    product in one year, from a loaded WITS/TRAINS-like file (none ships with the project)."""

    market = CountryField(_("market"))
    product = models.CharField(
        _("product"),
        max_length=6,
        blank=True,
        help_text=_("Empty for all products, an HS2 chapter or an HS6 product."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rate = models.FloatField(_("tariff (%)"))
    source = models.CharField(_("source"), max_length=300)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now, editable=False)

    objects = TariffQuerySet.as_manager()

    class Meta:
        ordering = ["market", "product", "-year"]
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        constraints = [
            models.UniqueConstraint(
                fields=["market", "product", "year"],
                name="%(app_label)s_%(class)s_one_per_market_product_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.market} {self.product or '*'} {self.year}: {self.rate:g} %"
