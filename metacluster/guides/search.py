"""Word-based full-text search that behaves the same on SQLite and PostgreSQL.

Each barrier keeps `search_text`: its title, description and how-to-overcome text folded to
lower case without diacritics, as " word word word " (a space before every word). A query
word matches a barrier when some word of it starts with the query word, so "certif" finds
"Certification" and "zasady" finds "zásady"; every word of the query must match. Folding in
Python rather than in SQL (unaccent, ILIKE) keeps both databases giving the same answers.
"""

import re
import unicodedata

WORD = re.compile(r"\w+")
MAX_WORDS = 10  # enough for any real query; bounds the number of LIKE clauses


def fold(text: str) -> str:
    """Lower case, without diacritics: "Zásady Ochrany" → "zasady ochrany"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def index_text(*parts: str) -> str:
    """The stored search text of a record made of these parts."""
    return " " + " ".join(word for part in parts for word in words(part or "")) + " "


def matching(queryset, query: str, field: str = "search_text"):
    """Records whose search text has, for every word of `query`, a word starting with it."""
    for word in list(dict.fromkeys(words(query)))[:MAX_WORDS]:
        queryset = queryset.filter(**{f"{field}__contains": f" {word}"})
    return queryset
