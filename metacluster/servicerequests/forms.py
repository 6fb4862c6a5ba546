from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.companies.models import Company, Contact
from metacluster.programmes.models import Programme
from metacluster.services.models import Service

from .choices import RequestStatus
from .models import DEFAULT_SHARED_FIELDS, SHAREABLE_FIELDS


class RequestForm(forms.Form):
    """Ask for a catalogue service for one company, choosing what of its profile to share.

    The service list names each offer with its partner, so where several partners offer the
    same kind the requester picks the partner by picking the offer."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    message = forms.CharField(
        label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    due_date = forms.DateField(
        label=_("Wanted by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Share from the company profile"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The partner asked sees the company's name and country and only what you tick here; "
            "never your notes."
        ),
    )
    shared_contacts = forms.ModelMultipleChoiceField(
        label=_("Share contacts"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, company, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = (
            Programme.objects.filter(engagements__company=company)
            if user.is_sme
            else Programme.objects.recordable_by(user)
        )
        self.fields["service"].queryset = (
            Service.objects.visible_to(user)
            .filter(programme__in=programmes)
            .active()
            .select_related("provider", "programme")
            .order_by("programme__name", "kind", "provider__name")
        )
        self.fields["service"].label_from_instance = lambda s: (
            f"{s.programme.acronym} · {s.get_kind_display()} · {s.name} — {s.provider}"
        )
        field = Company._meta.get_field
        self.fields["shared_fields"].choices = [
            (name, field(name).verbose_name.capitalize()) for name in SHAREABLE_FIELDS
        ]
        self.fields["shared_fields"].initial = DEFAULT_SHARED_FIELDS
        self.fields["shared_contacts"].queryset = company.contacts.filter(
            consent_withdrawn_at__isnull=True
        )


class SharingForm(forms.Form):
    """What of the company the partner asked may see; changed later by the side that asked."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    shared_fields = forms.MultipleChoiceField(
        label=_("Share from the company profile"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared_contacts = forms.ModelMultipleChoiceField(
        label=_("Share contacts"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, request, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": request.version,
                "shared_fields": request.shared_fields,
                "shared_contacts": list(request.shared_contacts.all()),
            },
        )
        super().__init__(*args, **kwargs)
        field = Company._meta.get_field
        self.fields["shared_fields"].choices = [
            (name, field(name).verbose_name.capitalize()) for name in SHAREABLE_FIELDS
        ]
        self.fields["shared_contacts"].queryset = request.company.contacts.filter(
            consent_withdrawn_at__isnull=True
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + list(RequestStatus.choices),
    )
    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.none()
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
