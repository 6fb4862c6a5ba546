import json

from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.versioning import VersionedModelForm

from .kpis import DefinitionError, parse_definition
from .models import Indicator, Partnership, Programme, TargetMarket

DEFINITION_HELP = _(
    "JSON with a <code>kind</code>. Examples: "
    '<code>{"kind": "stage_reached", "stage": "supported"}</code>, '
    '<code>{"kind": "service_units", "service_kinds": ["coaching"], "min_units": 8}</code>, '
    '<code>{"kind": "deals", "stages": ["won"], "agreement_types": ["sale"], "first_sale": true, '
    '"outside_eu_efta": true}</code>, '
    '<code>{"kind": "consortia", "count": "members", "min_countries": 2}</code>.'
)


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


class IndicatorForm(VersionedModelForm):
    definition = forms.JSONField(
        label=_("Definition"),
        help_text=DEFINITION_HELP,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        error_messages={"invalid": _("This is not valid JSON.")},
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "target", "eu_code", "position", "definition"]

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme or self.instance.programme
        if self.instance.pk:
            self.initial["definition"] = json.dumps(self.instance.definition)

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

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            parse_definition(definition)
        except DefinitionError as error:
            raise forms.ValidationError(str(error)) from error
        return definition

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
