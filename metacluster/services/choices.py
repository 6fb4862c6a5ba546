from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    """The tools of the one-stop-shop toolbox."""

    SCOUTING = "scouting", _("Scouting")
    FEASIBILITY = "feasibility", _("Feasibility analysis")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    COUNSELLING = "counselling", _("Business counselling")
    COACHING = "coaching", _("Coaching")
    TRAINING = "training", _("Training or workshop")
    PRODUCT_ADAPTATION = "product_adaptation", _("Product development and adaptation")
    TESTBED = "testbed", _("Testbed access")
    MARKET_ANALYSIS = "market_analysis", _("Export market analysis")
    READINESS = "readiness", _("Export readiness")
    EXPORT_MISSION = "export_mission", _("Export mission")
    MARKET_SUPPORT = "market_support", _("Market support")
    FUNDING_ADVICE = "funding_advice", _("Funding advice")


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    SESSIONS = "sessions", _("sessions")
    DAYS = "days", _("days")
    REPORTS = "reports", _("reports")
    PARTICIPANTS = "participants", _("participants")
