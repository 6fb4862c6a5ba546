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
