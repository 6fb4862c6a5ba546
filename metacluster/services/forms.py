from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.access import partners_acted_for
from metacluster.accounts.models import Organisation
from metacluster.companies.models import Company, Contact
from metacluster.stateaid.forms import AidConfirmationMixin
from metacluster.translations import TranslationsForm

from .models import Delivery, Service


def default_date(programme):
    """Today, or the programme's last day once it has ended: deliveries lie within the period."""
    return min(timezone.localdate(), programme.end_date)


class ProviderMixin:
    """Advisors record what their own organisation delivered; managers may record for any partner."""

    def limit_provider(self, programme, user):
        self.fields["provider"].queryset = partners_acted_for(user, programme)
        self.fields["provider"].initial = user.organisation_id


def service_label(service: Service) -> str:
    """A service as a choice: its name in the reader's language, and who offers it."""
    return f"{service.translated('name')} ({service.provider})"


class DeliveryForm(AidConfirmationMixin, ProviderMixin, forms.ModelForm):
    class Meta:
        model = Delivery
        fields = ["company", "service", "contact", "provider", "date", "quantity", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (
            Service.objects.filter(programme=programme).active().select_related("provider")
        )
        self.fields["service"].label_from_instance = service_label
        self.fields["company"].queryset = Company.objects.visible_to(user).order_by("name")
        self.fields["contact"].queryset = Contact.objects.visible_to(user).select_related("company")
        self.fields["date"].initial = default_date(programme)
        self.fields["quantity"].initial = 1
        self.limit_provider(programme, user)
        self.add_aid_fields()


class AttendanceForm(AidConfirmationMixin, ProviderMixin, forms.Form):
    service = forms.ModelChoiceField(
        label=_("Training or workshop"), queryset=Service.objects.none()
    )
    provider = forms.ModelChoiceField(label=_("Delivered by"), queryset=Organisation.objects.none())
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    quantity = forms.DecimalField(
        label=_("Quantity per company"), min_value=0.01, max_digits=8, decimal_places=2, initial=1
    )
    notes = forms.CharField(
        label=_("Session"), required=False, help_text=_("e.g. the workshop title")
    )
    companies = forms.ModelMultipleChoiceField(
        label=_("Attending companies"),
        queryset=Company.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (
            Service.objects.filter(programme=programme).active().select_related("provider")
        )
        self.fields["service"].label_from_instance = service_label
        self.fields["companies"].queryset = (
            Company.objects.visible_to(user)
            .filter(engagements__programme=programme)
            .order_by("name")
            .distinct()
        )
        self.fields["date"].initial = default_date(programme)
        self.limit_provider(programme, user)
        self.add_aid_fields()


class ServiceForm(TranslationsForm, ProviderMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = ["kind", "name", "provider", "description", "unit", "value_per_unit", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.limit_provider(programme, user)
