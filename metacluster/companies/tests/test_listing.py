"""Company lists at scale: what a search finds, the order it comes in, and the SQLite
connection settings lists and imports rely on."""

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from metacluster.companies import fulltext, listing
from metacluster.companies.listing import filter_companies, search, sort_companies
from metacluster.companies.models import Company
from metacluster.core.scouting.names import search_words

pytestmark = pytest.mark.django_db


def names(data, sort=None):
    companies = filter_companies(Company.objects.all(), data)
    return [c.name for c in sort_companies(companies, sort)]


@pytest.fixture
def kalomis(lead_org):
    for name, code in [("Kalomi Data OÜ", "10000001"), ("AB Kalomi", ""),
                       ("Kalomira Labs", ""), ("Kalo Mi Design", ""), ("10000001 Sensors", "")]:  # fmt: skip
        Company.objects.create(name=name, country="EE", registry_code=code, owner=lead_org)


def test_a_name_search_comes_in_the_order_of_the_normalised_name(kalomis):
    # normalised: "kalomi", "kalomi data", "kalomira labs" — the legal form does not count
    assert names({"q": "kalomi"}) == ["AB Kalomi", "Kalomi Data OÜ", "Kalomira Labs"]
    assert names({"q": "KALOMI"}, "-name") == ["Kalomira Labs", "Kalomi Data OÜ", "AB Kalomi"]


def test_without_a_search_lists_are_by_name(kalomis):
    assert names({})[:3] == ["10000001 Sensors", "AB Kalomi", "Kalo Mi Design"]


def test_a_search_finds_a_registry_code_and_names_starting_with_it(kalomis):
    assert names({"q": "10000001"}) == ["10000001 Sensors", "Kalomi Data OÜ"]
    assert names({"q": "10000001", "country": "EE", "nace": "62"}) == []


def test_a_search_without_letters_or_digits_finds_nothing(kalomis):
    assert names({"q": "--"}) == []


@pytest.fixture
def nordics(lead_org):
    for name, town, code, description in [
        ("Norrsken Mekaniska AB", "Gävle", "5560001111", "Precision parts for wind turbines."),
        ("Rīgas Koks SIA", "Rīga", "40003000111", "Sawmill and timber."),
        ("Pärnu Paadid OÜ", "Pärnu", "12000111", "Boats built to order; wind-resistant hulls."),
        ("Wind Øst ApS", "Århus", "DK30001111", ""),
        ("Turbine Labs Oy", "Oulu", "1234567-8", "Sensors for Gävle's mills."),
    ]:
        Company.objects.create(name=name, country="SE", town=town, registry_code=code,
                               description=description, owner=lead_org)  # fmt: skip


@pytest.mark.parametrize(
    "query, found",
    [
        ("gavle", ["Norrsken Mekaniska AB", "Turbine Labs Oy"]),  # town, then a description
        ("GÄVLE", ["Norrsken Mekaniska AB", "Turbine Labs Oy"]),
        ("parnu", ["Pärnu Paadid OÜ"]),
        ("riga", ["Rīgas Koks SIA"]),  # the start of a word: "Rīgas"
        ("rīga", ["Rīgas Koks SIA"]),
        ("arhus", ["Wind Øst ApS"]),
        ("ost", ["Wind Øst ApS"]),
        ("12000111", ["Pärnu Paadid OÜ"]),  # registry code
        ("1234567-8", ["Turbine Labs Oy"]),  # punctuation in a code is a word break
        ("timber", ["Rīgas Koks SIA"]),  # description
        ("turbines", ["Norrsken Mekaniska AB"]),
        ("urbine", []),  # words are matched from their start
    ],
)
def test_search_finds_any_word_accents_folded(nordics, query, found):
    assert sorted(names({"q": query})) == sorted(found)


def test_every_word_of_a_search_must_match(nordics):
    assert names({"q": "wind gavle"}) == ["Norrsken Mekaniska AB"]
    assert names({"q": "wind nowhere"}) == []


def test_name_matches_come_before_other_matches(nordics):
    # "Wind Øst" has it in its name; the other two only in their descriptions
    assert names({"q": "wind"}) == ["Wind Øst ApS", "Norrsken Mekaniska AB", "Pärnu Paadid OÜ"]
    assert names({"q": "turbine"}) == ["Turbine Labs Oy", "Norrsken Mekaniska AB"]


def test_editing_a_company_updates_what_search_finds(nordics):
    company = Company.objects.get(name="Wind Øst ApS")
    company.town = "Ålborg"
    company.save(update_fields=["town"])
    assert names({"q": "alborg"}) == ["Wind Øst ApS"]
    assert names({"q": "arhus"}) == []


