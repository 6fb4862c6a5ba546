import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import visible_programme_records
from metacluster.accounts.choices import Role
from metacluster.core.scouting.names import company_search_text, name_key
from metacluster.countries import CountryField, country_name
from metacluster.subqueries import KeyIn
from metacluster.versioning import Versioned

from .choices import CompanyKind, LawfulBasis, RegisterStatus, SizeClass, Stage

NACE_CODE = re.compile(r"^[A-U]$|^\d{2}(\.\d{1,2})?$")
VAT_NUMBER = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")


def validate_nace_codes(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("NACE codes must be a list of codes such as 62.01."))
    bad = [code for code in value if not NACE_CODE.fullmatch(code)]
    if bad:
        raise ValidationError(
            _("Not a NACE Rev. 2 code: %(codes)s (expected e.g. 62 or 62.01)."),
            params={"codes": ", ".join(bad)},
        )


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see companies engaged in their programmes or scouted by their organisation;
        an SME user sees only its own company."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.SME:
            return self.filter(pk=user.company_id)
        if user.organisation_id is None:
            return self.none()
        # A subquery rather than a join, so that no DISTINCT is needed, and one that
        # PostgreSQL runs once: lists of a million companies stay index scans (KeyIn).
        engaged = Engagement.objects.filter(
            programme__partnerships__organisation_id=user.organisation_id
        ).values("company_id")
        return self.filter(Q(owner_id=user.organisation_id) | KeyIn("pk", engaged))

    def current(self):
        """Without the companies merged into another one (they are kept for undoing)."""
        return self.filter(merged_into__isnull=True)

    def editable_by(self, user):
        if user.is_authenticated and user.role == Role.SME:
            return self.filter(pk=user.company_id)
        if not user.is_authenticated or not user.can_edit_records:
            return self.none()
        return self.visible_to(user)


