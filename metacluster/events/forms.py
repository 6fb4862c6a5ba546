from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.companies.models import Company
from metacluster.formatting import weekday_moment
from metacluster.matchmaking.models import Capability
from metacluster.programmes.models import Programme
from metacluster.versioning import VersionedModelForm

from .choices import EventFormat, Outcome, ParticipantKind
from .models import Break, Event, MarketplaceEntry, Participant, Session


class EventForm(VersionedModelForm):
    video_base_url = forms.URLField(
        label=_("video meeting service"),
        assume_scheme="https",
        initial="https://meet.jit.si/",
        help_text=_("Each online meeting gets a room with an unguessable name under this address."),
    )

    class Meta:
        model = Event
        fields = [
            "programme",
            "title",
            "description",
            "format",
            "venue",
            "time_zone",
            "slot_minutes",
            "pause_minutes",
            "tables",
            "max_meetings",
            "request_mode",
            "scheduling_mode",
            "request_expiry_hours",
            "video_base_url",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.recordable_by(user)
        if self.instance.pk:
            del self.fields["programme"]


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["name", "date", "start_time", "end_time"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }


class BreakForm(forms.ModelForm):
    class Meta:
        model = Break
        fields = ["session", "name", "start_time", "end_time"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.all()

    def clean(self):
        cleaned = super().clean()
        session, start, end = (cleaned.get(k) for k in ("session", "start_time", "end_time"))
        if session and start and end and (start < session.start_time or end > session.end_time):
            raise forms.ValidationError(_("A break must lie inside its session."))
        return cleaned


class ParticipantForm(forms.ModelForm):
    """An organiser adds an SME of the programme or invites a buyer by e-mail."""

    class Meta:
        model = Participant
        fields = [
            "kind",
            "company",
            "organisation",
            "contact_name",
            "email",
            "country",
            "time_zone",
        ]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["company"].queryset = Company.objects.filter(
            engagements__programme=event.programme
        ).exclude(event_participations__event=event)
        self.fields["organisation"].required = False
        self.fields["country"].required = False
        self.fields["organisation"].help_text = _("For a buyer; an SME's is its company name.")

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company")
        if cleaned.get("kind") == ParticipantKind.SME and company:
            cleaned["organisation"] = company.name
            cleaned["country"] = company.country
            self.instance.organisation = company.name
            self.instance.country = company.country
        elif cleaned.get("kind") == ParticipantKind.BUYER:
            cleaned["company"] = None
            self.instance.company = None
            for field in ("organisation", "country"):
                if not cleaned.get(field):
                    self.add_error(field, _("This field is required."))
        return cleaned


class ProfileForm(VersionedModelForm):
    """A participant's own profile and availability per session."""

    available_in = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Available in"),
        help_text=_("Untick the sessions in which you cannot meet anyone."),
    )

    class Meta:
        model = Participant
        fields = ["contact_name", "time_zone", "profile", "capabilities"]
        widgets = {"capabilities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event
        sessions = event.sessions.all()
        self.fields["available_in"].queryset = sessions
        self.fields["available_in"].initial = sessions.exclude(
            pk__in=self.instance.unavailable_sessions.all()
        )
        self.fields["capabilities"].queryset = Capability.objects.filter(programme=event.programme)

    def save(self, commit=True):
        instance = super().save(commit)
        available = set(self.cleaned_data["available_in"])
        instance.unavailable_sessions.set(
            [s for s in instance.event.sessions.all() if s not in available]
        )
        return instance


class EntryForm(forms.ModelForm):
    class Meta:
        model = MarketplaceEntry
        fields = ["kind", "title", "description", "capabilities"]
        widgets = {"capabilities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capabilities"].queryset = Capability.objects.filter(programme=event.programme)


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Say why you would like to meet."),
    )


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All"))] + ParticipantKind.choices
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    capability = forms.ModelChoiceField(
        label=_("Capability"), required=False, queryset=Capability.objects.none()
    )

    def __init__(self, *args, event, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All"))] + countries
        self.fields["capability"].queryset = Capability.objects.filter(programme=event.programme)


class MoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=None)
    table = forms.IntegerField(
        label=_("Table"), required=False, min_value=1, help_text=_("Empty: the first free one.")
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = event.slots.all()
        if not event.tables:
            del self.fields["table"]


class ArrangeForm(forms.Form):
    """An organiser arranges a meeting for an SME: a request on its behalf, or a meeting placed
    in a slot (and at a table)."""

    sme = forms.ModelChoiceField(label=_("SME"), queryset=None)
    counterpart = forms.ModelChoiceField(label=_("To meet"), queryset=None)
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    slot = forms.ModelChoiceField(
        label=_("Slot"), queryset=None, required=False, help_text=_("Only to place the meeting.")
    )
    table = forms.IntegerField(
        label=_("Table"), required=False, min_value=1, help_text=_("Empty: the first free one.")
    )

    def __init__(self, *args, event, zone, **kwargs):
        super().__init__(*args, **kwargs)
        people = event.participants.all()
        self.fields["sme"].queryset = people.filter(kind=ParticipantKind.SME)
        self.fields["counterpart"].queryset = people
        self.fields["slot"].queryset = event.slots.all()
        self.fields["slot"].label_from_instance = lambda slot: weekday_moment(slot.start, zone)
        if not event.tables:
            del self.fields["table"]

    def clean(self):
        data = super().clean()
        sme, other = data.get("sme"), data.get("counterpart")
        if sme and other and sme.pk == other.pk:
            self.add_error("counterpart", _("Choose two different participants."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


FORMAT_HELP = {
    EventFormat.ONLINE: _("Meetings in virtual rooms with a video link each."),
    EventFormat.ONSITE: _("Meetings at numbered tables at the venue."),
    EventFormat.HYBRID: _("Both: tables at the venue and a video link for those abroad."),
}
