from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.models import Organisation
from metacluster.companies.models import Company
from metacluster.matchmaking.models import Capability
from metacluster.versioning import VersionedModelForm

from .models import CompetitorPair, Consortium, ConsortiumNeed, MemberCapacity


def _company_field(programme, label):
    """The companies taking part in the programme: engaged in it or with an offer in it."""
    taking_part = Q(engagements__programme=programme) | Q(offers__programme=programme)
    return forms.ModelChoiceField(
        label=label, queryset=Company.objects.filter(taking_part).distinct().order_by("name")
    )


class NeedForm(VersionedModelForm):
    class Meta:
        model = ConsortiumNeed
        fields = [
            "title",
            "market",
            "description",
            "capabilities",
            "min_countries",
            "min_size",
            "max_size",
            "allow_competitors",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "capabilities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["capabilities"].queryset = Capability.objects.filter(programme=programme)


class MemberForm(forms.Form):
    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"] = _company_field(programme, _("Company"))
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)


class BatchForm(forms.Form):
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs"),
        queryset=ConsortiumNeed.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    alternatives = forms.IntegerField(
        label=_("Alternatives per need"), min_value=1, max_value=5, initial=2
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = ConsortiumNeed.objects.filter(programme=programme)


class CapacityForm(forms.ModelForm):
    class Meta:
        model = MemberCapacity
        fields = ["company", "max_consortia"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["company"] = _company_field(programme, _("Company"))
        self.fields["max_consortia"].max_value = 20
        self.fields["max_consortia"].widget.attrs["max"] = 20

    def save(self, commit=True):
        # One capacity per company: saving again for a company changes it.
        capacity, _created = MemberCapacity.objects.update_or_create(
            programme=self.instance.programme,
            company=self.cleaned_data["company"],
            defaults={"max_consortia": self.cleaned_data["max_consortia"]},
        )
        return capacity

    def validate_unique(self):
        pass  # update_or_create above


class CompetitorForm(forms.Form):
    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["first"] = _company_field(programme, _("Company"))
        self.fields["second"] = _company_field(programme, _("Competitor"))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first"), cleaned.get("second")
        if first and second:
            if first == second:
                raise forms.ValidationError(_("A company does not compete with itself."))
            low, high = sorted([first, second], key=lambda c: c.pk)
            if CompetitorPair.objects.filter(
                programme=self.programme, first=low, second=high
            ).exists():
                raise forms.ValidationError(_("These two are already recorded as competitors."))
            cleaned["first"], cleaned["second"] = low, high
        return cleaned

    def save(self) -> CompetitorPair:
        return CompetitorPair.objects.create(
            programme=self.programme,
            first=self.cleaned_data["first"],
            second=self.cleaned_data["second"],
        )


class FormConsortiumForm(forms.Form):
    name = forms.CharField(label=_("Consortium name"), max_length=200)
    coordinator = forms.ModelChoiceField(
        label=_("Coordinating partner"), queryset=Organisation.objects.none()
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Organisation.objects.filter(
            partnerships__programme=programme
        ).distinct()


class StatementForm(VersionedModelForm):
    class Meta:
        model = Consortium
        fields = ["name", "market", "statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 8})}

    def clean_name(self):
        # The programme is not a field of this form, so Django would not check the
        # (programme, name) constraint before saving.
        name = self.cleaned_data["name"]
        others = Consortium.objects.filter(programme=self.instance.programme_id, name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The programme already has a consortium so named."))
        return name
