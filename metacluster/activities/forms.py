from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.companies.models import Company

from .models import Activity, Registration


class ActivityForm(forms.ModelForm):
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "description",
            "service",
            "units_per_participant",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "capacity",
            "registration",
            "materials",
            "destination",
            "visits",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 2}),
            "visits": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["service"].queryset = programme.services.active().select_related("provider")


class RegisterForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        from .workflows import registrable_companies

        self.fields["company"].queryset = registrable_companies(programme)


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["satisfaction", "intended_outcome", "feedback"]
        widgets = {"satisfaction": forms.NumberInput(attrs={"min": 1, "max": 5})}
