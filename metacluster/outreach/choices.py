from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")


class RecipientStatus(models.TextChoices):
    SENT = "sent", _("sent")
    UNSUBSCRIBED = "unsubscribed", _("not sent: unsubscribed")
    FAILED = "failed", _("failed")


class ReminderKind(models.TextChoices):
    ACTIVITY = "activity", _("activity tomorrow")
    ASSESSMENT = "assessment", _("assessment unfinished")
    MEETING = "meeting", _("meeting tomorrow")
    REQUEST = "request", _("service request overdue")
    REPORT = "report", _("report due")
