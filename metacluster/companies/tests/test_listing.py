"""Company lists at scale: what a search finds, the order it comes in, and the SQLite
connection settings lists and imports rely on."""

import pytest
from django.db import connection

from metacluster.companies.listing import filter_companies, sort_companies
from metacluster.companies.models import Company

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
