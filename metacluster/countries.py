"""ISO 3166 countries with EU/EFTA membership, from the table shipped in data/countries.csv.

The table is rebuilt by scripts/build_countries.py; see docs/DATA.md for sources and licences.
Names shown to people come from CLDR through Babel in the active language ("Tyskland",
"Saksa", "Vācija"); the English name in the table is the fallback for a code CLDR lacks.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.db import models
from django.utils import translation

DATA = Path(__file__).resolve().parent / "data" / "countries.csv"


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    name: str
    region: str
    eu: bool
    efta: bool

    @property
    def in_eu_or_efta(self) -> bool:
        return self.eu or self.efta


@cache
def countries() -> dict[str, Country]:
    with open(DATA, newline="", encoding="utf-8") as f:
        return {
            row["alpha2"]: Country(
                alpha2=row["alpha2"],
                alpha3=row["alpha3"],
                name=row["name"],
                region=row["region"],
                eu=row["eu"] == "1",
                efta=row["efta"] == "1",
            )
            for row in csv.DictReader(f)
        }


@cache
def _alpha3_to_alpha2() -> dict[str, str]:
    return {c.alpha3: c.alpha2 for c in countries().values()}


@cache
def _names(language: str) -> dict[str, str]:
    """Every country's name in `language` (CLDR), falling back to the table's English."""
    try:
        territories = Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        territories = {}
    return {code: territories.get(code, c.name) for code, c in countries().items()}


# UN M49 codes of the regions in the table, so that CLDR names them in every language too.
REGIONS = {"Africa": "002", "Americas": "019", "Asia": "142", "Europe": "150", "Oceania": "009"}


def _language(language: str | None) -> str:
    return language or translation.get_language() or "en"


@cache
def _choices(language: str) -> list[tuple[str, str]]:
    return sorted(_names(language).items(), key=lambda item: item[1].casefold())


def country_choices() -> list[tuple[str, str]]:
    """(code, name) in the active language, sorted by name; a callable, so model fields and
    forms that take it show each request's language."""
    return _choices(_language(None))


class CountryField(models.CharField):
    """A country's ISO alpha-2 code, offered and shown by name in the reader's language.

    Django's `get_<field>_display()` rebuilds the whole choice list on every call when the
    choices are a callable (about 0.5 ms for 250 countries); a list of a hundred deals shows
    its markets in a tenth of that time by looking the name up in the cached table instead.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("choices", country_choices)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        attname = self.attname
        setattr(cls, f"get_{name}_display", lambda obj: country_name(getattr(obj, attname)))

    def deconstruct(self):
        # Migrations see the CharField it is stored as: nothing about the column changed.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def eu_efta_codes() -> set[str]:
    return {code for code, c in countries().items() if c.in_eu_or_efta}


def country_name(code: str, language: str | None = None) -> str:
    """The name of the country with ISO alpha-2 or alpha-3 `code` in `language` (default:
    the active one); an unknown code is returned as it is."""
    if not code:
        return ""
    code = code.upper()
    code = _alpha3_to_alpha2().get(code, code)
    return _names(_language(language)).get(code, code)


def country_by_name(text: str, language: str | None = None) -> str | None:
    """The ISO alpha-2 code of the country `text` names: its two- or three-letter code, or its
    name in `language` (default: the active one), in another language the site offers or in
    English, case and accents ignored ("Tyskland", "saksa", "Vācija", "germany", "DEU" → "DE");
    None when it names none. The names of the given language win where two languages use one
    name for different countries."""
    text = (text or "").strip()
    if len(text) == 2 and text.upper() in countries():
        return text.upper()
    if len(text) == 3 and text.upper() in _alpha3_to_alpha2():
        return _alpha3_to_alpha2()[text.upper()]
    key = _fold(text)
    for names in (_folded_names(_language(language)), _every_folded_name()):
        if key in names:
            return names[key]
    return None


def _fold(text: str) -> str:
    # Imported here: the core's scouting package reads this module's table as it loads.
    from metacluster.core.scouting.names import fold

    return fold(text)


@cache
def _folded_names(language: str) -> dict[str, str]:
    return {_fold(name): code for code, name in _names(language).items()}


@cache
def _every_folded_name() -> dict[str, str]:
    """Folded names in English (the table) and every language the site offers."""
    found = {_fold(c.name): code for code, c in countries().items()}
    for language, _label in reversed(settings.LANGUAGES):
        found.update(_folded_names(language))
    return found


def region_name(region: str, language: str | None = None) -> str:
    """ "Europe" → "Eurooppa": a region of the table in `language` (default: the active one)."""
    code = REGIONS.get(region)
    if code is None:
        return region
    try:
        return Locale.parse(_language(language).replace("-", "_")).territories.get(code, region)
    except (UnknownLocaleError, ValueError):
        return region
