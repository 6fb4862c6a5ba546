"""Filtering, sorting and paging company lists that stay fast at a million companies.

- Search matches the start of the normalised name (an index range, not a LIKE over every
  row), or a registry code or VAT number exactly.
- Counting stops at COUNT_CAP: a page shows "10,000+" rather than counting a million rows on
  every request, and paging stops there too (narrow the search instead of paging to 20,000).
"""

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate
from django.utils.functional import cached_property

from metacluster.core.scouting.names import name_key
from metacluster.core.scouting.vat import normalise_vat

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
    """Companies whose normalised name starts with `text`, or whose registry code or VAT
    number is `text`. The codes are looked up first, each by its own index: an OR across the
    three columns in one query makes both databases walk the whole table at a million rows,
    whereas the name alone is one index range (see `sort_companies` for its order)."""
    text = (text or "").strip()
    if not text:
        return companies
    key = name_key(text)
    companies = companies.alias(name_order=_name_order())
    condition = Q(name_order__gte=key, name_order__lt=key + MAX_CHAR) if key else Q(pk__in=[])
    if any(char.isdigit() for char in text):  # every registry code and VAT number has digits
        codes = companies.filter(Q(registry_code=text) | Q(vat_number=normalise_vat(text)))
        found = list(codes.order_by().values_list("pk", flat=True)[:COUNT_CAP])
        if found:
            condition |= Q(pk__in=found)
    return companies.filter(condition)


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
    """Order a list. A name search (`search`) is ordered by the normalised name, which its
    index range already gives in order: "Kalomi AB" and "AB Kalomi" are neighbours, and the
    first page does not wait for every match to be sorted."""
    sort = sort or "name"
    if sort in ("name", "-name") and "name_order" in companies.query.annotations:
        direction = "-" if sort == "-name" else ""
        return companies.order_by(f"{direction}name_order", f"{direction}id")
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
