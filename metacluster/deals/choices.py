from django.db import models
from django.utils.translation import gettext_lazy as _


class DealStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEETING = "meeting", _("Meeting")
    PILOT = "pilot", _("Pilot")
    AGREEMENT = "agreement", _("Agreement")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")

    @classmethod
    def open_stages(cls) -> list[str]:
        return [cls.LEAD, cls.MEETING, cls.PILOT, cls.AGREEMENT]


class AgreementType(models.TextChoices):
    SALE = "sale", _("Sale")
    REPRESENTATION = "representation", _("Representation")
    LICENCE = "licence", _("Licence")
    PARTNERSHIP = "partnership", _("Partnership")
