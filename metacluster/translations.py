"""Per-language labels for names a programme defines itself (indicators, services, capabilities).

The platform's own words are translated through the gettext catalogues; a programme's words
("SMEs receiving non-financial support", "Export readiness check") are typed in by its staff in
one language. A record may carry optional labels in the other languages in a small JSON field:

    {"sv": {"name": "Företag som fått icke-finansiellt stöd"}, "fi": {"name": "..."}}

`record.translated("name")` (or `{{ record|translated:"name" }}`) returns the label in the
active language, else the record's own text. A few common units of measure typed as free text
("companies", "hours") are translated by the catalogues when no label is given.
"""

from __future__ import annotations

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Free-text units that programmes commonly type; translated when no per-language label exists.
COMMON_UNITS = {
    "companies": _("companies"),
    "enterprises": _("enterprises"),
    "first sales": _("first sales"),
    "deals": _("deals"),
    "hours": _("hours"),
    "days": _("days"),
    "participants": _("participants"),
    "people": _("people"),
    "organisations": _("organisations"),
    "events": _("events"),
    "meetings": _("meetings"),
    "reports": _("reports"),
}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def other_languages() -> list[tuple[str, str]]:
    """The languages a label may be given in: all but the one the records are typed in."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def translated_text(labels, field: str, original: str, language: str | None = None) -> str:
    """`Translatable.translated` over plain values, for rows read with `.values()`:
    `labels` is a record's `translations`, `original` its own text of `field`."""
    language = (language or translation.get_language() or "").lower()
    labels = labels if isinstance(labels, dict) else {}
    for code in (language, language.split("-")[0]):
        text = (labels.get(code) or {}).get(field) if isinstance(labels.get(code), dict) else None
        if text:
            return text
    original = original or ""
    if field == "unit" and original in COMMON_UNITS:
        return str(COMMON_UNITS[original])
    return original


class Translatable(models.Model):
    """Adds optional per-language labels for the fields named in TRANSLATED_FIELDS."""

    TRANSLATED_FIELDS: tuple[str, ...] = ("name",)

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Optional labels in other languages, e.g. {"sv": {"name": "…"}, "fi": {"name": "…"}}; '
            "where one is missing, the text above is shown."
        ),
    )

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """The label of `field` in `language` (default: the active one), with fallbacks:
        that language's label, then the base language's (sv-FI → sv), then the field itself
        (a common unit through the catalogue)."""
        return translated_text(self.translations, field, getattr(self, field, ""), language)

    def clean_translations(self) -> None:
        """Labels only for known languages and translated fields, as non-empty text that
        fits the field."""
        labels = self.translations
        if labels in (None, ""):
            self.translations = {}
            return
        if not isinstance(labels, dict):
            raise ValidationError({"translations": _("Give an object of languages.")})
        problems = []
        for code, fields in labels.items():
            if code not in language_codes():
                problems.append(
                    _("“%(code)s” is not one of the platform's languages (%(codes)s).")
                    % {"code": code, "codes": ", ".join(language_codes())}
                )
                continue
            if not isinstance(fields, dict):
                problems.append(_("Give the labels for “%(code)s” as an object.") % {"code": code})
                continue
            for name, text in fields.items():
                if name not in self.TRANSLATED_FIELDS:
                    problems.append(
                        _("“%(field)s” cannot be translated here (only %(fields)s).")
                        % {"field": name, "fields": ", ".join(self.TRANSLATED_FIELDS)}
                    )
                elif not isinstance(text, str) or not text.strip():
                    problems.append(
                        _("The %(code)s label of “%(field)s” is empty.")
                        % {"code": code, "field": name}
                    )
                else:
                    limit = getattr(self._meta.get_field(name), "max_length", None)
                    if limit and len(text) > limit:
                        problems.append(
                            _(
                                "The %(code)s label of “%(field)s” is longer than %(limit)s characters."
                            )
                            % {"code": code, "field": name, "limit": limit}
                        )
        if problems:
            raise ValidationError({"translations": problems})


class TranslationsForm:
    """Mixin for a ModelForm of a `Translatable` model: the section "Names in other languages".

    One optional input per other language and translated field (`label_sv_name`, ...),
    prefilled from `translations` and saved back into it: a filled input sets that label, an
    empty one removes it; labels the form does not show (e.g. one for English) are kept. Each
    label is checked by the model's own rule (`clean_translations`), and its error is shown
    beside its input. Put it before the ModelForm class: `class F(TranslationsForm, ModelForm)`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_names: dict[tuple[str, str], str] = {}
        stored = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        for code, _language in other_languages():
            given = stored.get(code) if isinstance(stored.get(code), dict) else {}
            for field in self.instance.TRANSLATED_FIELDS:
                name = f"label_{code}_{field}"
                model_field = self.instance._meta.get_field(field)
                attrs = {"lang": code}
                widget = (
                    forms.Textarea(attrs={**attrs, "rows": 2})
                    if isinstance(model_field, models.TextField)
                    else forms.TextInput(attrs=attrs)
                )
                self.fields[name] = forms.CharField(
                    label=capfirst(model_field.verbose_name), required=False, widget=widget
                )
                if isinstance(given.get(field), str):
                    self.initial.setdefault(name, given[field])
                self.label_names[(code, field)] = name

    def record_fields(self):
        """The visible fields other than the labels, for a template that shows the labels
        in their own section."""
        labels = set(self.label_names.values())
        return [field for field in self.visible_fields() if field.name not in labels]

    def label_groups(self):
        """[(language name, code, [bound fields])], one group per other language."""
        return [
            (
                name,
                code,
                [
                    self[self.label_names[(code, field)]]
                    for field in self.instance.TRANSLATED_FIELDS
                ],
            )
            for code, name in other_languages()
        ]

    def labels_given(self) -> bool:
        """Whether the section should start open: a label is filled in, or one has an error."""
        return any(self[name].value() or name in self.errors for name in self.label_names.values())

    def clean(self):
        cleaned = super().clean()
        stored = self.instance.translations
        labels = copy.deepcopy(stored) if isinstance(stored, dict) else {}
        model = type(self.instance)
        for (code, field), name in self.label_names.items():
            if name in self.errors:
                continue
            text = (cleaned.get(name) or "").strip()
            if text:
                try:  # the model's rule, for this one label, so the error sits by its input
                    model(translations={code: {field: text}}).clean_translations()
                except ValidationError as error:
                    self.add_error(name, error.message_dict["translations"])
                    continue
            given = labels.get(code) if isinstance(labels.get(code), dict) else None
            if given is None:
                if not text:
                    continue
                given = labels[code] = {}
            if text:
                given[field] = text
            else:
                given.pop(field, None)
                if not given:
                    del labels[code]
        self.instance.translations = labels
        return cleaned

    def _update_errors(self, errors):
        # The model checks the whole of `translations` again; a problem left there (a label
        # stored before, outside this form) has no input of its own, so it is said on top.
        if hasattr(errors, "error_dict") and "translations" in errors.error_dict:
            self.add_error(None, errors.error_dict.pop("translations"))
        super()._update_errors(errors)
