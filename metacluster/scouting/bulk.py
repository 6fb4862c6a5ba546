"""Writing many new companies at once, the way each database takes them fastest: COPY on
PostgreSQL (into a staging table during a bulk load, see `bulk_load`), one prepared INSERT
executed for many rows on SQLite. At a million rows the ORM's bulk_create spends most of its
time preparing each value of each field in Python; here each column's conversion is decided
once."""

from __future__ import annotations

import json
import secrets
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models
from django.utils import timezone

from metacluster.companies.choices import CompanyKind
from metacluster.companies.models import Company
from metacluster.core.scouting.names import company_search_text


def _columns():
    return [field for field in Company._meta.concrete_fields if not field.primary_key]


# PostgreSQL: the temporary table new companies go to while a bulk load is open (its name).
_staging: ContextVar[str | None] = ContextVar("company_staging", default=None)
_STAGING_PREFIX = f"{Company._meta.db_table}_staging_"


def insert_companies(values: list[dict], *, owner_id: int, source: str) -> None:
    """Insert one company per dict of cleaned import values (as `clean_row` gives them).
    On PostgreSQL within `bulk_load` they go to its staging table, and reach the company
    table only when the load ends: until then no query of companies sees them, not even
    in this transaction."""
    if not values:
        return
    now = timezone.now()
    fixed = {
        "owner_id": owner_id,
        "source": source,
        "kind": CompanyKind.SME,
        "created_at": now,
        "version": 1,
        "merged_into_id": None,
    }
    fields = _columns()
    names = [field.attname for field in fields]
    if connection.vendor == "sqlite":
        fixed["created_at"] = connection.ops.adapt_datetimefield_value(now)
    # Each column's conversion decided once: a fixed value, JSON text, or the cleaned value
    # (an empty string for a missing value in a NOT NULL column).
    template = [fixed.get(name) for name in names]
    json_columns = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    primary = names.index("nace_primary")
    searched = names.index("search_text")
    cleaned = [
        (i, f.attname, None if f.null else "")
        for i, f in enumerate(fields)
        if f.attname not in fixed and i not in json_columns and i not in (primary, searched)
    ]
    json_text: dict[tuple, str] = {}  # the same few NACE code lists over and over

    def as_json(value) -> str:
        key = tuple(value) if isinstance(value, list) else None
        text = json_text.get(key) if key is not None else None
        if text is None:
            text = json.dumps(value)
            if key is not None:
                json_text[key] = text
        return text

    def row(item: dict) -> list:
        out = template.copy()
        get = item.get
        for i, name, empty in cleaned:
            value = get(name)
            out[i] = empty if value is None else value
        for i in json_columns:
            out[i] = as_json(get(names[i]) or [])
        codes = item["nace_codes"]
        out[primary] = codes[0] if codes else ""
        out[searched] = company_search_text(item)
        return out

    table = connection.ops.quote_name(_staging.get() or Company._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                # Declared types spare psycopg choosing a dumper for every value; JSON
                # columns are sent as the text made above.
                copy.set_types(
                    ["text" if i in json_columns else _copy_type(f) for i, f in enumerate(fields)]
                )
                for item in values:
                    copy.write_row(row(item))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})",
                [row(item) for item in values],
            )


def _copy_type(field) -> str:
    """The PostgreSQL type name psycopg knows for a column: "varchar(200)" → "varchar"."""
    name = field.db_type(connection).split("(")[0].strip()
    return {"timestamp with time zone": "timestamptz", "serial": "int4"}.get(name, name)


