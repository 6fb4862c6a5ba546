from django.db import models
from django.utils.translation import gettext_lazy as _


class OpportunityKind(models.TextChoices):
    BUYER_REQUEST = "buyer_request", _("Buyer request")
    TENDER = "tender", _("Public project or tender")
    PARTNER_SEARCH = "partner_search", _("Partner search")
    DISTRIBUTION = "distribution", _("Distribution or representation")


class Visibility(models.TextChoices):
    PROGRAMME = "programme", _("Programme-wide")
    PARTNER = "partner", _("Only the publishing partner")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Language(models.TextChoices):
    """The languages the matching stems (see metacluster.core.matching.text)."""

    EN = "en", _("English")
    SV = "sv", _("Swedish")
    FI = "fi", _("Finnish")
    ET = "et", _("Estonian")
    LV = "lv", _("Latvian")


class Verdict(models.TextChoices):
    RELEVANT = "relevant", _("Relevant")
    NOT_RELEVANT = "not_relevant", _("Not relevant")
