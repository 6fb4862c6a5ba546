"""Filtering, sorting and paging company lists that stay fast at a million companies.

- Search finds every word of the query at the start of a word of the name, town, registry
  code, VAT number or description (accents folded), name matches first.
- Counting stops at COUNT_CAP: a page shows "10,000+" rather than counting a million rows on
  every request, and paging stops there too (narrow the search instead of paging to 20,000).
"""

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.utils.functional import cached_property

from metacluster.core.scouting.names import LEGAL_FORMS, search_words

from . import fulltext

COUNT_CAP = 10_000
SIZE_BANDS = {  # EU SME size classes by head count (Recommendation 2003/361/EC)
    "micro": (0, 9),
    "small": (10, 49),
    "medium": (50, 249),
    "sme": (0, 249),
    "large": (250, None),
}
SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "employees": ("employees", "id"),
    "-employees": ("-employees", "-id"),
    "founded": ("founded_year", "id"),
    "-founded": ("-founded_year", "-id"),
    "-created": ("-created_at", "-id"),
}


def prefix(field: str, text: str) -> Q:
    """`field` starts with `text`, written so that the database can use the field's index."""
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case and so cannot use an ordinary index; a range can.
        return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\U0010ffff"})
    return Q(**{f"{field}__startswith": text})


def search(companies: QuerySet, text: str) -> QuerySet:
    """Companies where every word of `text` starts a word of their name, town, registry code,
    VAT number or description, accents and case folded on both sides ("gavle" finds "Gävle",
    "riga" and "rīga" find "Rīga"), from the derived column `search_text`: `LIKE '% word%'`
    per word, which its trigram index (migration companies.0006) serves on PostgreSQL; on
    SQLite the same question asked of its full-text index (`fulltext`, migration
    companies.0007), which finds the same companies.

    Ranked: companies whose name has every word come first (`search_rank` 0), then the
    others (1) — see `sort_companies`."""
    words = search_words(text)
    if not (text or "").strip():
        return companies
    if not words:
        return companies.filter(pk__in=[])
    condition = _matching(words)
    named = Q()
    for word in [w for w in words if w not in LEGAL_FORMS] or words:
        named &= Q(name_key__startswith=word) | Q(name_key__contains=" " + word)
    rank = Case(When(named, then=Value(0)), default=Value(1), output_field=IntegerField())
    return companies.filter(condition).alias(search_rank=rank, name_order=_name_order())


def _matching(words: list[str]) -> Q:
    """Every word starts a word of `search_text`: through the full-text index on SQLite."""
    if connection.vendor == "sqlite":
        return Q(
            pk__in=RawSQL(
                f"SELECT rowid FROM {fulltext.TABLE} WHERE {fulltext.TABLE} MATCH %s",
                [fulltext.match_query(words)],
            )
        )
    return _like(words)


def _like(words: list[str]) -> Q:
    """Every word starts a word of `search_text`, asked of the column itself."""
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=" " + word)
    return condition


# Above every other character, so [key, key + MAX_CHAR) is every text starting with key when
# texts compare by code point.
MAX_CHAR = "\U0010ffff"


def _name_order():
    """The normalised name compared by code point: SQLite's default; on PostgreSQL the "C"
    collation, whatever the database's, which the index company_name_key_c_idx (migration
    companies.0005) serves."""
    if connection.vendor == "postgresql":
        return Collate(F("name_key"), "C")
    return F("name_key")


def filter_companies(companies: QuerySet, data: dict) -> QuerySet:
    """Apply the filters of a company list (all optional): q, country, nace (a code prefix of
    the main activity), size (a SIZE_BANDS key), status (register status)."""
    companies = search(companies, data.get("q"))
    if data.get("country"):
        companies = companies.filter(country=data["country"].upper())
    if data.get("nace"):
        companies = companies.filter(prefix("nace_primary", data["nace"].strip()))
    if data.get("size") in SIZE_BANDS:
        low, high = SIZE_BANDS[data["size"]]
        companies = companies.filter(employees__gte=low)
        if high is not None:
            companies = companies.filter(employees__lte=high)
    if data.get("status"):
        companies = companies.filter(register_status=data["status"])
    return companies


def sort_companies(companies: QuerySet, sort: str | None) -> QuerySet:
    """Order a list. A search (`search`) in name order lists the companies whose name
    matches first, each group by the normalised name: "Kalomi AB" and "AB Kalomi" are
    neighbours."""
    sort = sort or "name"
    if sort in ("name", "-name") and "search_rank" in companies.query.annotations:
        direction = "-" if sort == "-name" else ""
        return companies.order_by("search_rank", f"{direction}name_order", f"{direction}id")
    return companies.order_by(*SORTS.get(sort, SORTS["name"]))


def capped_count(rows: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, capped): the number of rows, or `cap` and True when there are more."""
    count = rows.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (its pages with it)."""

    def __init__(self, *args, cap: int = COUNT_CAP, **kwargs):
        self.cap = cap
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self) -> int:
        count, self.capped = capped_count(self.object_list, self.cap)
        return count

    def get_page(self, number) -> Page:
        page = super().get_page(number)
        page.capped = getattr(self, "capped", False)
        return page
