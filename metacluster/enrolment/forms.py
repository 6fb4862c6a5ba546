from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.countries import countries, country_choices
from metacluster.versioning import VersionedModelForm

from .models import Application, Eligibility

# A field no person sees (hidden by CSS and from screen readers) and bots fill in.
HONEYPOT = "fax_number"


class ApplicationForm(forms.ModelForm):
    """What an SME tells the programme when it applies on the public page."""

    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    consent = forms.BooleanField(
        label=_("The programme's partners may store these answers to review the application."),
    )

    class Meta:
        model = Application
        fields = [
            "company_name",
            "registry_code",
            "country",
            "region",
            "employees",
            "website",
            "offering",
            "ict_component",
            "export_will",
            "de_minimis_received",
            "contact_name",
            "contact_email",
        ]
        labels = {
            "ict_component": _(
                "Our offering has an ICT component, or needs an innovative ICT solution to "
                "complement it"
            ),
            "export_will": _("We want to export outside the EU and EFTA"),
        }
        help_texts = {
            "de_minimis_received": _(
                "De minimis aid your company (with linked companies) received in this and the "
                "two previous fiscal years; 0 if none."
            ),
        }
        widgets = {"offering": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(required=False, label=_("Leave this empty"))

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def answers(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key in self.Meta.fields}


def _codes(text: str) -> list[str]:
    return [code.strip().upper() for code in text.replace(";", ",").split(",") if code.strip()]


class EligibilityForm(VersionedModelForm):
    """A programme's rules for who may apply, edited by its managers."""

    countries_text = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("ISO codes, e.g. SE, EE, FI; empty for any country."),
    )
    regions_text = forms.CharField(
        label=_("Regions"), required=False, help_text=_("Comma-separated; empty for any region.")
    )

    class Meta:
        model = Eligibility
        fields = [
            "open_for_applications",
            "min_employees",
            "max_employees",
            "requires_ict_component",
            "requires_export_will",
            "min_de_minimis_headroom",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries_text"].initial = ", ".join(self.instance.countries or [])
        self.fields["regions_text"].initial = ", ".join(self.instance.regions or [])

    def clean_countries_text(self):
        codes = _codes(self.cleaned_data["countries_text"])
        unknown = [code for code in codes if code not in countries()]
        if unknown:
            raise forms.ValidationError(
                _("Not a country code: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return codes

    def clean_regions_text(self):
        text = self.cleaned_data["regions_text"]
        return [name.strip() for name in text.split(",") if name.strip()]

    def save(self, commit=True):
        self.instance.countries = self.cleaned_data["countries_text"]
        self.instance.regions = self.cleaned_data["regions_text"]
        return super().save(commit)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant receives it by e-mail."),
    )
