from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.versioning import Versioned


class CapabilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.visible_to(user))


class Capability(models.Model):
    """One entry of a programme's shared capability taxonomy (e.g. smart mobility, water).

    Offers, opportunities, consortium needs and event profiles all speak this vocabulary, so
    a capability is matched by identity rather than by spelling."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="capabilities"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    objects = CapabilityQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user)


class Offer(Versioned, models.Model):
    """What a company offers in a programme: a description and its capabilities."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="offers"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("capabilities"), related_name="offers", blank=True
    )
    tags = models.JSONField(
        _("tags"), default=list, blank=True, help_text=_("Free keywords beside the taxonomy.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "company", "title"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.title} ({self.company})"
