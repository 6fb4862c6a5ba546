from django.db import models
from django.utils.translation import gettext_lazy as _


class AidScheme(models.TextChoices):
    """The legal basis a programme grants its services' aid under."""

    DE_MINIMIS = "de_minimis", _("de minimis")
    GBER_20A = "gber_20a", _("GBER Art. 20a (Interreg projects)")


class DeclaredScheme(models.TextChoices):
    """The legal basis of aid an SME declares it received from another grantor."""

    DE_MINIMIS = "de_minimis", _("de minimis (general)")
    DE_MINIMIS_SECTOR = "de_minimis_sector", _("de minimis (agriculture or fisheries)")
    DE_MINIMIS_SGEI = "de_minimis_sgei", _("de minimis for services of general economic interest")
    GBER = "gber", _("block-exempted aid (GBER)")
    OTHER = "other", _("other State aid")

    @classmethod
    def counting_towards_de_minimis(cls) -> list[str]:
        # Art. 5(2) of Regulation 2023/2831: de minimis aid under other de minimis regulations
        # (agriculture, fisheries) cumulates up to the general ceiling; SGEI de minimis aid
        # (Regulation 2023/2832) counts only towards its own, higher ceiling (Art. 5(1)).
        return [cls.DE_MINIMIS, cls.DE_MINIMIS_SECTOR]


class UndertakingLink(models.TextChoices):
    """The relationships of Art. 2(2) of Regulation (EU) 2023/2831 that make one undertaking."""

    VOTING_MAJORITY = "a", _("(a) holds a majority of the shareholders' voting rights")
    BOARD = "b", _("(b) may appoint or remove a majority of the board")
    CONTRACT = "c", _("(c) dominant influence by contract or articles of association")
    AGREEMENT = "d", _("(d) controls a majority of voting rights by agreement")
    PARENT = "parent", _("the controlling company of the group")
