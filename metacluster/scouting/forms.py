from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from metacluster.companies.forms import CompanyFilterForm
from metacluster.core.scouting.columns import FIELDS
from metacluster.countries import country_choices
from metacluster.versioning import VersionedModelForm

from .files import ENCODINGS
from .models import ImportMode, ScoringProfile


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (comma, semicolon or tab separated) or XLSX.")
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=60,
        help_text=_(
            "Where the file comes from, e.g. 'Estonian business register'. The column mapping "
            "is remembered per source."
        ),
    )
    default_country = forms.ChoiceField(
        label=_("Country of rows without one"),
        choices=[("", _("None: every row names its country"))],
        required=False,
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"), choices=list(ENCODINGS.items()), initial="utf-8"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_country"].choices = [
            *self.fields["default_country"].choices,
            *country_choices(),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SCOUTING_UPLOAD_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _(
                    "The file is larger than %(limit)s MB: import it with "
                    "`metacluster import-companies`."
                )
                % {"limit": limit}
            )
        head = upload.read(4)
        upload.seek(0)
        name = upload.name.lower()
        if not (name.endswith((".csv", ".txt", ".tsv")) or head == b"PK\x03\x04"):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload


class MappingForm(forms.Form):
    """One choice of column per field, and what to do with rows that have errors."""

    mode = forms.ChoiceField(
        label=_("Rows with errors"), choices=ImportMode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, headers=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("— not in the file —")), *[(h, h) for h in headers if h]]
        for field, label in FIELDS.items():
            self.fields[f"column_{field}"] = forms.ChoiceField(
                label=_(label), choices=options, required=field == "name"
            )

    def columns(self) -> dict[str, str]:
        return {
            field: self.cleaned_data[f"column_{field}"]
            for field in FIELDS
            if self.cleaned_data.get(f"column_{field}")
        }

    def clean(self):
        cleaned = super().clean()
        chosen = [v for k, v in cleaned.items() if k.startswith("column_") and v]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Each column can fill only one field."))
        return cleaned


class ListField(forms.CharField):
    """Words or codes typed comma-separated, stored as a list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        value = super().to_python(value)
        return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]


class ScoringProfileForm(VersionedModelForm):
    sector_codes = ListField(
        label=_("Sectors (NACE)"), required=False, help_text=_("e.g. 62, 63.1, J")
    )
    export_keywords = ListField(label=_("Export signal words"), required=False)
    keywords = ListField(label=_("Keywords"), required=False)

    class Meta:
        model = ScoringProfile
        fields = [
            "sector_codes", "sector_points", "min_employees", "max_employees", "size_points",
            "min_age_years", "max_age_years", "age_points", "min_growth_percent",
            "growth_points", "export_keywords", "export_points", "keywords", "keyword_points",
            "website_points", "engagement_points",
        ]  # fmt: skip


class ScoutingFilterForm(CompanyFilterForm):
    """The company filters, plus the programme whose score ranks the list."""

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [("score", _("Best score")), *self.fields["sort"].choices]
        self.fields["programme"] = forms.ChoiceField(
            label=_("Programme"),
            required=False,
            choices=[(p.acronym, p.name) for p in programmes],
        )
        self.fields["fit"] = forms.BooleanField(
            label=_("Only the programme's sectors"), required=False
        )
        self.fields.pop("stage")


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