def update_companies(companies: list[Company], fields: list[str]) -> None:
    """Write the given fields of changed companies: one prepared UPDATE executed for them all
    (pipelined on PostgreSQL). The ORM's bulk_update builds a CASE expression per field over
    every company of a batch, which cost more than the million inserts' matching."""
    if not companies:
        return
    concrete = [Company._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in concrete)
    table, pk = quote(Company._meta.db_table), quote(Company._meta.pk.column)
    params = [
        [field.get_db_prep_save(getattr(company, field.attname), connection) for field in concrete]
        + [company.pk]
        for company in companies
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", params)


# Indexes an import reads while it writes (matching rows to existing companies), and so keeps.
MATCHING_COLUMNS = frozenset({"registry_code", "vat_number", "name_key"})
# SQLite's page cache while an import writes (KiB, negative as PRAGMA cache_size wants it):
# the indexes of a million companies then stay in memory instead of being re-read from disk
# for every insert. Memory is only taken as pages are read.
IMPORT_CACHE_KIB = 512 * 1024


@contextmanager
def bulk_load(*, rebuild_indexes: bool):
    """Prepare the database for writing many companies within the caller's transaction.
    When `rebuild_indexes` — a load as big as the table itself, on SQLite — the company
    table's list indexes are dropped and built again at the end: building an index over a
    million rows at once (a sort) takes seconds; keeping a dozen indexes up to date row by
    row, in random order, takes most of the import's time at that size.

    SQLite's schema changes are part of the transaction: if the import fails or is rejected,
    the rollback brings the indexes back with everything else; they are rebuilt from their
    own definitions, so the schema ends exactly as the migrations made it. Unique indexes and
    those the import's matching reads stay. Other connections keep reading the last commit
    (with its indexes) meanwhile (WAL), and the connection's page cache is raised.

    PostgreSQL keeps every index, and `insert_companies` writes (COPY) into a temporary
    staging table of this transaction instead of the company table; when the load ends
    without an error, one INSERT … SELECT moves every staged row into the company table,
    still inside the caller's transaction. Readers of companies thus meet the import's
    uncommitted rows only from that last statement to the commit: every index scan that
    meets an uncommitted row checks its transaction, which made lists of a table holding a
    million of them tens of times slower for the whole import. The staged rows take their
    ids from the company table's own sequence, so they keep them. On an error nothing is
    moved and the rollback takes the staging table with it. The import holds only ROW
    EXCLUSIVE on the company table, so other connections go on reading the last commit
    (MVCC) and never wait for it. (Dropping an index would lock the table, ACCESS EXCLUSIVE,
    until the commit: every reader of companies would wait for the import.)"""
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load must run inside a transaction")
    if connection.vendor == "sqlite":
        with _sqlite_bulk_load(rebuild_indexes):
            yield
    else:
        with _staged():
            yield


def staging_tables() -> list[str]:
    """PostgreSQL: the staging tables of bulk loads open in this connection's session."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema()"
            " AND relkind = 'r' AND relname LIKE %s",
            [f"{_STAGING_PREFIX}%"],
        )
        return [name for (name,) in cursor.fetchall()]


@contextmanager
def _staged():
    """PostgreSQL: new companies go to a staging table, moved into the company table at the end."""
    if _staging.get() is not None:
        raise RuntimeError("a bulk load is already open")
    quote = connection.ops.quote_name
    table, pk = Company._meta.db_table, Company._meta.pk.column
    # A name of its own, although the table is dropped at the end (or by the rollback): a
    # connection kept open between requests runs one import after another.
    staging = _STAGING_PREFIX + secrets.token_hex(6)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
        (sequence,) = cursor.fetchone()
        # LIKE copies columns, NOT NULL and defaults, not the identity: the id comes from
        # the company table's own sequence, so it is final and can be inserted as it is
        # (the company id is "generated by default"). No index: nothing reads this table
        # but the final move.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(staging)} (LIKE {quote(table)} INCLUDING DEFAULTS)"
            " ON COMMIT DROP"
        )
        literal = "'" + sequence.replace("'", "''") + "'"
        cursor.execute(
            f"ALTER TABLE {quote(staging)} ALTER COLUMN {quote(pk)}"
            f" SET DEFAULT nextval({literal}::regclass)"
        )
    token = _staging.set(staging)
    try:
        yield
        columns = ", ".join(quote(field.column) for field in Company._meta.concrete_fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM {quote(staging)}"
            )
            cursor.execute(f"DROP TABLE {quote(staging)}")
    finally:
        _staging.reset(token)


@contextmanager
def _sqlite_bulk_load(rebuild_indexes: bool):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        dropped = _drop_list_indexes(cursor) if rebuild_indexes else []
    try:
        yield
        with connection.cursor() as cursor:
            for sql in dropped:
                cursor.execute(sql)
    finally:
        # On the raw connection: after a failed statement Django refuses queries until the
        # rollback, but the connection should not keep the import's cache whatever happened.
        connection.connection.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _drop_list_indexes(cursor) -> list[str]:
    """SQLite: drop the company table's indexes that only lists read; return their CREATE statements."""
    table = Company._meta.db_table
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
        " AND sql IS NOT NULL",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(f"PRAGMA index_list({connection.ops.quote_name(table)})")
    unique = {row[1] for row in cursor.fetchall() if row[2]}
    dropped = []
    for name, sql in indexes:
        cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
        columns = [row[2] for row in cursor.fetchall()]
        if name in unique or columns[0] in MATCHING_COLUMNS:
            continue
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        dropped.append(sql)
    return dropped
