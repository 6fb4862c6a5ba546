"""Company names reduced to what identifies them: no legal form, case, diacritics or
punctuation, so that "Põhja Tarkvara OÜ", "POHJA TARKVARA" and "Pohja-Tarkvara Oü" compare
equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal-form words and abbreviations of the programme countries and common foreign ones,
# already in normalised spelling (lower case, no diacritics, no dots).
LEGAL_FORMS = frozenset(
    """
    ab hb kb publ aktiebolag handelsbolag kommanditbolag ek ekonomisk forening
    oy oyj ay ky tmi osakeyhtio
    ou as tu mtu sa uu fie osauhing aktsiaselts
    sia as ik ps un biedriba
    uab ab mb vsi ii
    asa ans da nuf
    aps is amba
    ltd limited plc llp llc inc corp corporation co company
    gmbh ag kg ohg ug mbh ev
    sa sas sarl srl spa bv nv oü
    """.split()
)
_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "þ": "th", "œ": "oe"})
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")
_INITIALS = re.compile(r"\b(\w)\.(?=\w\.)")
_INITIAL = re.compile(r"\b(\w)\.")


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower case without diacritics: "Õun Ärimees" → "oun arimees"."""
    text = (text or "").casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_tokens(name: str) -> list[str]:
    """The words of a name, folded, without punctuation and legal forms.

    Dotted abbreviations join up first ("O.Ü." → "ou", "S.I.A." → "sia") so that they are
    recognised as legal forms; a name made only of legal-form words keeps them."""
    folded = fold(name)
    if "." in folded:
        folded = _INITIAL.sub(r"\1", _INITIALS.sub(r"\1", folded))
    words = _PUNCTUATION.sub(" ", folded).split()
    kept = [word for word in words if word not in LEGAL_FORMS]
    return kept or words


def name_key(name: str) -> str:
    """The normalised name: folded words without legal forms, joined by single spaces."""
    return " ".join(name_tokens(name))


def name_key_and_legal_form(name: str) -> tuple[str, str]:
    """(name_key(name), legal_form_of(name)), splitting the name into words once: an import
    asks both of every row."""
    folded = fold(name)
    if "." in folded:  # abbreviations: the two functions join dotted letters differently
        return name_key(name), legal_form_of(name)
    words = _PUNCTUATION.sub(" ", folded).split()
    forms = [word for word in words if word in LEGAL_FORMS]
    if len(forms) == len(words):
        return " ".join(words), " ".join(forms)
    return " ".join(word for word in words if word not in LEGAL_FORMS), " ".join(forms)


def legal_form_of(name: str) -> str:
    """The legal-form words a name carries, in their normalised spelling ("oy", "ab publ")."""
    folded = _INITIAL.sub(r"\1", fold(name))
    return " ".join(word for word in _PUNCTUATION.sub(" ", folded).split() if word in LEGAL_FORMS)


def search_words(text: str) -> list[str]:
    """The words a search looks for: folded, without punctuation ("Rīga," → ["riga"])."""
    return _PUNCTUATION.sub(" ", fold(text or "")).split()


def search_text(*parts: str) -> str:
    """The folded words of a company's searchable texts (name, town, codes, description), with
    a space before each, so that `" " + word` is found where a word of theirs starts."""
    words = [word for part in parts for word in search_words(part)]
    return " " + " ".join(words) + " " if words else ""


# How much of a description is searched: its opening says what the company does.
DESCRIPTION_SEARCHED = 1000


def company_search_text(values: dict) -> str:
    """`search_text` of a company's values (a dict with name, town, registry_code, vat_number
    and description; missing ones count as empty)."""
    return search_text(
        values.get("name") or "",
        values.get("town") or "",
        values.get("registry_code") or "",
        values.get("vat_number") or "",
        (values.get("description") or "")[:DESCRIPTION_SEARCHED],
    )
