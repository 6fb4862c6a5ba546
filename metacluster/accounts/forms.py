from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As my browser asks"))] + list(settings.LANGUAGES),
        required=False,
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone", "language"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'reporting script'."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=[
            (7, _("7 days")),
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("1 year")),
        ],
        coerce=int,
        required=False,
        initial=90,
        empty_value=None,  # then settings.API_TOKEN_DAYS
        help_text=_("The token is refused after this; changing your password revokes it too."),
    )
