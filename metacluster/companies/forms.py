from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from metacluster.countries import country_by_name, country_choices
from metacluster.nace import picked_nace, unknown_nace_message
from metacluster.programmes.models import Programme
from metacluster.versioning import VersionedModelForm

from .choices import CompanyKind, RegisterStatus, Stage
from .models import Company, Contact, Note


class NaceCodesField(forms.CharField):
    """NACE codes typed as a comma-separated list, stored as a list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        value = super().to_python(value)
        return [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]


class CompanyForm(VersionedModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    nace_codes = NaceCodesField(
        label=_("NACE codes"), required=False, help_text=_("Comma-separated, e.g. 62.01, 63.11")
    )
    programme = forms.ModelChoiceField(
        label=_("Engage in programme"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_(
            "Adds the company to a programme's pipeline at 'identified', with your organisation responsible."
        ),
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "kind",
            "country",
            "town",
            "registry_code",
            "vat_number",
            "nace_codes",
            "employees",
            "turnover",
            "founded_year",
            "website",
            "description",
            "legal_form",
            "register_status",
            "address",
            "postcode",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or user is None or user.is_sme:
            del self.fields["programme"]
        else:
            self.fields["programme"].queryset = Programme.objects.recordable_by(user)

    def clean(self):
        cleaned = super().clean()
        registry_code, country = cleaned.get("registry_code"), cleaned.get("country")
        if registry_code and country:
            clash = Company.objects.filter(country=country, registry_code=registry_code).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "registry_code", _("A company with this registry code is already recorded.")
                )
        return cleaned


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "phone", "lawful_basis", "consent_given_at"]
        widgets = {"consent_given_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text", "private"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CountryPickerInput(forms.TextInput):
    """A text box that offers the countries' names in the active language as it is typed (a
    datalist beside it); any name or code may still be typed."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        options = f"{(attrs or {}).get('id') or name}-countries"
        box = super().render(name, value, {**(attrs or {}), "list": options}, renderer)
        names = format_html_join("", '<option value="{}">', ((n,) for _c, n in country_choices()))
        return box + format_html('<datalist id="{}">{}</datalist>', options, names)


class CountryPickerField(forms.CharField):
    """A country typed as a name in the user's language (or another the site offers) or a
    code, picked from the names offered; a text that names no country is an error."""

    widget = CountryPickerInput

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        code = country_by_name(value)
        if code is None:
            raise ValidationError(
                _("No country is called “%(text)s”: give its name or its two-letter code."),
                params={"text": value},
            )
        return code


class NacePickerField(forms.CharField):
    """A NACE code typed as registers write it ("62", "62.0", "6201") or a division picked
    from the page's list by its title; cleaned to NACE notation ("62.01"). With `sections`,
    a section letter ("J") too."""

    def __init__(self, *args, sections: bool = False, **kwargs):
        self.sections = sections
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        code = picked_nace(value, sections=self.sections)
        if code is None:
            raise ValidationError(unknown_nace_message(value, sections=self.sections))
        return code


class CompanyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = CountryPickerField(
        label=_("Country"),
        required=False,
        max_length=100,
    )
    nace = NacePickerField(
        label=_("NACE"),
        required=False,
        max_length=200,
        help_text=_("Main activity code starting with, e.g. 62"),
        widget=forms.TextInput(attrs={"list": "nace-divisions", "autocomplete": "off"}),
    )
    size = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[
            ("", _("Any size")),
            ("micro", _("Micro (<10)")),
            ("small", _("Small (10-49)")),
            ("medium", _("Medium (50-249)")),
            ("sme", _("SME (<250)")),
            ("large", _("Large (250+)")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Register status"),
        required=False,
        choices=[("", _("Any status")), *RegisterStatus.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("name", _("Name A-Z")),
            ("-name", _("Name Z-A")),
            ("-employees", _("Most employees")),
            ("employees", _("Fewest employees")),
            ("-founded", _("Youngest")),
            ("founded", _("Oldest")),
            ("-created", _("Recently added")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *CompanyKind.choices]
    )
    # Its acronym or id; `filters.CompanyFilterSet` checks that the user sees it.
    programme = forms.RegexField(
        label=_("Programme"), regex=r"^[-a-zA-Z0-9_]{1,50}$", required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage"))] + list(Stage.choices), required=False
    )
