from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.countries import CountryField, country_name, eu_efta_codes
from metacluster.programmes.windows import add_months
from metacluster.versioning import Versioned

from .choices import AgreementType, DealStage


class DealQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user)

    def open(self):
        return self.filter(stage__in=DealStage.open_stages())

    def outside_eu_efta(self):
        return self.exclude(market__in=eu_efta_codes())

    def first_sales(self):
        return self.filter(first_sale=True, stage=DealStage.WON)


class Deal(Versioned, models.Model):
    """A company × market × counterpart, from lead to a won or lost agreement."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="deals"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="deals",
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible partner"),
        on_delete=models.PROTECT,
        related_name="deals",
    )
    market = CountryField(_("market"))
    counterpart = models.CharField(
        _("counterpart"), max_length=200, help_text=_("The buyer, distributor or partner abroad.")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    stage = models.CharField(
        _("stage"), max_length=10, choices=DealStage.choices, default=DealStage.LEAD
    )
    agreement_type = models.CharField(
        _("agreement type"), max_length=16, choices=AgreementType.choices, blank=True
    )
    value = models.DecimalField(
        _("value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    first_sale = models.BooleanField(
        _("first sale in this market"),
        default=False,
        help_text=_("The company's first sale in this market."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "market"],
                condition=Q(first_sale=True),
                name="%(app_label)s_%(class)s_one_first_sale_per_market",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_first_sale_is_won_sale",
                condition=Q(first_sale=False) | Q(stage="won", agreement_type="sale"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.counterpart} ({country_name(self.market)})"

    def get_absolute_url(self) -> str:
        return reverse("deals:detail", args=[self.pk])

    @property
    def in_eu_or_efta(self) -> bool:
        return self.market in eu_efta_codes()

    def clean(self) -> None:
        errors = {}
        if self.stage in (DealStage.AGREEMENT, DealStage.WON) and not self.agreement_type:
            errors["agreement_type"] = _("Say what kind of agreement it is.")
        if self.first_sale and not (
            self.stage == DealStage.WON and self.agreement_type == AgreementType.SALE
        ):
            errors["first_sale"] = _("Only a won sale can be a first sale.")
        if self.stage in (DealStage.WON, DealStage.LOST) and not self.closed_on:
            errors["closed_on"] = _("Give the date the deal was won or lost.")
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("A deal cannot close before it opened.")
        elif self.closed_on and self.programme_id:
            # As a delivery's date: a deal closed outside the programme's period is not the
            # programme's result — except within the follow-up its indicators count
            # (programmes.windows, e.g. sales up to 24 months after the period).
            first, last = result_days(self.programme)
            if not (first <= self.closed_on <= last):
                errors["closed_on"] = _(
                    "The date must fall within the programme period (%(start)s – %(end)s)."
                ) % {"start": first, "end": last}
        if self.first_sale and self.company_id and self.market:
            earlier = Deal.objects.filter(
                company_id=self.company_id, market=self.market, first_sale=True
            )
            if earlier.exclude(pk=self.pk).exists():
                errors["first_sale"] = _("This company already has a first sale in this market.")
        if (
            self.programme_id
            and self.partner_id
            and not self.programme.has_partner(self.partner_id)
        ):
            errors["partner"] = _("The responsible partner must be a partner of the programme.")
        if errors:
            raise ValidationError(errors)


def result_days(programme) -> tuple:
    """The first and last day a deal of `programme` may close: its period, extended by the
    longest follow-up window of its indicators."""
    months = 0
    for definition in programme.indicators.values_list("definition", flat=True):
        if isinstance(definition, dict) and definition.get("window") == "period":
            follow_up = definition.get("follow_up_months", 0)
            if isinstance(follow_up, int) and not isinstance(follow_up, bool):
                months = max(months, follow_up)
    return programme.start_date, add_months(programme.end_date, months)
