from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.companies.models import Company
from metacluster.programmes.models import Programme
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service
from metacluster.versioning import VersionedModelForm

from .models import Testbed

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TestbedForm(VersionedModelForm):
    class Meta:
        model = Testbed
        fields = [
            "service",
            "name",
            "kind",
            "description",
            "town",
            "country",
            "time_zone",
            "capacity",
            "weekdays",
            "opens_at",
            "closes_at",
            "slot_minutes",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opens_at": TIME_WIDGET,
            "closes_at": TIME_WIDGET,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(
            kind=ServiceKind.TESTBED, programme__in=Programme.objects.recordable_by(user)
        ).select_related("programme", "provider")
        if not user.is_superuser:
            # Partners list their own facilities; programme managers any partner's.
            services = services.filter(provider_id=user.organisation_id) | services.filter(
                programme__in=Programme.objects.managed_by(user)
            )
        self.fields["service"].queryset = services.distinct()
        self.fields["service"].label_from_instance = lambda s: (
            f"{s.programme} · {s.name} ({s.provider})"
        )


class BookingForm(forms.Form):
    starts_at = forms.DateTimeField(widget=forms.HiddenInput)
    company = forms.ModelChoiceField(label=_("For"), queryset=Company.objects.none())
    purpose = forms.CharField(
        label=_("What will be tested"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, testbed, **kwargs):
        super().__init__(*args, **kwargs)
        companies = Company.objects.visible_to(user)
        if not user.is_sme:
            companies = companies.filter(engagements__programme=testbed.programme).distinct()
        self.fields["company"].queryset = companies.order_by("name")
        if user.is_sme:
            self.fields["company"].initial = user.company_id
