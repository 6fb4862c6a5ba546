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
