from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceRequestStatus(models.TextChoices):
    """Where a service request stands, from asking to a recorded delivery. Named apart from
    events' RequestStatus (meeting requests): the API's enum schemas are named by class."""

    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    PLANNED = "planned", _("planned")
    DELIVERED = "delivered", _("delivered")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


# The short name, inside this app.
RequestStatus = ServiceRequestStatus


class RequestOrigin(models.TextChoices):
    """The tool a service request came from."""

    DIRECT = "direct", _("asked directly")
    READINESS = "readiness", _("readiness recommendation")
    FEASIBILITY = "feasibility", _("feasibility study")
    MATCHMAKING = "matchmaking", _("matchmaking")
