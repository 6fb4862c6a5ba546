from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import partners_acted_for_any
from metacluster.accounts.models import Organisation
from metacluster.formutils import check_acting_partner
from metacluster.programmes.models import Programme
from metacluster.versioning import VersionedModelForm

from .choices import OpportunityStatus
from .models import Buyer, Capability, Offer, Opportunity


class CodesField(forms.CharField):
    """A list of codes typed as text, separated by commas, semicolons or spaces."""

    def __init__(self, *args, upper: bool = False, **kwargs):
        self.upper = upper
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        codes = [c for c in text.replace(";", ",").replace(" ", ",").split(",") if c]
        return [c.upper() for c in codes] if self.upper else codes


class OpportunityForm(VersionedModelForm):
    nace_codes = CodesField(label=_("NACE codes"), help_text=_("e.g. 62.01, 71.12"))
    cpv_codes = CodesField(label=_("CPV codes"), help_text=_("For tenders, e.g. 72212000-4"))
    eligible_countries = CodesField(
        label=_("Eligible countries"),
        upper=True,
        help_text=_("Country codes such as SE, FI; empty for any country."),
    )

    class Meta:
        model = Opportunity
        fields = [
            "programme",
            "partner",
            "kind",
            "title",
            "description",
            "buyer",
            "country",
            "city",
            "capabilities",
            "nace_codes",
            "cpv_codes",
            "budget",
            "currency",
            "deadline",
            "language",
            "visibility",
            "status",
            "eligible_countries",
            "max_employees",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "capabilities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        programmes = Programme.objects.recordable_by(user)
        self.fields["programme"].queryset = programmes
        self.fields["partner"].queryset = partners_acted_for_any(user, programmes)
        if self.instance.pk:
            self.fields["partner"].queryset |= Organisation.objects.filter(
                pk=self.instance.partner_id
            )
        self.fields["capabilities"].queryset = Capability.objects.filter(
            programme__in=programmes
        ).select_related("programme")
        self.fields["capabilities"].label_from_instance = lambda c: (
            f"{c.translated('name')} ({c.programme.acronym})"
        )
        if not self.instance.pk:
            self.fields["partner"].initial = user.organisation_id
            self.fields["status"].initial = OpportunityStatus.PUBLISHED
            if programmes.count() == 1:
                self.fields["programme"].initial = programmes.first().pk

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        capabilities = cleaned.get("capabilities") or []
        wrong = [c.name for c in capabilities if programme and c.programme_id != programme.pk]
        if wrong:
            self.add_error(
                "capabilities",
                _("Not in this programme's taxonomy: %(names)s.") % {"names": ", ".join(wrong)},
            )
        check_acting_partner(self, self.user)
        return cleaned


class OfferForm(VersionedModelForm):
    tags = CodesField(label=_("Tags"), help_text=_("Free keywords, separated by commas."))

    class Meta:
        model = Offer
        fields = ["programme", "title", "description", "capabilities", "tags"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "capabilities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        programmes = Programme.objects.filter(engagements__company=company).distinct()
        self.fields["programme"].queryset = programmes
        self.fields["capabilities"].queryset = Capability.objects.filter(
            programme__in=programmes
        ).select_related("programme")
        self.fields["capabilities"].label_from_instance = lambda c: (
            f"{c.translated('name')} ({c.programme.acronym})"
        )
        if not self.instance.pk and programmes.count() == 1:
            self.fields["programme"].initial = programmes.first().pk

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > 30 or any(len(t) > 50 for t in tags):
            raise forms.ValidationError(_("At most 30 tags of at most 50 characters each."))
        return tags

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        wrong = [
            c.name
            for c in cleaned.get("capabilities") or []
            if programme and c.programme_id != programme.pk
        ]
        if wrong:
            self.add_error(
                "capabilities",
                _("Not in this programme's taxonomy: %(names)s.") % {"names": ", ".join(wrong)},
            )
        return cleaned

    def save(self, commit=True):
        self.instance.company = self.company
        return super().save(commit)


class ImportForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    file = forms.FileField(
        label=_("File"), help_text=_("CSV with a header row, or a JSON list of objects.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.recordable_by(user)


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the partner"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you can offer the buyer."),
    )


class OpportunityFilterForm(forms.Form):
    programme = forms.SlugField(required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("open", _("Open")), ("all", _("All, including closed and expired"))],
    )


class BuyerInviteForm(forms.ModelForm):
    """An advisor invites a foreign buyer to publish opportunities in a programme."""

    class Meta:
        model = Buyer
        fields = [
            "programme",
            "name",
            "email",
            "organisation",
            "country",
            "moderated",
            "visibility",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        programmes = Programme.objects.recordable_by(user)
        self.fields["programme"].queryset = programmes
        if programmes.count() == 1:
            self.fields["programme"].initial = programmes.first().pk

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        if programme and not programme.has_partner(self.user.organisation_id):
            self.add_error("programme", _("Your organisation is not a partner of this programme."))
        return cleaned


class BuyerOpportunityForm(VersionedModelForm):
    """What an invited buyer says about their demand; the programme, publishing partner,
    visibility and status follow from the invitation."""

    nace_codes = CodesField(label=_("NACE codes"), help_text=_("e.g. 62.01, 71.12"))
    cpv_codes = CodesField(label=_("CPV codes"), help_text=_("For tenders, e.g. 72212000-4"))

    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "title",
            "description",
            "country",
            "city",
            "capabilities",
            "nace_codes",
            "cpv_codes",
            "budget",
            "currency",
            "deadline",
            "language",
        ]
        widgets = OpportunityForm.Meta.widgets

    def __init__(self, *args, buyer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capabilities"].queryset = Capability.objects.filter(
            programme=buyer.programme_id
        )
        self.fields["capabilities"].required = False
        if not self.instance.pk:
            self.fields["country"].initial = buyer.country
