from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("unfinished")
    COMPLETED = "completed", _("completed")


class ReadinessStage(models.TextChoices):
    """Cavusgil's export stages, as the instruments name them (labels for the UI)."""

    DOMESTIC = "domestic", _("Domestic")
    PRE_EXPORT = "pre_export", _("Pre-export")
    EXPERIMENTAL = "experimental", _("Experimental exporter")
    ACTIVE = "active", _("Active exporter")
    COMMITTED = "committed", _("Committed exporter")


class Axis(models.TextChoices):
    ORGANISATIONAL = "organisational", _("Organisational readiness")
    PRODUCT = "product", _("Product readiness")
