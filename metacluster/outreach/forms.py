from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from metacluster.companies.choices import Stage
from metacluster.countries import countries
from metacluster.versioning import VersionedModelForm

from .models import Message, MessageTemplate


class MessageForm(forms.ModelForm):
    stages = forms.MultipleChoiceField(
        label=_("Stages"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.CharField(
        label=_("Countries"), required=False, help_text=_("ISO codes, e.g. SE, EE; empty: all.")
    )

    class Meta:
        model = Message
        fields = [
            "template_name",
            "subject",
            "body",
            "stages",
            "countries",
            "capabilities",
            "activity",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"body": _("{company} and {programme} are filled in for each recipient.")}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["capabilities"].queryset = programme.capabilities.all()
        self.fields["capabilities"].required = False
        self.fields["activity"].queryset = programme.activities.all()
        # A choice of the programme's templates rather than a name to type: a mistyped name
        # would send the subject and text below, or nothing, to the whole segment.
        typed = self.fields["template_name"]
        self.fields["template_name"] = forms.ChoiceField(
            label=typed.label,
            help_text=typed.help_text,
            required=False,
            choices=[("", _("None: the subject and text below"))]
            + template_choices(programme, translation.get_language() or ""),
        )

    def clean_countries(self):
        codes = [c.strip().upper() for c in self.cleaned_data["countries"].split(",") if c.strip()]
        unknown = [c for c in codes if c not in countries()]
        if unknown:
            raise forms.ValidationError(
                _("Not a country code: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return codes

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("template_name") and not (
            cleaned.get("subject") and cleaned.get("body")
        ):
            raise forms.ValidationError(_("Choose a template or write a subject and a text."))
        return cleaned


def template_choices(programme, language: str) -> list[tuple[str, str]]:
    """(name, label) for each of the programme's templates, the label in `language` where the
    template has a version in it (else in the site's language, else any), with the languages
    the template is written in."""
    templates = MessageTemplate.objects.filter(programme=programme)
    languages: dict[str, list[str]] = {}
    for name, code in templates.values_list("name", "language").order_by("name", "language"):
        languages.setdefault(name, []).append(code.upper())
    return [
        (
            template.name,
            f"{template.name}: {template.subject} ({', '.join(languages[template.name])})",
        )
        for template in templates.one_per_name(language)
    ]


class MessageTemplateForm(VersionedModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "name": _("Give each language's version the same name."),
            "body": _("{company} and {programme} are filled in for each recipient."),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme

    def clean(self):
        cleaned = super().clean()
        # The database's unique constraint names the programme, which is not a form field, so
        # the form checks it here rather than letting the save fail.
        taken = MessageTemplate.objects.filter(
            programme=self.instance.programme,
            name=cleaned.get("name"),
            language=cleaned.get("language"),
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("This programme already has this template in this language.")
            )
        return cleaned
