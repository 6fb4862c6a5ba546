from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.companies.models import Company
from metacluster.versioning import VersionedModelForm

from .choices import UndertakingLink
from .ledger import may_override, refusal
from .models import AidDeclaration, ProgrammeAidSettings, Undertaking

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AidConfirmationMixin:
    """The state-aid step of a delivery form: hidden until the aid comes near the ceiling
    (then the advisor ticks that they read the warning) or past it (then a programme manager
    gives the reason to record it anyway)."""

    def add_aid_fields(self) -> None:
        self.fields["aid_acknowledged"] = forms.BooleanField(
            label=_("I have read the state-aid warning; record it anyway"),
            required=False,
            widget=forms.HiddenInput,
        )
        self.fields["aid_override_reason"] = forms.CharField(
            label=_("Reason to record aid past the ceiling"),
            required=False,
            max_length=2000,
            widget=forms.HiddenInput,
        )

    @property
    def aid_override(self) -> str:
        return (self.cleaned_data.get("aid_override_reason") or "").strip()

    def aid_cleared(self, checks, user, programme) -> bool:
        """Whether the deliveries behind `checks` may be recorded now; if not, the warning or
        the refusal is on the form, with the field that answers it shown."""
        cleared = True
        over = [check for check in checks if check.over]
        if over:
            reason = self.aid_override
            manager = may_override(user, programme)
            if manager:
                self.fields["aid_override_reason"].widget = forms.Textarea(attrs={"rows": 2})
            for check in over:
                problem = refusal(check, reason, user)
                if problem:
                    # A hidden field's errors are not shown: advisors see the block at the top.
                    self.add_error("aid_override_reason" if manager else None, problem)
                    cleared = False
        near = [check for check in checks if check.near]
        if near and not self.cleaned_data.get("aid_acknowledged"):
            self.fields["aid_acknowledged"].widget = forms.CheckboxInput()
            for check in near:
                self.add_error("aid_acknowledged", check.message())
            cleared = False
        return cleared


class AidSettingsForm(VersionedModelForm):
    class Meta:
        model = ProgrammeAidSettings
        fields = [
            "scheme",
            "fiscal_year_start_month",
            "warning_percent",
            "project_limit",
            "granting_authority",
        ]


class DeclarationForm(VersionedModelForm):
    class Meta:
        model = AidDeclaration
        fields = ["grantor", "granted_on", "amount", "scheme", "reference"]
        widgets = {"granted_on": DATE_WIDGET}


class UndertakingForm(VersionedModelForm):
    companies = forms.ModelMultipleChoiceField(
        label=_("Linked companies"),
        queryset=Company.objects.none(),
        help_text=_("Companies linked under Art. 2(2) of Regulation (EU) 2023/2831."),
    )
    link = forms.ChoiceField(
        label=_("How they are linked"), choices=UndertakingLink.choices, initial="a"
    )

    class Meta:
        model = Undertaking
        fields = ["name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companies"].queryset = Company.objects.editable_by(user).order_by("name")
        if self.instance.pk:
            self.fields["companies"].initial = list(
                self.instance.members.values_list("company_id", flat=True)
            )

    def clean_companies(self):
        companies = self.cleaned_data["companies"]
        if len(companies) < 2:
            raise forms.ValidationError(_("A single undertaking links at least two companies."))
        elsewhere = [
            company
            for company in companies
            if hasattr(company, "undertaking_membership")
            and company.undertaking_membership.undertaking_id != self.instance.pk
        ]
        if elsewhere:
            raise forms.ValidationError(
                _("Already in another single undertaking: %(names)s.")
                % {"names": ", ".join(str(company) for company in elsewhere)}
            )
        return companies
