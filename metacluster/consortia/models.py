from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.countries import country_choices


class ConsortiumQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user, company="members")


class Consortium(models.Model):
    """Companies that together make a joint offer to a target market (formation comes later)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="consortia"
    )
    name = models.CharField(_("name"), max_length=200)
    market = models.CharField(_("target market"), max_length=2, choices=country_choices, blank=True)
    coordinator = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("coordinating partner"),
        on_delete=models.PROTECT,
        related_name="consortia",
    )
    members = models.ManyToManyField(
        "companies.Company", verbose_name=_("members"), related_name="consortia"
    )
    formed_on = models.DateField(_("formed"), default=timezone.localdate)

    objects = ConsortiumQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
