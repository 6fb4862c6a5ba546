from django import forms
from django.utils.translation import gettext_lazy as _

from metacluster.companies.choices import LawfulBasis


class ConsentForm(forms.Form):
    """Record a contact's lawful basis (consent: given now), or withdraw their consent."""

    action = forms.ChoiceField(choices=[("record", _("Record")), ("withdraw", _("Withdraw"))])
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"), choices=LawfulBasis.choices, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "record" and not cleaned.get("lawful_basis"):
            self.add_error("lawful_basis", _("Choose the lawful basis."))
        return cleaned
