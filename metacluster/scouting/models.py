"""Scouting: imports of register files, the duplicates they reveal, each programme's
scouting score, and saved searches."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.countries import CountryField
from metacluster.jobs.models import Tracked
from metacluster.versioning import Versioned


class OrganisationScoped(models.QuerySet):
    def visible_to(self, user):
        """Staff see their own organisation's records; superusers all; others none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_sme or not user.organisation_id:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class ColumnMapping(models.Model):
    """How an organisation's files from one source map onto company fields, kept so that
    the next file from the same source needs no mapping."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="column_mappings"
    )
    source = models.CharField(_("source"), max_length=60)
    columns = models.JSONField(_("columns"), default=dict, help_text=_("Field → column header."))
    default_country = CountryField(_("default country"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationScoped.as_manager()

    class Meta:
        ordering = ["source"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source"], name="%(app_label)s_%(class)s_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return self.source


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    COMMITTING = "committing", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class ImportMode(models.TextChoices):
    VALID_ROWS = "valid_rows", _("Import the valid rows, skip the rows with errors")
    ALL_OR_NOTHING = "all_or_nothing", _("Import only if every row is valid")


class ImportJob(Tracked):
    """One file imported into an organisation's companies: checked first (the preview),
    then committed in one transaction, or not at all."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=60)
    file_name = models.CharField(_("file"), max_length=255)
    path = models.CharField(max_length=500, editable=False, help_text="The uploaded file.")
    columns = models.JSONField(_("columns"), default=dict)
    headers = models.JSONField(_("headers"), default=list)
    layout = models.CharField(_("recognised layout"), max_length=40, blank=True)
    default_country = CountryField(_("default country"), blank=True)
    encoding = models.CharField(_("encoding"), max_length=12, default="utf-8")
    mode = models.CharField(
        _("when rows have errors"),
        max_length=16,
        choices=ImportMode.choices,
        default=ImportMode.VALID_ROWS,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict)
    errors = models.JSONField(_("row errors"), default=list)
    error_count = models.PositiveIntegerField(_("row errors"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = OrganisationScoped.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.source}: {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.COMMITTING)


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Not duplicates")


class DuplicateQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.companies.models import Company

        visible = Company.objects.visible_to(user)
        return self.filter(first__in=visible, second__in=visible)


class DuplicateCandidate(models.Model):
    """Two company records that are probably one company, waiting for a person's review."""

    first = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    second = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("possible duplicate"),
    )
    reason = models.CharField(
        _("reason"),
        max_length=16,
        choices=[
            ("registry_code", _("Same registry code")),
            ("vat_number", _("Same VAT number")),
            ("name_town", _("Similar name in the same town")),
        ],
    )
    similarity = models.FloatField(_("similarity"), default=100)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DuplicateQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-similarity", "pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"], name="%(app_label)s_%(class)s_unique_pair"
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ordered", condition=Q(first__lt=models.F("second"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"


class ScoringProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        if not user.is_authenticated or user.is_sme:
            return self.none()
        return self.filter(programme__in=Programme.objects.visible_to(user))


def _codes(value) -> None:
    from metacluster.core.scouting.nace import nace_codes

    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("A list of NACE codes, e.g. 62, 63.1 or J."))
    unknown = [code for code in value if code not in nace_codes()]
    if unknown:
        raise ValidationError(
            _("Not a NACE Rev. 2 code: %(codes)s"), params={"codes": ", ".join(unknown)}
        )


def _words(value) -> None:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise ValidationError(_("A list of words."))


class ScoringProfile(Versioned, models.Model):
    """A programme's scouting score: which criteria count and how many points each gives."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="scoring_profile"
    )
    sector_codes = models.JSONField(
        _("sectors (NACE)"), default=list, blank=True, validators=[_codes]
    )
    sector_points = models.SmallIntegerField(_("points for sector fit"), default=30)
    min_employees = models.PositiveIntegerField(_("from employees"), default=1)
    max_employees = models.PositiveIntegerField(_("to employees"), default=250)
    size_points = models.SmallIntegerField(_("points for size"), default=20)
    min_age_years = models.PositiveSmallIntegerField(_("at least years old"), default=2)
    max_age_years = models.PositiveSmallIntegerField(
        _("at most years old"), default=0, help_text=_("0: no upper limit.")
    )
    age_points = models.SmallIntegerField(_("points for age"), default=10)
    min_growth_percent = models.FloatField(_("turnover growth at least (%)"), default=10)
    growth_points = models.SmallIntegerField(_("points for growth"), default=15)
    export_keywords = models.JSONField(
        _("export signal words"),
        default=list,
        blank=True,
        validators=[_words],
    )
    export_points = models.SmallIntegerField(_("points for export signals"), default=10)
    keywords = models.JSONField(_("keywords"), default=list, blank=True, validators=[_words])
    keyword_points = models.SmallIntegerField(_("points for keywords"), default=10)
    website_points = models.SmallIntegerField(_("points for a website"), default=5)
    engagement_points = models.SmallIntegerField(
        _("points for taking part in programmes"),
        default=-10,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=_("Negative to favour companies no programme supports yet."),
    )

    objects = ScoringProfileQuerySet.as_manager()

    class Meta:
        ordering = ["programme"]
        verbose_name = _("scoring profile")
        verbose_name_plural = _("scoring profiles")

    def __str__(self) -> str:
        return str(self.programme)

    def clean(self) -> None:
        if self.max_employees < self.min_employees:
            raise ValidationError({"max_employees": _("Must not be below the lower bound.")})

    def as_core(self):
        from metacluster.core.scouting import Profile

        return Profile(
            sector_codes=tuple(self.sector_codes),
            sector_points=self.sector_points,
            min_employees=self.min_employees,
            max_employees=self.max_employees,
            size_points=self.size_points,
            min_age_years=self.min_age_years,
            max_age_years=self.max_age_years,
            age_points=self.age_points,
            min_growth_percent=self.min_growth_percent,
            growth_points=self.growth_points,
            export_keywords=tuple(self.export_keywords or Profile.export_keywords),
            export_points=self.export_points,
            keywords=tuple(self.keywords),
            keyword_points=self.keyword_points,
            website_points=self.website_points,
            engagement_points=self.engagement_points,
        )


class SavedSearch(models.Model):
    """A user's named scouting search (its filters as a query string)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="%(app_label)s_%(class)s_unique")
        ]

    def __str__(self) -> str:
        return self.name
