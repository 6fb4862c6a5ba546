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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
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
        language = (language or translation.get_language() or "").lower()
        labels = self.translations if isinstance(self.translations, dict) else {}
        for code in (language, language.split("-")[0]):
            text = (
                (labels.get(code) or {}).get(field) if isinstance(labels.get(code), dict) else None
            )
            if text:
                return text
        original = getattr(self, field, "") or ""
        if field == "unit" and original in COMMON_UNITS:
            return str(COMMON_UNITS[original])
        return original

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
