"""The company search's index on SQLite: an FTS5 table over `Company.search_text`.

PostgreSQL serves the search's `LIKE '% word%'` with a trigram index (migration
companies.0006); SQLite has no index for that and would read the column of every row — over a
second per search at a million companies. Here an FTS5 table, `companies_search`, indexes the
words of `search_text` by the company's id (an external-content table: it keeps the words'
index, not a second copy of the text), and triggers on the company table keep it in step with
every insert, update and delete, whoever writes: `save()`, the bulk import's raw `INSERT`s and
`UPDATE`s (`scouting/bulk.py`), `QuerySet.update()`/`delete()`, a test database's flush.

The `ascii` tokenizer splits only at ASCII characters that are not letters or digits: the
words of `search_text` (already folded, separated by single spaces) are its tokens exactly, so
`"word"*` ("a token starting with word") finds the same companies as `LIKE '% word%'`.

Migration companies.0007 creates the table and triggers; `ensure_index` runs after every
`migrate` as well, because SQLite's way of altering a table (copy into a new one, drop the old,
rename: Django's schema editor does it for most field changes) drops the old table's triggers:
it puts them back and rebuilds the index.
"""

from __future__ import annotations

TABLE = "companies_search"
COMPANIES = "companies_company"
TRIGGERS = {
    f"{TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON {COMPANIES} BEGIN
            INSERT INTO {TABLE} (rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    # An external-content table forgets a row by being told the words it indexed.
    f"{TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON {COMPANIES} BEGIN
            INSERT INTO {TABLE} ({TABLE}, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        END""",
    f"{TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF search_text ON {COMPANIES}
        WHEN old.search_text IS NOT new.search_text BEGIN
            INSERT INTO {TABLE} ({TABLE}, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
            INSERT INTO {TABLE} (rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}
# prefix: extra indexes of every word's first 2 and 3 characters, so that a short query word
# ("ka") reads one list instead of merging those of every word starting with it.
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(search_text, "
    f"content='{COMPANIES}', content_rowid='id', tokenize='ascii', prefix='2 3')"
)
REBUILD = f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')"


def match_query(words: list[str]) -> str:
    """The FTS5 query for companies where every word starts a word of their search text:
    ["gavle", "wi"] → '"gavle"* AND "wi"*'. Each word is a quoted string (a double quote
    inside doubled), so that nothing a user types — "-", "*", ":", "^", "(", "NEAR", "OR" —
    is read as FTS5 syntax."""
    return " AND ".join('"' + word.replace('"', '""') + '"*' for word in words)


def create_index(cursor) -> None:
    """Create the table and its triggers, and index the companies already recorded."""
    cursor.execute(CREATE_TABLE)
    for sql in TRIGGERS.values():
        cursor.execute(sql)
    cursor.execute(REBUILD)


def drop_index(cursor) -> None:
    for name in TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def ensure_index(connection) -> bool:
    """On SQLite, when the index exists (migration companies.0007 is applied) but a trigger
    is missing: put the triggers back and rebuild the index (True). Otherwise nothing (False)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)",
            [COMPANIES, TABLE, *TRIGGERS],
        )
        present = {name for (name,) in cursor.fetchall()}
        if {TABLE, COMPANIES} - present or present >= set(TRIGGERS):
            return False
        create_index(cursor)
    return True
