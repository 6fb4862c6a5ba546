from django.db import models
from django.utils.translation import gettext_lazy as _


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    ONSITE = "onsite", _("On-site")
    HYBRID = "hybrid", _("Hybrid")


class RequestMode(models.TextChoices):
    APPROVAL = "approval", _("Requests need acceptance")
    AUTO = "auto", _("Requests are accepted automatically")


class SchedulingMode(models.TextChoices):
    SELF = "self", _("Participants book slots themselves")
    ORGANISER = "organiser", _("The organiser schedules all meetings")


class AgendaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")


class ParticipantKind(models.TextChoices):
    SME = "sme", _("SME of the programme")
    BUYER = "buyer", _("Foreign buyer")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class EntryKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class Outcome(models.TextChoices):
    NONE = "none", _("No follow-up")
    LEAD = "lead", _("Lead")
    PILOT = "pilot", _("Pilot")
    AGREEMENT = "agreement", _("Agreement")
