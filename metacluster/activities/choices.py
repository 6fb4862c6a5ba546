from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("training")
    WEBINAR = "webinar", _("webinar")
    WORKSHOP = "workshop", _("workshop")
    EXPORT_MISSION = "export_mission", _("export mission")


class RegistrationMode(models.TextChoices):
    PUBLIC = "public", _("open: the programme's SMEs register themselves")
    INVITED = "invited", _("by invitation: staff register companies")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Outcome(models.TextChoices):
    """What a participant intends to do after the activity (the feedback survey)."""

    NEW_MARKET = "new_market", _("approach a new market")
    ADAPT_OFFER = "adapt_offer", _("adapt our offer")
    MEET_BUYERS = "meet_buyers", _("meet buyers or partners")
    JOIN_CONSORTIUM = "join_consortium", _("join a consortium")
    NOTHING_YET = "nothing_yet", _("nothing yet")
