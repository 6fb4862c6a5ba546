import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.accounts.choices import Role
from metacluster.accounts.models import hash_key
from metacluster.companies.models import validate_nace_codes
from metacluster.countries import CountryField
from metacluster.translations import Translatable
from metacluster.versioning import Versioned

from .choices import Language, OpportunityKind, OpportunityStatus, Verdict, Visibility


class CapabilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.visible_to(user))


class Capability(Translatable, models.Model):
    """One entry of a programme's shared capability taxonomy (e.g. smart mobility, water).

    Offers, opportunities, consortium needs and event profiles all speak this vocabulary, so
    a capability is matched by identity rather than by spelling."""

    TRANSLATED_FIELDS = ("name", "description")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="capabilities"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    objects = CapabilityQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_translations()


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user)


class Offer(Versioned, models.Model):
    """What a company offers in a programme: a description and its capabilities."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="offers"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("capabilities"), related_name="offers", blank=True
    )
    tags = models.JSONField(
        _("tags"), default=list, blank=True, help_text=_("Free keywords beside the taxonomy.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "company", "title"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.title} ({self.company})"


# --- Opportunities -----------------------------------------------------------------------------


CPV_CODE = re.compile(r"^\d{8}(-\d)?$")


def validate_cpv_codes(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("CPV codes must be a list of codes such as 72212000-4."))
    bad = [code for code in value if not CPV_CODE.fullmatch(code)]
    if bad:
        raise ValidationError(
            _("Not a CPV code: %(codes)s (expected e.g. 72212000-4)."),
            params={"codes": ", ".join(bad)},
        )


def validate_countries(value) -> None:
    from metacluster.countries import countries

    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give a list of country codes such as SE."))
    bad = [code for code in value if code not in countries()]
    if bad:
        raise ValidationError(
            _("Not an ISO 3166 country code: %(code)s.") % {"code": ", ".join(bad)}
        )


BUYER_KEY_PREFIX = "mcb_"


class BuyerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the buyers their own organisation invited, and programme managers every
        buyer of their programmes; nobody else sees any."""
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME or user.organisation_id is None:
            return self.none()
        return self.filter(programme__in=Programme.objects.visible_to(user)).filter(
            Q(partner_id=user.organisation_id) | Q(programme__in=Programme.objects.managed_by(user))
        )

    def by_key(self, key: str):
        """The buyer whose personal link carries this key, unless revoked; else None."""
        if not key or not key.startswith(BUYER_KEY_PREFIX):
            return None
        return (
            self.select_related("programme", "partner")
            .filter(token_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )


class Buyer(models.Model):
    """A foreign buyer a partner invited to publish opportunities. The buyer has no account:
    a personal link (only its hash is kept, as for events' buyers) opens pages where they
    publish and edit their own opportunities and see the interest in them, nothing else."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="invited_buyers",
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("inviting partner"),
        on_delete=models.PROTECT,
        related_name="invited_buyers",
    )
    name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("buyer organisation"), max_length=200)
    country = CountryField(_("country"))
    moderated = models.BooleanField(
        _("review before publishing"),
        default=True,
        help_text=_(
            "The buyer's opportunities are saved as drafts that your organisation publishes; "
            "untick to publish them as the buyer saves them."
        ),
    )
    visibility = models.CharField(
        _("visibility of the buyer's opportunities"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PROGRAMME,
    )
    token_prefix = models.CharField(max_length=12, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)

    objects = BuyerQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_at", "-pk"]
        verbose_name = _("invited buyer")
        verbose_name_plural = _("invited buyers")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def clean(self) -> None:
        if (
            self.programme_id
            and self.partner_id
            and not self.programme.has_partner(self.partner_id)
        ):
            raise ValidationError(
                {"partner": _("The inviting partner must be a partner of the programme.")}
            )

    def issue_link(self) -> str:
        """A new personal link key (the old one stops working), shown once: only its hash is
        kept."""
        key = BUYER_KEY_PREFIX + secrets.token_urlsafe(32)
        self.token_prefix = key[:10]
        self.token_hash = hash_key(key)
        self.invited_at = timezone.now()
        self.revoked_at = None
        type(self).objects.filter(pk=self.pk).update(
            token_prefix=self.token_prefix,
            token_hash=self.token_hash,
            invited_at=self.invited_at,
            revoked_at=None,
        )
        return key


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their programmes' opportunities, except another partner's private ones and
        other partners' drafts. An SME user sees published, open opportunities of its
        programmes, programme-wide or published by the partner it works with."""
        from metacluster.companies.models import Engagement
        from metacluster.programmes.models import Programme

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME:
            engagements = Engagement.objects.filter(company_id=user.company_id)
            own_partner = engagements.filter(
                programme=OuterRef("programme"), partner=OuterRef("partner")
            )
            return self.open().filter(
                Q(programme__in=engagements.values("programme"))
                & (Q(visibility=Visibility.PROGRAMME) | Q(Exists(own_partner)))
            )
        if user.organisation_id is None:
            return self.none()
        mine = Q(partner_id=user.organisation_id)
        return self.filter(programme__in=Programme.objects.visible_to(user)).filter(
            mine | Q(visibility=Visibility.PROGRAMME, status__in=PUBLIC_STATUSES)
        )

    def open(self, today=None):
        """Published and not past the deadline (open up to and including that day)."""
        today = today or timezone.localdate()
        return self.filter(status=OpportunityStatus.PUBLISHED).filter(
            Q(deadline__isnull=True) | Q(deadline__gte=today)
        )

    def editable_by(self, user):
        """Programme managers edit their programmes' opportunities; advisors their own
        organisation's."""
        from metacluster.programmes.models import Programme

        if user.is_superuser:
            return self
        if not user.is_authenticated or not user.can_edit_records or user.is_sme:
            return self.none()
        visible = self.visible_to(user)
        return visible.filter(
            Q(programme__in=Programme.objects.managed_by(user)) | Q(partner_id=user.organisation_id)
        )


PUBLIC_STATUSES = (OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED)


class Opportunity(Versioned, models.Model):
    """Foreign demand a partner publishes for the programme's SMEs: a buyer's request, a
    public project or tender, a partner search, a distribution or representation offer."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="opportunities",
        help_text=_("The partner organisation that brings this opportunity."),
    )
    kind = models.CharField(
        _("type"),
        max_length=16,
        choices=OpportunityKind.choices,
        default=OpportunityKind.BUYER_REQUEST,
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    buyer = models.CharField(
        _("buyer organisation"),
        max_length=200,
        blank=True,
        help_text=_("Who asks: a company, a city, an agency."),
    )
    capabilities = models.ManyToManyField(
        Capability,
        verbose_name=_("required capabilities"),
        related_name="opportunities",
        blank=True,
    )
    nace_codes = models.JSONField(
        _("NACE codes"),
        default=list,
        blank=True,
        validators=[validate_nace_codes],
        help_text=_("NACE Rev. 2 activity codes, e.g. 62.01."),
    )
    cpv_codes = models.JSONField(
        _("CPV codes"),
        default=list,
        blank=True,
        validators=[validate_cpv_codes],
        help_text=_("For tenders: Common Procurement Vocabulary codes, e.g. 72212000-4."),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("Last day to express interest.")
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
        help_text=_("The language of the title and description."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PROGRAMME
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.PUBLISHED,
    )
    eligible_countries = models.JSONField(
        _("eligible countries"),
        default=list,
        blank=True,
        validators=[validate_countries],
        help_text=_("Only companies from these countries qualify; empty for any."),
    )
    max_employees = models.PositiveIntegerField(
        _("largest company size (employees)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
        help_text=_("E.g. 249 for SMEs only; empty for any size."),
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_buyer = models.ForeignKey(
        Buyer,
        verbose_name=_("published by the invited buyer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_budget_not_negative",
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:opportunity", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == OpportunityStatus.PUBLISHED and (
            self.deadline is None or self.deadline >= timezone.localdate()
        )

    def clean(self) -> None:
        errors = {}
        if (
            self.programme_id
            and self.partner_id
            and not self.programme.has_partner(self.partner_id)
        ):
            errors["partner"] = _("The publishing partner must be a partner of the programme.")
        if self.currency and not (
            len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()
        ):
            errors["currency"] = _("Give an ISO 4217 code such as EUR.")
        if errors:
            raise ValidationError(errors)


# --- What SMEs and advisors do with matches ------------------------------------------------------


class InterestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An SME user sees its own company's interests; staff those on opportunities they
        see (not on another partner's private one)."""
        records = visible_programme_records(self, user, programme="opportunity__programme")
        if user.is_authenticated and (user.is_superuser or user.role == Role.SME):
            return records
        return records.filter(opportunity__in=Opportunity.objects.visible_to(user))


class Interest(models.Model):
    """A company's expression of interest in an opportunity; it opens a lead in the deals
    pipeline (`deal`)."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    message = models.TextField(
        _("message"), blank=True, help_text=_("What you can offer the buyer.")
    )
    deal = models.OneToOneField(
        "deals.Deal",
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interest",
    )
    score = models.FloatField(_("match score"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("expressed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("expressed"), default=timezone.now)

    objects = InterestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "company"],
                name="%(app_label)s_%(class)s_once_per_company",
                violation_error_message=_("This company has already expressed interest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.opportunity}"


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user):
        records = visible_programme_records(self, user, programme="opportunity__programme")
        if user.is_authenticated and (user.is_superuser or user.role == Role.SME):
            return records
        return records.filter(opportunity__in=Opportunity.objects.visible_to(user))


class Feedback(models.Model):
    """A judgement of one match: an advisor or the SME says it is relevant or not. "Not
    relevant" hides the match from the SME and counts as grade 0 when ranking is evaluated."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="match_feedback",
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    given_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("given by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "company"], name="%(app_label)s_%(class)s_one_per_match"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} / {self.opportunity}: {self.get_verdict_display()}"


class Notice(models.Model):
    """A company was told about an opportunity, by an advisor or by an alert: at most once
    per company and opportunity, so alerts never repeat."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="notices"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="match_notices",
    )
    score = models.FloatField(_("match score"), null=True, blank=True)
    sent_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for an automatic alert."),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("match notice")
        verbose_name_plural = _("match notices")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "company"], name="%(app_label)s_%(class)s_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} ← {self.opportunity}"
