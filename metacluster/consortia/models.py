"""Consortia and their formation: needs, proposals, invitations, capacities and competitors.

A *need* asks for capabilities no single SME has; the optimiser (`metacluster.core.consortia`)
proposes groups of companies that cover it; advisors edit a proposal, invite its members,
who accept or decline; an agreed proposal becomes a formed `Consortium` (and only formed
consortia count in the programme's `consortia` indicators).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.accounts.choices import Role
from metacluster.countries import CountryField
from metacluster.versioning import Versioned

from .choices import MemberRole, ProposalStatus, Response


class ConsortiumQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user, company="members")


class Consortium(Versioned, models.Model):
    """Companies that together make a joint offer to a target market: a formed consortium.

    Its joint-offer profile is the members (with their roles from the proposal it was formed
    from), the capabilities they cover together and the joint capability statement."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="consortia"
    )
    name = models.CharField(_("name"), max_length=200)
    market = CountryField(_("target market"), blank=True)
    coordinator = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("coordinating partner"),
        on_delete=models.PROTECT,
        related_name="consortia",
    )
    members = models.ManyToManyField(
        "companies.Company", verbose_name=_("members"), related_name="consortia"
    )
    formed_on = models.DateField(_("formed"), default=timezone.localdate)
    need = models.ForeignKey(
        "ConsortiumNeed",
        verbose_name=_("need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consortia",
    )
    statement = models.TextField(
        _("joint capability statement"),
        blank=True,
        help_text=_("What the members offer together, as buyers and event organisers read it."),
    )

    objects = ConsortiumQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their programmes' needs; an SME user sees the needs its company has been
        invited to a proposal for."""
        if user.is_authenticated and not user.is_superuser and user.role == Role.SME:
            return self.filter(
                proposals__members__company=user.company_id,
                proposals__members__invited_at__isnull=False,
            ).distinct()
        return visible_programme_records(self, user, company="programme__pk")


class ConsortiumNeed(Versioned, models.Model):
    """What a joint offer must provide: the capabilities of, say, a city's smart-city master
    plan package, which no single SME has; with the rules a consortium for it must keep."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="consortium_needs",
    )
    title = models.CharField(_("title"), max_length=200)
    market = CountryField(_("target market"), blank=True)
    description = models.TextField(_("description"), blank=True)
    capabilities = models.ManyToManyField(
        "matchmaking.Capability",
        verbose_name=_("required capabilities"),
        related_name="consortium_needs",
    )
    min_countries = models.PositiveSmallIntegerField(_("at least this many countries"), default=2)
    min_size = models.PositiveSmallIntegerField(_("at least this many members"), default=2)
    max_size = models.PositiveSmallIntegerField(_("at most this many members"), default=5)
    allow_competitors = models.BooleanField(
        _("competitors may join together"),
        default=False,
        help_text=_("Otherwise two companies recorded as competitors are never proposed together."),
    )
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the need comes from, e.g. the matchmaking opportunity it was made of."),
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "title"]
        verbose_name = _("consortium need")
        verbose_name_plural = _("consortium needs")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_size__gte=1) & Q(min_size__lte=models.F("max_size")),
                name="%(app_label)s_%(class)s_size_bounds",
            ),
            models.CheckConstraint(
                condition=Q(max_size__lte=20), name="%(app_label)s_%(class)s_max_size"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.min_size and self.max_size and self.min_size > self.max_size:
            raise ValidationError({"min_size": _("The least number of members is above the most.")})
        if self.max_size and self.max_size > 20:
            raise ValidationError({"max_size": _("A consortium has at most 20 members.")})
        if self.min_size is not None and self.min_size < 1:
            raise ValidationError({"min_size": _("A consortium has at least one member.")})
        if self.max_size and self.min_countries > self.max_size:
            raise ValidationError(
                {"min_countries": _("More countries are required than members are allowed.")}
            )


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their programmes' proposals; an SME user only those its company has been
        invited to."""
        if user.is_authenticated and not user.is_superuser and user.role == Role.SME:
            return self.filter(
                members__company=user.company_id, members__invited_at__isnull=False
            ).distinct()
        return visible_programme_records(
            self, user, programme="need__programme", company="need__programme__pk"
        )


class Proposal(Versioned, models.Model):
    """A group of companies proposed for a need, as the optimiser made it or an advisor edited
    it. Proposals of one need are ranked; edits keep the proposal, with a new version."""

    need = models.ForeignKey(
        ConsortiumNeed, verbose_name=_("need"), on_delete=models.CASCADE, related_name="proposals"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    score = models.FloatField(_("score"), default=0.0)
    optimal = models.BooleanField(
        _("proven best"),
        default=False,
        help_text=_(
            "The optimiser proved no group that differs enough from the better-ranked "
            "ones scores more."
        ),
    )
    edited = models.BooleanField(_("edited by hand"), default=False)
    consortium = models.OneToOneField(
        Consortium,
        verbose_name=_("consortium"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["need", "rank", "pk"]
        verbose_name = _("consortium proposal")
        verbose_name_plural = _("consortium proposals")

    def __str__(self) -> str:
        return _("Proposal %(rank)s for %(need)s") % {"rank": self.rank, "need": self.need}

    @property
    def is_open(self) -> bool:
        """Members can still be changed: nobody has been invited yet."""
        return self.status == ProposalStatus.PROPOSED

    @property
    def all_accepted(self) -> bool:
        members = list(self.members.all())
        return bool(members) and all(m.response == Response.ACCEPTED for m in members)


class ProposalMember(models.Model):
    """A company in a proposal, its role, and its answer to the invitation."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="members"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="consortium_proposals",
    )
    role = models.CharField(
        _("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    response = models.CharField(
        _("answer"), max_length=12, choices=Response.choices, default=Response.NOT_INVITED
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["proposal", "role", "company__name"]
        verbose_name = _("proposal member")
        verbose_name_plural = _("proposal members")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "company"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_role_display()})"


class MemberCapacity(models.Model):
    """How many consortia of a programme a company can take part in (1 when not recorded)."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="consortium_capacities",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="consortium_capacities",
    )
    max_consortia = models.PositiveSmallIntegerField(_("at most this many consortia"), default=1)

    class Meta:
        ordering = ["programme", "company__name"]
        verbose_name = _("consortium capacity")
        verbose_name_plural = _("consortium capacities")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "company"], name="%(app_label)s_%(class)s_unique"
            ),
            models.CheckConstraint(
                condition=Q(max_consortia__lte=20), name="%(app_label)s_%(class)s_at_most_20"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.max_consortia}"


class CompetitorPair(models.Model):
    """Two companies of a programme that compete, and so are not proposed together unless a
    need allows it. Stored once, the lower company id first."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="competitor_pairs",
    )
    first = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        "companies.Company",
        verbose_name=_("competitor"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering = ["programme", "first__name", "second__name"]
        verbose_name = _("competitor pair")
        verbose_name_plural = _("competitor pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "first", "second"], name="%(app_label)s_%(class)s_unique"
            ),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="%(app_label)s_%(class)s_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} × {self.second}"

    def save(self, *args, **kwargs):
        if self.first_id and self.second_id and self.first_id > self.second_id:
            self.first_id, self.second_id = self.second_id, self.first_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.first_id and self.first_id == self.second_id:
            raise ValidationError({"second": _("A company does not compete with itself.")})
