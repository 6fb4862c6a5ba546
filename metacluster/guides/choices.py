from django.db import models
from django.utils.translation import gettext_lazy as _


class BarrierKind(models.TextChoices):
    """The four kinds of market-entry barrier a market guide is organised by."""

    LEGAL = "legal", _("Legal and regulatory")
    ADMINISTRATIVE = "administrative", _("Administrative and bureaucratic")
    CULTURAL = "cultural", _("Cultural and business customs")
    TECHNICAL = "technical", _("Technical")


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    MISSION_REPORT = "mission", _("Mission report")
    SME_EXPERIENCE = "experience", _("SME experience")


class BarrierStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
