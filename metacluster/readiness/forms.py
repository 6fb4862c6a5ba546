from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from metacluster.companies.models import Company
from metacluster.programmes.models import Programme

from .models import ProgrammeInstrument

DONT_KNOW = "dk"


class StartForm(forms.Form):
    """Staff start an assessment for a company they work with."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.recordable_by(user)
        self.fields["company"].queryset = Company.objects.editable_by(user).filter(kind="sme")


class AnswersForm(forms.Form):
    """One radio group per item: 0–5 or "don't know". Answers are optional while saving for
    later; the view asks for all of them when the assessment is finished."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.instrument = assessment.instrument
        for item in self.instrument.items:
            labels = item.answer_labels(language)
            choices = [(str(n), f"{n} – {label}") for n, label in enumerate(labels)]
            choices.append((DONT_KNOW, _("Don't know")))
            self.fields[item.id] = forms.ChoiceField(
                label=item.question(language),
                help_text=item.help_text(language),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            stored = assessment.answers
            if item.id in stored:
                self.fields[item.id].initial = (
                    DONT_KNOW if stored[item.id] is None else str(stored[item.id])
                )
        self.fields["version"].initial = assessment.version

    def answers(self) -> dict:
        """The answers given: item id → 0–5, or None for "don't know"; blanks left out."""
        given = {}
        for item in self.instrument.items:
            value = self.cleaned_data.get(item.id)
            if value == DONT_KNOW:
                given[item.id] = None
            elif value not in (None, ""):
                given[item.id] = int(value)
        return given

    def by_dimension(self, language: str):
        """Each dimension with its bound fields, in instrument order, for the template."""
        return [
            {
                "id": dimension.id,
                "label": dimension.label(language),
                "description": dimension.description.get(language)
                or dimension.description.get("en", ""),
                "fields": [self[item.id] for item in self.instrument.items_of(dimension.id)],
            }
            for dimension in self.instrument.dimensions
        ]


class CompleteForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Assessed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For an assessment done earlier, e.g. on paper; today if empty."),
    )

    def clean_assessed_on(self):
        value = self.cleaned_data.get("assessed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return value


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = ProgrammeInstrument
        fields = ["version"]
        help_texts = {
            "version": _(
                "New assessments use this version; assessments already started keep theirs."
            )
        }
