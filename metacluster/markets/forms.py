from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import partners_acted_for_any
from metacluster.accounts.models import Organisation
from metacluster.companies.forms import CountryPickerField
from metacluster.companies.models import Company
from metacluster.core.markets import INDICATORS, MISSING_POLICIES
from metacluster.core.markets.scoring import MAX_WEIGHT
from metacluster.countries import country_choices, region_name
from metacluster.formutils import check_acting_partner
from metacluster.programmes.models import Programme
from metacluster.versioning import VersionedModelForm

from . import adapters
from .choices import Decision, EuEftaFilter, MissingPolicy, Offering
from .labels import LABELS
from .models import FeasibilityStudy

MAX_COMPARED = 5


def weight_field(code: str) -> str:
    return f"w_{code}"


class RankingForm(forms.Form):
    """The parameters of a ranking, read from the query string; weights left empty take the
    offering's defaults."""

    home = forms.ChoiceField(label=_("Home country"), choices=country_choices)
    offering = forms.ChoiceField(label=_("Offering"), choices=Offering.choices)
    eu_efta = forms.ChoiceField(
        label=_("EU/EFTA"),
        choices=[("", _("All markets"))] + list(EuEftaFilter.choices),
        required=False,
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    missing = forms.ChoiceField(
        label=_("Missing figures"), choices=MissingPolicy.choices, required=False
    )
    product = forms.RegexField(
        label=_("Product for tariffs (HS2 or HS6)"),
        regex=r"^([0-9]{2}|[0-9]{6})$",
        required=False,
        error_messages={"invalid": _("Give an HS2 chapter (85) or an HS6 product (851712).")},
        widget=forms.TextInput(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (r, region_name(r)) for r in adapters.regions()
        ]
        for code in INDICATORS:
            self.fields[weight_field(code)] = forms.FloatField(
                label=LABELS[code],
                min_value=0,
                max_value=MAX_WEIGHT,
                required=False,
                widget=forms.NumberInput(attrs={"step": "any", "class": "weight"}),
            )

    def weight_fields(self):
        return [self[weight_field(code)] for code in INDICATORS]

    def parameters(self) -> dict:
        """Keyword arguments for `core.markets.rank` (valid form only)."""
        data = self.cleaned_data
        weights = {
            code: data[weight_field(code)]
            for code in INDICATORS
            if data.get(weight_field(code)) is not None
        }
        missing = data.get("missing") or "zero"
        assert missing in MISSING_POLICIES
        return {
            "home": data["home"],
            "offering": data["offering"],
            "weights": weights,
            "eu_efta": data.get("eu_efta") or None,
            "regions": [data["region"]] if data.get("region") else None,
            "missing": missing,
        }


class FeasibilityStudyForm(VersionedModelForm):
    class Meta:
        model = FeasibilityStudy
        fields = [
            "programme",
            "company",
            "market",
            "offering",
            "partner",
            "advisor",
            "notes",
            "certification_needed",
            "localisation_needed",
            "legal_entity_needed",
            "partner_needed",
            "requirements",
            "decision",
            "decided_on",
        ]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.recordable_by(user)
        self.fields["programme"].queryset = programmes
        self.fields["company"].queryset = Company.objects.visible_to(user).order_by("name")
        self.user = user
        self.fields["partner"].queryset = partners_acted_for_any(user, programmes)
        if self.instance.pk:
            self.fields["partner"].queryset |= Organisation.objects.filter(
                pk=self.instance.partner_id
            )
        from metacluster.accounts.models import User

        self.fields["advisor"].queryset = User.objects.filter(
            organisation__partnerships__programme__in=programmes, is_active=True
        ).distinct()
        if not self.instance.pk:
            self.fields["partner"].initial = user.organisation_id
            self.fields["advisor"].initial = user.pk
        else:
            # What the study is about does not change; a different market is a new study.
            for name in ("programme", "company", "market"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        check_acting_partner(self, self.user)
        return cleaned


class StudyFilterForm(forms.Form):
    programme = forms.SlugField(required=False)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Any decision"))] + list(Decision.choices),
        required=False,
    )
    market = CountryPickerField(label=_("Market"), max_length=100, required=False)


MAX_UPLOAD = 20 * 1024 * 1024  # larger trade files: `metacluster load-trade`
POTENTIAL_SORTS = ("potential", "untapped", "actual", "demand", "ease", "realised", "name")


class PotentialForm(forms.Form):
    """Which dataset, exporter and HS6 product an export potential is asked of."""

    dataset = forms.ModelChoiceField(label=_("Trade dataset"), queryset=None, empty_label=None)
    exporter = forms.CharField(
        label=_("Exporter"),
        max_length=3,
        help_text=_("ISO3 code, e.g. SWE"),
        widget=forms.TextInput(attrs={"size": 5}),
    )
    product = forms.RegexField(
        label=_("Product (HS6)"),
        regex=r"^[0-9]{5,6}$",
        error_messages={"invalid": _("Give a six-digit HS6 code, e.g. 851712.")},
        widget=forms.TextInput(attrs={"size": 8}),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    sort = forms.ChoiceField(
        choices=[(s, s) for s in POTENTIAL_SORTS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import TradeDataset

        self.fields["dataset"].queryset = TradeDataset.objects.visible_to(user)

    def clean_exporter(self):
        code = self.cleaned_data["exporter"].strip().upper()
        if adapters.iso3(code) is None and not code.isdigit():
            raise forms.ValidationError(_("Unknown country; give an ISO3 code such as SWE."))
        return adapters.iso3(code) or code


class TradeUploadForm(forms.Form):
    """A small BACI-layout file loaded from the page (large ones: the command)."""

    file = forms.FileField(
        label=_("Trade file (CSV, BACI layout t,i,j,k,v,q, at most 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the data come from and under which terms."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _(
                    "The file is larger than 20 MB; an administrator loads it with the load-trade command."
                )
            )
        return upload
