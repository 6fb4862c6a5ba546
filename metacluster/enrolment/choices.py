from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """Where an SME's application to a programme stands."""

    SCREENED_OUT = "screened_out", _("screened out")
    PENDING = "pending", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
