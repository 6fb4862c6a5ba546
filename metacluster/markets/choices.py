from django.db import models
from django.utils.translation import gettext_lazy as _


class Offering(models.TextChoices):
    """What the SME sells abroad; each type has its own default indicator weights."""

    ICT_SERVICES = "ict-services", _("ICT services and software")
    GOODS = "goods", _("Goods")


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    GO = "go", _("Go")
    NO_GO = "no_go", _("No go")


class EuEftaFilter(models.TextChoices):
    ONLY = "only", _("EU/EFTA markets only")
    EXCLUDE = "exclude", _("Outside EU/EFTA only")


class MissingPolicy(models.TextChoices):
    ZERO = "zero", _("Score missing figures 0 (worst)")
    MEDIAN = "median", _("Score missing figures at the median")
    EXCLUDE = "exclude", _("Leave out markets with missing figures")
