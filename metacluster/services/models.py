import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.translations import Translatable

from .choices import ServiceKind, Unit


class ServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.visible_to(user))

    def active(self):
        return self.filter(active=True)


class Service(Translatable, models.Model):
    """A catalogue item of the one-stop shop that one partner offers in a programme."""

    TRANSLATED_FIELDS = ("name", "description")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="services"
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.HOURS)
    value_per_unit = models.DecimalField(
        _("market value per unit (EUR)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    active = models.BooleanField(_("offered"), default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "kind", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "provider", "name"], name="%(app_label)s_%(class)s_unique"
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_value_not_negative",
                condition=Q(value_per_unit__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    def clean(self) -> None:
        self.clean_translations()
        if (
            self.programme_id
            and self.provider_id
            and not self.programme.has_partner(self.provider_id)
        ):
            raise ValidationError(
                {"provider": _("Only a partner of the programme can offer a service in it.")}
            )


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user, programme="service__programme")

    def in_programme(self, programme):
        return self.filter(service__programme=programme)


class Delivery(models.Model):
    """A service given to a company: who, what, when, how much. Everything a programme reports
    about support is computed from deliveries."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="deliveries"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    contact = models.ForeignKey(
        "companies.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("delivered by"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    advisor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    date = models.DateField(_("date"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    notes = models.TextField(_("notes"), blank=True)
    batch = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set on deliveries entered together as attendance."),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_quantity_positive", condition=Q(quantity__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.name} → {self.company} ({self.date})"

    @property
    def value(self):
        return self.quantity * self.service.value_per_unit

    def clean(self) -> None:
        errors = {}
        if self.service_id:
            if not self.service.active and self._state.adding:
                errors["service"] = _("This service is no longer offered.")
            programme = self.service.programme
            if self.date and not (programme.start_date <= self.date <= programme.end_date):
                errors["date"] = _(
                    "The date must fall within the programme period (%(start)s – %(end)s)."
                ) % {"start": programme.start_date, "end": programme.end_date}
            if self.provider_id and not programme.has_partner(self.provider_id):
                errors["provider"] = _("The provider must be a partner of the programme.")
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("A delivery cannot be recorded for a future date.")
        if self.contact_id and self.company_id and self.contact.company_id != self.company_id:
            errors["contact"] = _("The contact must work at the company.")
        if errors:
            raise ValidationError(errors)


def new_batch() -> uuid.UUID:
    return uuid.uuid4()
