from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.accounts.models import Organisation
from metacluster.companies.forms import NacePickerField
from metacluster.countries import country_choices
from metacluster.deals.models import Deal
from metacluster.events.models import Event
from metacluster.markets.choices import Offering
from metacluster.programmes.models import Programme
from metacluster.services.models import Service
from metacluster.versioning import VersionedModelForm

from .choices import BarrierKind, BarrierStatus
from .models import Barrier, ExperienceReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BarrierForm(VersionedModelForm):
    source_url = forms.URLField(
        label=_("source link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Barrier
        fields = [
            "programme",
            "market",
            "kind",
            "offering",
            "nace",
            "title",
            "description",
            "how_to_overcome",
            "helping_partner",
            "helping_service",
            "source_kind",
            "source_title",
            "source_url",
            "last_confirmed_on",
            "language",
            "status",
        ]
        widgets = {
            "last_confirmed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "how_to_overcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.recordable_by(user)
        self.fields["programme"].queryset = programmes
        self.fields["helping_partner"].queryset = Organisation.objects.filter(
            partnerships__programme__in=programmes
        ).distinct()
        self.fields["helping_service"].queryset = Service.objects.filter(
            programme__in=programmes, active=True
        ).select_related("provider")
        if self.instance.pk:
            self.fields["programme"].disabled = True


class ExperienceReportForm(forms.ModelForm):
    class Meta:
        model = ExperienceReport
        fields = [
            "programme",
            "market",
            "company",
            "title",
            "text",
            "suggested_kind",
            "occurred_on",
            "deal",
            "event",
            "language",
        ]
        widgets = {"occurred_on": DATE, "text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from metacluster.companies.models import Company

        programmes = Programme.objects.visible_to(user)
        self.fields["programme"].queryset = programmes
        self.fields["deal"].queryset = Deal.objects.visible_to(user).filter(
            programme__in=programmes
        )
        self.fields["event"].queryset = Event.objects.visible_to(user)
        if user.is_sme:
            # An SME user reports for its own company, which the workflow sets.
            del self.fields["company"]
        else:
            self.fields["company"].queryset = Company.objects.visible_to(user).order_by("name")
        if not self.initial.get("language") and getattr(user, "language", ""):
            self.initial["language"] = user.language


class PublishForm(forms.Form):
    """How an advisor publishes a report: on its own, as the source of an existing barrier,
    or as a new barrier of the kind given."""

    NONE, ATTACH, CREATE = "none", "attach", "create"
    action = forms.ChoiceField(
        label=_("Publish"),
        choices=[
            (NONE, _("as an experience report only")),
            (ATTACH, _("as the source of an existing barrier (confirms it today)")),
            (CREATE, _("and turn it into a new barrier")),
        ],
        initial=NONE,
        widget=forms.RadioSelect,
    )
    barrier = forms.ModelChoiceField(
        label=_("Barrier"), queryset=Barrier.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=BarrierKind.choices, required=False)
    title = forms.CharField(label=_("Barrier title"), max_length=200, required=False)
    how_to_overcome = forms.CharField(
        label=_("How to overcome it"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["barrier"].queryset = Barrier.objects.filter(
            programme=report.programme, market=report.market
        )
        if not self.is_bound:
            self.initial.update({"kind": report.suggested_kind, "title": report.title})

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ATTACH and not data.get("barrier"):
            self.add_error("barrier", _("Choose the barrier this report is a source of."))
        if data.get("action") == self.CREATE:
            if not data.get("kind"):
                self.add_error("kind", _("Say which kind of barrier it is."))
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Give the barrier a title."))
        return data


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class BarrierSearchForm(forms.Form):
    """The filters of the barrier list (UI); the API takes the same ones."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    market = forms.ChoiceField(
        label=_("Market"),
        choices=lambda: [("", _("Any market"))] + country_choices(),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind"))] + list(BarrierKind.choices), required=False
    )
    offering = forms.ChoiceField(
        label=_("Offering"),
        choices=[("", _("Any offering"))] + list(Offering.choices),
        required=False,
    )
    nace = NacePickerField(
        label=_("Sector (NACE)"),
        sections=True,
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "nace-sectors", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + list(BarrierStatus.choices),
        required=False,
    )
    stale = forms.ChoiceField(
        label=_("Confirmation"),
        choices=[("", _("Any")), ("yes", _("Stale only")), ("no", _("Confirmed recently"))],
        required=False,
    )

    def filter(self, barriers, today):
        data = self.cleaned_data
        return filter_barriers(
            barriers,
            today,
            q=data["q"],
            market=data["market"],
            kind=data["kind"],
            offering=data["offering"],
            nace=data["nace"],
            status=data["status"],
            stale={"yes": True, "no": False}.get(data["stale"]),
        )


def filter_barriers(
    barriers, today, *, q="", market="", kind="", offering="", nace="", status="", stale=None
):
    """The one filter behind the barrier list of the UI and of the API."""
    if q:
        barriers = barriers.search(q)
    if market:
        barriers = barriers.filter(market=market.upper())
    if kind:
        barriers = barriers.filter(kind=kind)
    if offering:
        barriers = barriers.for_offering(offering)
    if nace:
        barriers = barriers.for_sector(nace.upper())
    if status:
        barriers = barriers.filter(status=status)
    if stale is True:
        barriers = barriers.stale(today)
    elif stale is False:
        barriers = barriers.fresh(today)
    return barriers
