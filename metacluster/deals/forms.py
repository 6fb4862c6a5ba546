from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import partners_acted_for_any
from metacluster.accounts.models import Organisation
from metacluster.apiutils import MAX_ID
from metacluster.companies.forms import CountryPickerField
from metacluster.companies.models import Company
from metacluster.formutils import check_acting_partner
from metacluster.programmes.models import Programme
from metacluster.versioning import VersionedModelForm

from .choices import DealStage
from .models import Deal


class DealForm(VersionedModelForm):
    class Meta:
        model = Deal
        fields = [
            "programme",
            "company",
            "partner",
            "market",
            "counterpart",
            "title",
            "stage",
            "agreement_type",
            "value",
            "currency",
            "opened_on",
            "closed_on",
            "first_sale",
            "notes",
        ]
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.recordable_by(user)
        self.fields["programme"].queryset = programmes
        self.fields["company"].queryset = Company.objects.visible_to(user).order_by("name")
        self.user = user
        self.fields["partner"].queryset = partners_acted_for_any(user, programmes)
        if self.instance.pk:
            # An existing deal keeps its partner even if the editor may not choose it.
            self.fields["partner"].queryset |= Organisation.objects.filter(
                pk=self.instance.partner_id
            )
        else:
            self.fields["partner"].initial = user.organisation_id

    def clean(self):
        cleaned = super().clean()
        check_acting_partner(self, self.user)
        return cleaned


class DealFilterForm(forms.Form):
    """The deal list's parameters; `filters.DealFilterSet` applies them for the page and the
    API alike."""

    programme = forms.CharField(label=_("Programme"), max_length=50, required=False)
    company = forms.IntegerField(label=_("Company"), min_value=1, max_value=MAX_ID, required=False)
    partner = forms.IntegerField(label=_("Partner"), min_value=1, max_value=MAX_ID, required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage"))] + list(DealStage.choices), required=False
    )
    market = CountryPickerField(label=_("Market"), max_length=100, required=False)
