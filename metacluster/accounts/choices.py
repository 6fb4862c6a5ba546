from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster organisation")
    SCIENCE_PARK = "science_park", _("Science park")
    AGENCY = "agency", _("Agency")
    UNIVERSITY = "university", _("University or research institute")


class Role(models.TextChoices):
    MANAGER = "manager", _("Programme manager")
    ADVISOR = "advisor", _("Advisor")
    VIEWER = "viewer", _("Viewer")
    SME = "sme", _("SME user")
