from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The pipeline of an SME through a programme, in order."""

    IDENTIFIED = "identified", _("Identified")
    CONTACTED = "contacted", _("Contacted")
    ASSESSED = "assessed", _("Assessed")
    SUPPORTED = "supported", _("Supported")
    EXPORTING = "exporting", _("Exporting")
    FIRST_SALE = "first_sale", _("First sale")

    @classmethod
    def at_or_past(cls, stage: str) -> list[str]:
        values = list(cls.values)
        return values[values.index(stage) :]

    @classmethod
    def rank(cls, stage: str) -> int:
        return list(cls.values).index(stage)


class CompanyKind(models.TextChoices):
    SME = "sme", _("SME")
    BUYER = "buyer", _("Foreign buyer")
    OTHER = "other", _("Other")


class LawfulBasis(models.TextChoices):
    """GDPR Art. 6(1) grounds for keeping a contact's personal data."""

    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    PUBLIC_TASK = "public_task", _("Public task")


class RegisterStatus(models.TextChoices):
    """A company's status in its business register, as the register file says it."""

    ACTIVE = "active", _("Active")
    LIQUIDATION = "liquidation", _("In liquidation")
    BANKRUPT = "bankrupt", _("Bankrupt")
    DELETED = "deleted", _("Deleted from the register")


class SizeClass(models.TextChoices):
    """EU SME size classes by head count (Recommendation 2003/361/EC)."""

    MICRO = "micro", _("micro (under 10)")
    SMALL = "small", _("small (10–49)")
    MEDIUM = "medium", _("medium (50–249)")
    LARGE = "large", _("large (250 or more)")