# What people type into a search box, FTS5's syntax included.
TYPED = st.lists(
    st.sampled_from(
        [
            '"',
            "*",
            "-",
            "(",
            ")",
            ":",
            "^",
            "+",
            "'",
            "NEAR",
            "OR",
            "AND",
            "NOT",
            "near(",
            "name:",
            "{",
            "}",
            " ",
            "wi",
            "gäv",
            "GAVLE",
            "Ø",
            "ri",
            "12000",
            "1234567-8",
            "\u0301",
            "ﬁ",
            "ß",
        ]
    )  # fmt: skip
    | st.text(max_size=6),
    max_size=8,
).map("".join)


def test_search_typed_at_random_never_fails_and_finds_what_the_column_holds(nordics):
    every = Company.objects.all()

    @given(TYPED)
    @settings(max_examples=150, deadline=None)
    def check(text):
        found = set(search(every, text).values_list("pk", flat=True))
        words = search_words(text)
        if text.strip() and words:
            assert found == set(every.filter(listing._like(words)).values_list("pk", flat=True))

    check()


def test_the_words_of_a_search_are_never_read_as_fts_syntax():
    assert fulltext.match_query(["near", "or", "a"]) == '"near"* AND "or"* AND "a"*'
    assert fulltext.match_query(['say"no']) == '"say""no"*'


def fts_consistent() -> bool:
    """SQLite's full-text index holds exactly the words of every company's search text."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {fulltext.TABLE} ({fulltext.TABLE}, rank) VALUES ('integrity-check', 1)")  # fmt: skip
    return True


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the full-text index is SQLite's")


def found(text):
    return sorted(c.name for c in search(Company.objects.all(), text))


def test_the_index_follows_every_way_companies_are_written(sqlite_only, lead_org):
    from metacluster.scouting.bulk import insert_companies, update_companies

    values = {"name": "Kesko Robotics Oy", "country": "FI", "town": "Oulu", "nace_codes": []}
    insert_companies([values], owner_id=lead_org.pk, source="bulk")  # raw INSERT
    assert found("kesko oulu") == ["Kesko Robotics Oy"]
    company = Company.objects.get()
    company.town = "Espoo"
    company.derive()
    update_companies([company], ["town", "search_text"])  # raw UPDATE
    assert found("kesko espoo") == ["Kesko Robotics Oy"] and found("oulu") == []
    Company.objects.update(search_text=" renamed ")  # QuerySet.update
    assert found("renamed") == ["Kesko Robotics Oy"] and found("kesko") == []
    Company.objects.create(name="Other Oy", country="FI", owner=lead_org)  # save()
    Company.objects.filter(name="Other Oy").delete()
    assert found("other") == []
    assert fts_consistent()


def test_a_rebuilt_company_table_gets_its_index_back_after_migrate(sqlite_only, nordics):
    # SQLite alters a table by copying it into a new one: the old one's triggers go with it.
    with connection.cursor() as cursor:
        for name in fulltext.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    Company.objects.filter(town="Oulu").update(town="Kemi", search_text=" turbine labs kemi ")
    assert found("kemi") == []  # nothing keeps the index up to date
    assert fulltext.ensure_index(connection)  # what runs after every migrate
    assert found("kemi") == ["Turbine Labs Oy"]
    assert fts_consistent()
    assert not fulltext.ensure_index(connection)  # all there: nothing to do


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_the_index_survives_emptying_the_database_between_tests(run):
    # The test database is emptied with DELETE after each of these (no rollback): the
    # second run finds only its own company, and the index agrees with the table.
    from metacluster.accounts.models import Organisation

    org = Organisation.objects.create(name=f"Org {run}", kind="cluster", country="SE")
    Company.objects.create(name=f"Flushed {run} AB", country="SE", owner=org)
    assert found("flushed") == [f"Flushed {run} AB"]
    if connection.vendor == "sqlite":
        assert fts_consistent()


def test_sqlite_connections_write_ahead_and_still_roll_back(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's connection settings")
    from django.db.backends.sqlite3.base import DatabaseWrapper

    # A file database (the test database lives in memory, where there is no journal).
    other = DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")})
    try:
        with other.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone() == (1,)  # NORMAL
            cursor.execute("CREATE TABLE kept (x)")
            cursor.execute("INSERT INTO kept VALUES (1)")
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("INSERT INTO kept VALUES (2)")
        other.rollback()
        other.set_autocommit(True)
        with other.cursor() as cursor:
            cursor.execute("SELECT x FROM kept")
            assert cursor.fetchall() == [(1,)]
    finally:
        other.close()
