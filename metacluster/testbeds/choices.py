from django.db import models
from django.utils.translation import gettext_lazy as _


class TestbedKind(models.TextChoices):
    LABORATORY = "laboratory", _("laboratory")
    PILOT_AREA = "pilot_area", _("pilot area")
    PRODUCTION = "production", _("production line")
    DATA_PLATFORM = "data_platform", _("data platform")
    OTHER = "other", _("other facility")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")
    USED = "used", _("used")
