from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    """A proposal's way from the optimiser to a formed consortium, in order."""

    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Members invited")
    AGREED = "agreed", _("Agreed by all members")
    FORMED = "formed", _("Formed")
    DISCARDED = "discarded", _("Discarded")


class Response(models.TextChoices):
    """A member's answer to the invitation to join."""

    NOT_INVITED = "not_invited", _("Not invited yet")
    PENDING = "pending", _("Invited, no answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MemberRole(models.TextChoices):
    # "lead" sorts before "member", which orders the lead first in member lists.
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
