from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.versioning import VersionedModelForm

from .models import ReportingPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(VersionedModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["start", "end", "due_on"]
        widgets = {"start": DATE, "end": DATE, "due_on": DATE}


class GenerateForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months per period"),
        min_value=1,
        max_value=24,
        initial=6,
        help_text=_(
            "Periods are counted from the programme's start; reported periods are kept and "
            "unreported ones replaced."
        ),
    )


class SubmitForm(forms.Form):
    """Submitting a period report; a reason is asked for each indicator with an adjustment."""

    note = forms.CharField(
        label=_("Note to the funder"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label=_("I understand the figures are frozen once submitted."), required=True
    )

    def __init__(self, *args, adjusted=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.adjusted = list(adjusted)
        for row in self.adjusted:
            self.fields[f"reason_{row.code}"] = forms.CharField(
                label=_("Why did %(code)s change for earlier periods (%(change)+d)?")
                % {"code": row.code, "change": row.adjustment},
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def reasons(self) -> dict[str, str]:
        return {row.code: self.cleaned_data[f"reason_{row.code}"] for row in self.adjusted}
