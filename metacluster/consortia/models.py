from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.choices import Role
from metacluster.countries import country_choices


class ConsortiumQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME:
            return self.filter(members=user.company_id)
        return self.filter(programme__in=Programme.objects.visible_to(user))


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
