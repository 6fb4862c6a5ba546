from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead partner")
    PARTNER = "partner", _("Partner")
