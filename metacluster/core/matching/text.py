"""Language-aware tokenisation: words → stems, for English, Swedish, Finnish, Estonian, Latvian.

`analyse(text, language)` lower-cases, splits on anything that is not a letter or digit,
drops stop words and one-letter tokens, and stems each word with the Snowball stemmer of its
language (the `snowballstemmer` package: English, Swedish, Finnish, Estonian). Snowball has no
Latvian stemmer, so Latvian words lose their longest inflectional ending from a short list
(`latvian_stem`): noun and adjective case endings of the five declensions and the common verb
endings, never leaving a stem shorter than three letters. That conflates "ūdens", "ūdeni" and
"ūdenim" as a stemmer would, and errs on the side of leaving a word whole.

When a text's language is not given, `guess_language` picks the one whose stop words and
letters (å ä ö for Swedish, õ for Estonian, ā ē ī ū ķ ļ ņ š ž for Latvian, ...) it shows most;
short texts default to English.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer

__all__ = ["LANGUAGES", "analyse", "guess_language", "latvian_stem", "stemmer_name"]

LANGUAGES = ("en", "sv", "fi", "et", "lv")
_SNOWBALL = {"en": "english", "sv": "swedish", "fi": "finnish", "et": "estonian"}

# Short, high-frequency function words; the lists are ours, not Snowball's.
STOP_WORDS = {
    "en": set(
        "a an and are as at be by for from has have in into is it its of on or our that the "
        "their this to we will with within who which you your can all also any been per "
        "should must need needs looking seek seeking such other".split()
    ),
    "sv": set(
        "och att det som en ett är av för på med till den de har vi om inte ska kan från "
        "eller vår våra sin sina detta dessa samt även efter under inom mot".split()
    ),
    "fi": set(
        "ja on ei se että kuin mutta tai myös sekä kanssa ovat olla joka jotka tämä nämä "
        "me meidän niiden sen hän he ne jo vain kun jos".split()
    ),
    "et": set(
        "ja on ei see et kui aga või ka ning koos olema mis kes meie nende oma selle need "
        "seda ja/või veel kõik".split()
    ),
    "lv": set(
        "un ir ar par no uz kas ka vai bet arī lai kā tā tas šis šī mēs mūsu to tie tās "
        "pie pēc līdz jau".split()
    ),
}

_LETTERS = {
    "sv": set("åäö"),
    "fi": set("äö"),
    "et": set("õäöüšž"),
    "lv": set("āēīūčģķļņšž"),
}

# Latvian inflectional endings, longest first so that "-iem" wins over "-m".
_LATVIAN_ENDINGS = sorted(
    """ajiem ajām iem ām ēm īm ajai ajam ajā ajās ajos ies ais ām ās ēs īs ai ei ij
    es em os as is us ēt īt ot at a e i u ā ē ī ū s š""".split(),
    key=len,
    reverse=True,
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def latvian_stem(word: str) -> str:
    """Strip the longest Latvian inflectional ending, keeping at least three letters.

    >>> latvian_stem("ūdensapgādes"), latvian_stem("ūdensapgāde")
    ('ūdensapgād', 'ūdensapgād')
    """
    for ending in _LATVIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def stemmer_name(language: str) -> str:
    """Which stemmer a language gets: a Snowball algorithm, or ours for Latvian."""
    if language == "lv":
        return "latvian-suffix-stripping"
    return _SNOWBALL.get(language, "english")


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(_SNOWBALL.get(language, "english"))


@lru_cache(maxsize=500_000)
def _stem(language: str, word: str) -> str:
    # Snowball's Python stemmers cost tens of microseconds a word; texts repeat their words.
    if language == "lv":
        return latvian_stem(word)
    return _stemmer(language).stemWord(word)


def guess_language(text: str) -> str:
    """The most likely of `LANGUAGES` for a text, by stop words and distinctive letters."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    if not words:
        return "en"
    letters = set(lowered)
    scores = {
        language: len(words & STOP_WORDS[language])
        + 2 * len(letters & _LETTERS.get(language, set()))
        for language in LANGUAGES
    }
    # Finnish and Estonian share ä and ö with Swedish: only õ, š, ž or stop words decide.
    best = max(LANGUAGES, key=lambda language: (scores[language], language == "en"))
    return best if scores[best] > 0 else "en"


def _fold(word: str) -> str:
    # Keep the letters Snowball's Nordic and Baltic stemmers expect, but drop other accents
    # (é → e) so that "café" and "cafe" meet.
    if word.isascii():
        return word
    kept = set("åäöõüšžāēīūčģķļņ")
    return "".join(ch if ch in kept else unicodedata.normalize("NFKD", ch)[0] for ch in word)


def analyse(text: str, language: str | None = None) -> list[str]:
    """The stems of a text's content words, in order (repeats kept, for term frequencies).

    >>> analyse("Smart parking sensors for cities", "en")
    ['smart', 'park', 'sensor', 'citi']
    >>> analyse("Älykkäät pysäköintianturit kaupungeille", "fi")
    ['älyk', 'pysäköintiantur', 'kaupung']
    """
    language = language if language in LANGUAGES else guess_language(text)
    stop = STOP_WORDS[language]
    words = [_fold(w) for w in _WORD.findall(text.lower())]
    return [_stem(language, w) for w in words if len(w) > 1 and w not in stop]


def surface_forms(text: str, language: str | None = None) -> dict[str, str]:
    """Each stem of a text mapped to the first word that produced it, to show people words
    rather than stems ("sensors", not "sensor")."""
    language = language if language in LANGUAGES else guess_language(text)
    stop = STOP_WORDS[language]
    forms: dict[str, str] = {}
    for raw in _WORD.findall(text.lower()):
        word = _fold(raw)
        if len(word) <= 1 or word in stop:
            continue
        forms.setdefault(_stem(language, word), raw)
    return forms
