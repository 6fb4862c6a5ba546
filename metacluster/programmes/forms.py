from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.companies.choices import Stage
from metacluster.deals.choices import AgreementType, DealStage
from metacluster.services.choices import ServiceKind
from metacluster.translations import TranslationsForm
from metacluster.versioning import VersionedModelForm

from .definitions import DefinitionError, parse_definition
from .models import Indicator, Partnership, Programme, TargetMarket


class ProgrammeForm(VersionedModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "acronym",
            "funding_programme",
            "priority",
            "start_date",
            "end_date",
            "currency",
            "total_budget",
            "funder_contribution",
            "private_contribution",
            "description",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


KIND_CHOICES = [
    ("stage_reached", _("Companies at or past a pipeline stage")),
    ("service_units", _("Companies that received services")),
    ("deals", _("Deals")),
    ("consortia", _("Consortia")),
]

# Which form fields belong to which kind of definition, and the definition key each fills.
KIND_FIELDS = {
    "stage_reached": {"stage": "stage"},
    "service_units": {"service_kinds": "service_kinds", "min_units": "min_units"},
    "deals": {
        "deal_stages": "stages",
        "agreement_types": "agreement_types",
        "first_sale": "first_sale",
        "outside_eu_efta": "outside_eu_efta",
        "markets": "markets",
        "deal_count": "count",
    },
    "consortia": {"consortium_count": "count", "min_countries": "min_countries"},
}


class IndicatorForm(TranslationsForm, VersionedModelForm):
    """An indicator and its definition, built from plain choices rather than typed-in JSON."""

    kind = forms.ChoiceField(label=_("Computed from"), choices=KIND_CHOICES)
    stage = forms.ChoiceField(label=_("Stage reached"), choices=Stage.choices, required=False)
    service_kinds = forms.MultipleChoiceField(
        label=_("Services of these kinds"),
        choices=ServiceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any service."),
    )
    min_units = forms.DecimalField(
        label=_("At least this many units"), min_value=0.01, initial=1, required=False
    )
    deal_stages = forms.MultipleChoiceField(
        label=_("Deal stages"),
        choices=DealStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agreement_types = forms.MultipleChoiceField(
        label=_("Agreement types"),
        choices=AgreementType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_sale = forms.BooleanField(label=_("Only first sales in a market"), required=False)
    outside_eu_efta = forms.BooleanField(
        label=_("Only markets outside the EU/EFTA"), required=False
    )
    markets = forms.CharField(
        label=_("Only these markets"),
        required=False,
        help_text=_("ISO country codes, e.g. CN, VN, CL"),
    )
    deal_count = forms.ChoiceField(
        label=_("Count"),
        choices=[("deals", _("deals")), ("companies", _("distinct companies"))],
        required=False,
    )
    consortium_count = forms.ChoiceField(
        label=_("Count"),
        choices=[("consortia", _("consortia")), ("members", _("member companies"))],
        required=False,
    )
    min_countries = forms.IntegerField(
        label=_("Spanning at least this many countries"), min_value=1, initial=1, required=False
    )

    counting_window = forms.ChoiceField(
        label=_("Counting window"),
        choices=[
            ("any", _("Every record, whenever it happened")),
            ("period", _("Records within the programme period")),
        ],
        initial="any",
        required=False,
    )
    follow_up_months = forms.IntegerField(
        label=_("… and this many months after the period"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("e.g. 24 for sales made during or up to two years after the programme."),
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "target", "eu_code", "position"]

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme or self.instance.programme
        definition = self.instance.definition if self.instance.pk else None
        if isinstance(definition, dict) and definition.get("kind") in KIND_FIELDS:
            self.initial["kind"] = definition["kind"]
            for field, key in KIND_FIELDS[definition["kind"]].items():
                if key in definition:
                    value = definition[key]
                    self.initial[field] = ", ".join(value) if field == "markets" else value
            self.initial["counting_window"] = definition.get("window", "any")
            self.initial["follow_up_months"] = definition.get("follow_up_months")

    def indicator_fields(self):
        return [self[field] for field in self._meta.fields]

    def field_groups(self):
        """The definition fields grouped by kind, for the template to show the chosen group."""
        return [(kind, [self[field] for field in fields]) for kind, fields in KIND_FIELDS.items()]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        clash = Indicator.objects.filter(programme=self.programme, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(
                _("This programme already has an indicator with this code.")
            )
        return code

    def clean_markets(self):
        return [
            code.strip().upper()
            for code in self.cleaned_data["markets"].replace(";", ",").split(",")
            if code.strip()
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind not in KIND_FIELDS:
            return cleaned
        definition = {"kind": kind}
        for field, key in KIND_FIELDS[kind].items():
            value = cleaned.get(field)
            if value in (None, "", [], False):
                continue
            if field == "min_units":
                value = int(value) if value == int(value) else float(value)
            definition[key] = value
        if cleaned.get("counting_window") == "period":
            definition["window"] = "period"
            if cleaned.get("follow_up_months"):
                definition["follow_up_months"] = cleaned["follow_up_months"]
        try:
            parse_definition(definition)
        except DefinitionError as error:
            raise forms.ValidationError(str(error)) from error
        self.instance.definition = definition
        return cleaned

    def _update_errors(self, errors):
        # The model checks its definition too; this form has no "definition" field, and when
        # the definition is wrong clean() has already said why, so the model's word is dropped.
        if hasattr(errors, "error_dict") and "definition" in errors.error_dict:
            errors.error_dict.pop("definition")
            if not self.non_field_errors():
                self.add_error(None, _("Choose how the achieved value is computed."))
        super()._update_errors(errors)

    def save(self, commit=True):
        self.instance.programme = self.programme
        return super().save(commit)


PartnershipFormSet = forms.inlineformset_factory(
    Programme,
    Partnership,
    fields=["organisation", "role", "budget", "co_financing_rate"],
    extra=1,
    can_delete=True,
)

TargetMarketFormSet = forms.inlineformset_factory(
    Programme, TargetMarket, fields=["country"], extra=2, can_delete=True
)


class CloneForm(forms.Form):
    """A new programme from an existing programme's set-up, a shipped template or a file."""

    source = forms.ChoiceField(label=_("Start from"), required=False)
    setup_file = forms.FileField(
        label=_("or a set-up file"),
        required=False,
        help_text=_("A JSON set-up file another programme exported."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.SlugField(
        label=_("Acronym"), max_length=40, required=False, help_text=_("Short name used in URLs.")
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    targets = forms.ChoiceField(
        label=_("Targets"),
        choices=[
            ("keep", _("Keep the source's targets")),
            ("clear", _("Clear them")),
            ("scale", _("Scale them")),
        ],
        initial="keep",
    )
    scale_percent = forms.DecimalField(
        label=_("Scale targets to (%)"), required=False, min_value=0, max_digits=6, initial=100
    )
    services = forms.BooleanField(
        label=_("Copy the partners' service catalogues"), required=False, initial=True
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—"), *sources]

    def clean(self):
        data = super().clean()
        if not data.get("source") and not data.get("setup_file"):
            raise forms.ValidationError(_("Choose a programme or template, or upload a file."))
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The programme cannot end before it starts."))
        if data.get("targets") == "scale" and data.get("scale_percent") is None:
            self.add_error("scale_percent", _("Give a percentage to scale the targets by."))
        return data
