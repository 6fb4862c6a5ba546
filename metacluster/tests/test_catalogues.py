"""The translation catalogues are complete, keep every placeholder and are compiled as written.

A string that is new in the code but missing from a catalogue shows in English on a Swedish
page; a lost `%(name)s` raises at run time; a `.po` edited but not compiled changes nothing.
"""

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ["sv", "fi", "et", "lv"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def catalogue(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as file:
        return read_po(file, locale=language)


def entries(language):
    return [message for message in catalogue(language) if message.id]


def forms(message):
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_a_guess(language):
    untranslated = [m.id for m in entries(language) if not all(forms(m))]
    guessed = [m.id for m in entries(language) if m.fuzzy]
    assert untranslated == []
    assert guessed == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    broken = []
    for message in entries(language):
        source = message.id if isinstance(message.id, str) else message.id[-1]
        for form in forms(message):
            # A plural's singular form may spell out "one" instead of the count.
            if placeholders(form) != placeholders(source) and not set(placeholders(form)) < set(
                placeholders(source)
            ):
                broken.append((message.id, form))
    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = []
    for message in entries(language):
        if isinstance(message.id, str):
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            if compiled._catalog.get(key) != message.string:
                stale.append(message.id)
    assert stale == []