class Company(Versioned, models.Model):
    """One legal entity: an SME, or a foreign buyer."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CompanyKind.choices, default=CompanyKind.SME
    )
    country = CountryField(_("country"))
    town = models.CharField(_("town"), max_length=100, blank=True)
    registry_code = models.CharField(
        _("registry code"), max_length=30, blank=True, help_text=_("Business register number.")
    )
    vat_number = models.CharField(
        _("VAT number"),
        max_length=16,
        blank=True,
        help_text=_("With country prefix, e.g. SE556000000001."),
    )
    nace_codes = models.JSONField(
        _("NACE codes"),
        default=list,
        blank=True,
        validators=[validate_nace_codes],
        help_text=_("NACE Rev. 2 activity codes, e.g. 62.01."),
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    turnover = models.DecimalField(
        _("turnover (EUR)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded"), null=True, blank=True, validators=[MinValueValidator(1800)]
    )
    turnover_previous = models.DecimalField(
        _("turnover the year before (EUR)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True)
    register_status = models.CharField(
        _("register status"), max_length=12, choices=RegisterStatus.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    source = models.CharField(
        _("source"),
        max_length=60,
        blank=True,
        help_text=_("Where the record came from, e.g. the register file it was imported from."),
    )
    # Derived on save: the name without legal form, case or diacritics (for search and
    # duplicate finding), and the first activity code (an indexed column to filter on).
    # db_index on PostgreSQL also creates a varchar_pattern_ops index for prefix search.
    name_key = models.CharField(
        _("normalised name"), max_length=200, blank=True, editable=False, db_index=True
    )
    nace_primary = models.CharField(_("main NACE code"), max_length=5, blank=True, editable=False)
    # Derived on save and by imports: the folded words of the name, town, registry code, VAT
    # number and description, each after a space (`listing.search` looks for " word"). On
    # PostgreSQL a trigram index serves that search (migration companies.0006).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_companies",
        help_text=_("Set when this record was merged into another one as a duplicate."),
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies_added",
        help_text=_("The organisation that added this company."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(fields=["name", "id"], name="company_name_idx"),
            models.Index(fields=["owner", "name", "id"], name="company_owner_name_idx"),
            models.Index(fields=["country", "name", "id"], name="company_country_name_idx"),
            # With the head count, so that counting a NACE + size filter reads the table only
            # for the rows that pass both (1M rows, SQLite: 340 → 115 ms).
            models.Index(fields=["nace_primary", "employees"], name="company_nace_idx"),
            # Sorts that also serve filters (measured at 1M rows on PostgreSQL: country +
            # most employees 190 → 30 ms; NACE + size + youngest 300 → 100 ms).
            models.Index(fields=["employees", "id"], name="company_employees_idx"),
            models.Index(
                fields=["country", "employees", "id"], name="company_country_employees_idx"
            ),
            models.Index(fields=["founded_year", "id"], name="company_founded_idx"),
            # Filters combined, measured at 1M rows on SQLite: country + NACE + size (+ a
            # name search) 700 → 55 ms; NACE + size by founding year 1,900 → 30 ms (SQLite
            # walks the years and checks NACE and size in the index, sorting only ties).
            models.Index(
                fields=["country", "nace_primary", "employees"], name="company_country_nace_idx"
            ),
            models.Index(
                fields=["founded_year", "nace_primary", "employees"],
                name="company_founded_nace_idx",
            ),
            models.Index(fields=["vat_number"], name="company_vat_idx"),
            models.Index(fields=["registry_code"], name="company_registry_code_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registry_code"],
                condition=~Q(registry_code=""),
                name="%(app_label)s_%(class)s_unique_registry_code",
                violation_error_message=_(
                    "A company with this registry code is already recorded in this country."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.derive()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "nace_primary", "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", args=[self.pk])

    def derive(self) -> None:
        """Fill the derived columns; bulk imports call this since bulk_create skips save()."""
        self.name_key = name_key(self.name)[:200]
        self.nace_primary = self.nace_codes[0] if self.nace_codes else ""
        self.search_text = company_search_text(vars(self))

    def clean(self) -> None:
        self.vat_number = self.vat_number.replace(" ", "").upper()
        if self.vat_number:
            if not VAT_NUMBER.fullmatch(self.vat_number):
                raise ValidationError(
                    {
                        "vat_number": _(
                            "A VAT number starts with its country prefix, e.g. SE556000000001."
                        )
                    }
                )
            # Greece uses EL, not its ISO code, as its VAT prefix.
            expected = "EL" if self.country == "GR" else self.country
            if self.country and self.vat_number[:2] != expected:
                raise ValidationError(
                    {"vat_number": _("The VAT prefix does not match the country.")}
                )
        if self.founded_year and self.founded_year > timezone.now().year:
            raise ValidationError({"founded_year": _("The founding year cannot be in the future.")})

    @property
    def country_name(self) -> str:
        # get_country_display() rebuilds the 250 choices on every call: too slow for lists.
        return country_name(self.country)

    @property
    def size_class(self) -> str:
        """EU SME size class by head count (Recommendation 2003/361/EC)."""
        if self.employees is None:
            return ""
        if self.employees < 10:
            return "micro"
        if self.employees < 50:
            return "small"
        if self.employees < 250:
            return "medium"
        return "large"

    @property
    def size_class_label(self) -> str:
        """The size class as a reader of the active language calls it."""
        return SizeClass(self.size_class).label if self.size_class else ""


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(company__in=Company.objects.visible_to(user))


class Contact(models.Model):
    """A person at a company, with the lawful basis for keeping their data."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    lawful_basis = models.CharField(_("lawful basis"), max_length=24, choices=LawfulBasis.choices)
    consent_given_at = models.DateTimeField(
        _("consent given"),
        null=True,
        blank=True,
        help_text=_("Required when the basis is consent."),
    )
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_consent_recorded",
                condition=~Q(lawful_basis="consent") | Q(consent_given_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.lawful_basis == LawfulBasis.CONSENT and not self.consent_given_at:
            raise ValidationError({"consent_given_at": _("Record when consent was given.")})


class NoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Shared notes are seen by every organisation that sees the company; private notes
        only by the organisation that wrote them. SME users see no internal notes."""
        if not user.is_authenticated or user.role == Role.SME and not user.is_superuser:
            return self.none()
        notes = self.filter(company__in=Company.objects.visible_to(user))
        if user.is_superuser:
            return notes
        return notes.filter(Q(private=False) | Q(organisation_id=user.organisation_id))


class Note(models.Model):
    """An advisor's note on a company, private to their organisation unless shared."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="notes"
    )
    text = models.TextField(_("text"))
    private = models.BooleanField(
        _("private"), default=True, help_text=_("Only your organisation can read a private note.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.text[:60]


class EngagementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_programme_records(self, user)

    def at_or_past(self, stage: str):
        return self.filter(stage__in=Stage.at_or_past(stage))


class Engagement(Versioned, models.Model):
    """A company's participation in a programme, with its pipeline stage."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="engagements"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="engagements")
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible partner"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "company__name"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "company"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} in {self.programme}"

    def clean(self) -> None:
        if (
            self.programme_id
            and self.partner_id
            and not self.programme.has_partner(self.partner_id)
        ):
            raise ValidationError(
                {"partner": _("The responsible partner must be a partner of the programme.")}
            )

    def move_to(self, stage: str, *, by=None, note: str = "", at=None) -> "StageChange":
        """Move to another stage and record who did it and when, in one transaction."""
        if stage not in Stage.values:
            raise ValidationError({"stage": _("Unknown stage: %(stage)s") % {"stage": stage}})
        if stage == self.stage:
            raise ValidationError({"stage": _("The company is already at this stage.")})
        at = at or timezone.now()
        with transaction.atomic():
            change = StageChange.objects.create(
                engagement=self,
                from_stage=self.stage,
                to_stage=stage,
                changed_by=by,
                changed_at=at,
                note=note,
            )
            self.stage = stage
            self.stage_changed_at = at
            self.save_versioned(self.version)
        return change


class StageChange(models.Model):
    """One step in an engagement's stage history: who moved it, when, from where to where."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    changed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


def engage(
    company: Company, programme, partner, *, by=None, stage: str = Stage.IDENTIFIED, at=None
):
    """Start a company's engagement in a programme (or return the existing one), recording the
    first stage in the history so that every stage a company reached has a who and a when."""
    at = at or timezone.now()
    with transaction.atomic():
        engagement, created = Engagement.objects.get_or_create(
            programme=programme,
            company=company,
            defaults={"partner": partner, "stage": stage, "stage_changed_at": at, "created_at": at},
        )
        if created:
            StageChange.objects.create(
                engagement=engagement, from_stage="", to_stage=stage, changed_by=by, changed_at=at
            )
    return engagement


class MergeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(survivor__in=Company.objects.visible_to(user))


class Merge(models.Model):
    """One company record merged into another as its duplicate: what moved, what the survivor
    took over, who did it. Kept so that the merge can be undone."""

    survivor = models.ForeignKey(
        Company, verbose_name=_("kept record"), on_delete=models.CASCADE, related_name="merges"
    )
    merged = models.ForeignKey(
        Company,
        verbose_name=_("merged record"),
        on_delete=models.CASCADE,
        related_name="merged_by_merges",
    )
    moved = models.JSONField(
        _("moved records"),
        default=dict,
        help_text=_("Model label and field → primary keys repointed to the kept record."),
    )
    kept_back = models.JSONField(
        _("records left behind"),
        default=dict,
        help_text=_("Records that could not move because the kept record already has one."),
    )
    filled = models.JSONField(
        _("fields filled in"),
        default=dict,
        help_text=_("Fields of the kept record that were empty, with their old values."),
    )
    merged_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    undone_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_not_itself", condition=~Q(survivor=F("merged"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
