import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.countries import CountryField

from .choices import OrganisationKind, Role


def hash_key(key: str) -> str:
    """The SHA-256 hex digest under which a secret key (API token, buyer link) is stored: the
    key itself is shown once and never kept."""
    return hashlib.sha256(key.encode()).hexdigest()


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Organisation(models.Model):
    """A cluster, science park, agency or university; staff users belong to one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in: staff of an organisation, or an SME user tied to one company."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For SME users: the one company this user represents."),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="Europe/Stockholm"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_sme_has_company",
                condition=~models.Q(role="sme") | models.Q(company__isnull=False),
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        # set_password() keeps the new raw password in _password until the save: a changed
        # password (changed by its owner, reset by e-mail, or set by an administrator) revokes
        # every API token, so a token taken with the old password dies with it.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            self.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

    def clean(self) -> None:
        if self.role == Role.SME and not self.company_id:
            raise ValidationError({"company": _("An SME user must be tied to a company.")})
        if self.role in (Role.MANAGER, Role.ADVISOR, Role.VIEWER) and not self.organisation_id:
            if not self.is_superuser:
                raise ValidationError({"organisation": _("Staff users belong to an organisation.")})

    @property
    def is_sme(self) -> bool:
        return self.role == Role.SME and not self.is_superuser

    @property
    def is_staff_member(self) -> bool:
        """Staff of a partner organisation (not an SME user)."""
        return self.organisation_id is not None and self.role != Role.SME

    @property
    def can_edit_records(self) -> bool:
        """Advisors and programme managers record companies, deliveries and deals."""
        return self.is_superuser or self.role in (Role.MANAGER, Role.ADVISOR)

    @property
    def is_manager(self) -> bool:
        return self.is_superuser or self.role == Role.MANAGER


def default_expiry(days: int | None = None):
    return timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that still open the API: not revoked, not expired, of an active user."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    """A bearer token for scripts; only its hash is stored, the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires"), default=default_expiry, help_text=_("The token is refused from then on.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @classmethod
    def issue(cls, user: User, name: str, days: int | None = None) -> tuple["ApiToken", str]:
        """A new token valid for `days` (settings.API_TOKEN_DAYS unless given) and its key,
        which is returned this once and stored only as a hash."""
        key = "mc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[:8],
            key_hash=hash_key(key),
            expires_at=default_expiry(days),
        )
        return token, key
