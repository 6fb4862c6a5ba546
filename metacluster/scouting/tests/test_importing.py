"""Importing register files: the preview, atomic commits, idempotent re-imports."""

import pytest
from django.db import connection

from metacluster.companies.models import Company
from metacluster.scouting.importing import run
from metacluster.scouting.models import DuplicateCandidate, ImportStatus

pytestmark = pytest.mark.django_db

GOOD = [
    ["Põhja Tarkvara OÜ", "12417834", "EE", "Tallinn", "62011", "12", "EE100931558"],
    ["Nordic Data AB", "556012-5790", "SE", "Kista", "62.01", "40", ""],
    ["Helsingin Ohjelmisto Oy", "0112038-9", "FI", "Helsinki", "6202", "8", ""],
]


def line_errors(job):
    return sorted((e["line"], e["kind"]) for e in job.errors)


def test_the_preview_counts_rows_and_writes_nothing(make_job):
    job = run(make_job(GOOD), commit=False)
    assert job.status == ImportStatus.CHECKED
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 0}
    assert not Company.objects.exists()


def test_every_row_error_kind_is_reported_with_its_line(make_job):
    rows = GOOD + [
        ["Bad Checksum OÜ", "12417835", "EE", "Tartu", "", "", ""],  # line 5
        ["Bad Nace OÜ", "", "EE", "Tartu", "99.99", "", ""],  # line 6
        ["Bad Vat OÜ", "", "EE", "Tartu", "", "", "EE12"],  # line 7
        ["Bad Staff OÜ", "", "EE", "Tartu", "", "-4", ""],  # line 8
        ["Bad Text P\ufffdhja", "", "EE", "Tartu", "", "", ""],  # line 9
        ["Twice OÜ", "12417834", "EE", "Tartu", "", "", ""],  # line 10: code of line 2
    ]
    job = run(make_job(rows), commit=False)
    assert line_errors(job) == [
        (5, "checksum"), (6, "nace"), (7, "vat"), (8, "employees"), (9, "encoding"),
        (10, "duplicate"),
    ]  # fmt: skip
    assert job.counts["created"] == 3 and job.error_count == 6


def test_a_badly_encoded_line_is_an_error_of_that_line_only(make_job, tmp_path):
    job = make_job(GOOD)
    with open(job.path, "ab") as file:
        file.write("Vale Kodeering OÜ,,EE,Pärnu,,,\n".encode("cp1257"))
    job = run(job, commit=False)
    assert line_errors(job) == [(5, "encoding")]


def test_valid_rows_mode_imports_the_good_rows(make_job, advisor):
    job = run(make_job(GOOD + [["Bad", "12417835", "EE", "", "", "", ""]]), commit=True)
    assert job.status == ImportStatus.DONE
    assert Company.objects.count() == 3
    company = Company.objects.get(registry_code="12417834")
    assert company.owner == advisor.organisation and company.source == "test register"
    assert company.nace_codes == ["62.01"] and company.name_key == "pohja tarkvara"


def test_all_or_nothing_with_one_bad_row_changes_nothing(make_job):
    job = run(
        make_job(GOOD + [["Bad", "12417835", "EE", "", "", "", ""]], mode="all_or_nothing"),
        commit=True,
    )
    assert job.status == ImportStatus.REJECTED
    assert not Company.objects.exists()


def test_reimporting_the_same_file_changes_nothing(make_job):
    run(make_job(GOOD), commit=True)
    before = list(Company.objects.order_by("pk").values())
    job = run(make_job(GOOD), commit=True)
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3, "skipped": 0, "errors": 0}
    assert list(Company.objects.order_by("pk").values()) == before


def test_a_company_listed_twice_without_its_code_is_imported_once(make_job):
    # Lines 5 and 6 are the same company, without a code, spelt differently.
    rows = GOOD + [
        ["Läänemere Andmed OÜ", "", "EE", "Tartu", "", "", ""],
        ["LAANEMERE ANDMED", "", "EE", "Tartu", "", "", ""],
    ]
    job = run(make_job(rows), commit=True)
    assert line_errors(job) == [(6, "duplicate")]
    assert Company.objects.filter(name_key="laanemere andmed").count() == 1


def test_reimporting_a_file_that_lists_a_company_both_ways_changes_nothing(make_job):
    # Line 5 is line 2's company again without its code: both are kept (the pair is offered
    # for review) and a re-import must not overwrite one spelling with the other.
    rows = GOOD + [["POHJA TARKVARA", "", "EE", "Tallinn", "62011", "12", ""]]
    run(make_job(rows), commit=True)
    before = list(Company.objects.order_by("pk").values())
    for name in ("again.csv", "and-again.csv"):
        job = run(make_job(rows, name=name), commit=True)
        assert job.counts == {
            "created": 0, "updated": 0, "unchanged": 4, "skipped": 0, "errors": 0,
        }  # fmt: skip
    assert list(Company.objects.order_by("pk").values()) == before


ARENDUS = ["Põhja Arendus OÜ", "", "EE", "Tartu", "", "", "EE100931558"]  # line 2's VAT, no code


# Whatever the chunks: a file's own companies are matched against its later lines in memory.
@pytest.mark.parametrize("chunk", [1, 5_000])
def test_a_later_line_with_the_vat_number_of_a_coded_line_and_no_code_is_that_company_again(
    make_job, monkeypatch, chunk
):
    from metacluster.scouting import importing

    monkeypatch.setattr(importing, "CHUNK", chunk)
    job = run(make_job(GOOD + [ARENDUS]), commit=True)
    assert line_errors(job) == [(5, "duplicate")]
    assert "the same company as line 2" in job.errors[0]["message"]
    assert job.counts["created"] == 3 and job.counts["updated"] == 0
    assert Company.objects.get(vat_number="EE100931558").name == "Põhja Tarkvara OÜ"


@pytest.mark.parametrize("chunk", [1, 5_000])
def test_a_later_coded_line_with_the_vat_number_of_a_line_without_code_is_that_company_again(
    make_job, monkeypatch, chunk
):
    from metacluster.scouting import importing

    monkeypatch.setattr(importing, "CHUNK", chunk)
    job = run(make_job([ARENDUS] + GOOD), commit=True)
    assert line_errors(job) == [(3, "duplicate")]
    assert "the same company as line 2" in job.errors[0]["message"]
    assert job.counts["created"] == 3
    assert Company.objects.get(vat_number="EE100931558").name == "Põhja Arendus OÜ"


@pytest.mark.parametrize("chunk", [1, 5_000])
def test_two_lines_with_one_vat_number_and_different_codes_are_two_companies(
    make_job, monkeypatch, chunk
):
    from metacluster.scouting import importing

    monkeypatch.setattr(importing, "CHUNK", chunk)
    teenused = ["Põhja Teenused OÜ", "10903128", "EE", "Tartu", "", "", "EE100931558"]
    job = run(make_job(GOOD + [teenused]), commit=True)
    assert job.errors == [] and job.counts["created"] == 4
    assert Company.objects.filter(vat_number="EE100931558").count() == 2


def test_after_a_merge_the_second_line_of_a_company_is_reported_not_applied(make_job, advisor):
    rows = GOOD + [["POHJA TARKVARA", "", "EE", "Tallinn", "62011", "12", ""]]
    run(make_job(rows), commit=True)
    kept = Company.objects.get(registry_code="12417834")
    Company.objects.filter(name="POHJA TARKVARA").update(merged_into=kept)
    job = run(make_job(rows, name="again.csv"), commit=True)
    assert line_errors(job) == [(5, "duplicate")]
    assert "line 2" in job.errors[0]["message"]
    kept.refresh_from_db()
    assert kept.name == "Põhja Tarkvara OÜ" and job.counts["updated"] == 0


def test_a_changed_row_updates_its_company(make_job):
    run(make_job(GOOD), commit=True)
    changed = [row[:] for row in GOOD]
    changed[1][5] = "45"
    job = run(make_job(changed), commit=True)
    assert job.counts["updated"] == 1 and job.counts["unchanged"] == 2
    company = Company.objects.get(country="SE")
    assert company.employees == 45 and company.version == 2


def test_an_update_writes_every_changed_field_and_imports_again_unchanged(make_job):
    run(make_job(GOOD), commit=True)
    changed = [row[:] for row in GOOD]
    changed[0][0], changed[0][4], changed[0][5] = "Põhja Tarkvara Grupp OÜ", "62020", "14"
    job = run(make_job(changed), commit=True)
    assert job.counts["updated"] == 1
    company = Company.objects.get(registry_code="12417834")
    assert (company.name, company.name_key) == ("Põhja Tarkvara Grupp OÜ", "pohja tarkvara grupp")
    assert company.nace_codes == ["62.02"] and company.nace_primary == "62.02"
    assert company.employees == 14 and company.version == 2
    again = run(make_job(changed, name="again.csv"), commit=True)
    assert again.counts["unchanged"] == 3 and again.counts["updated"] == 0


def test_imported_and_updated_companies_are_found_by_search(make_job):
    from metacluster.companies.listing import search

    run(make_job(GOOD), commit=True)  # written by the bulk writer, not Company.save()
    assert [c.name for c in search(Company.objects.all(), "kista")] == ["Nordic Data AB"]
    assert [c.name for c in search(Company.objects.all(), "poh tall")] == ["Põhja Tarkvara OÜ"]
    changed = [row[:] for row in GOOD]
    changed[1][3] = "Göteborg"
    run(make_job(changed, name="moved.csv"), commit=True)
    assert [c.name for c in search(Company.objects.all(), "goteborg")] == ["Nordic Data AB"]
    assert not search(Company.objects.all(), "kista").exists()


def test_another_organisations_company_is_skipped_not_changed(make_job, outsider):
    run(make_job(GOOD, user=outsider), commit=True)
    job = run(make_job([[*GOOD[0][:5], "999", ""]]), commit=True)
    assert job.counts["skipped"] == 1
    assert Company.objects.get(registry_code="12417834").employees == 12


def test_likely_duplicates_are_recorded_for_review(make_job):
    rows = GOOD + [["POHJA TARKVARA", "", "EE", "Tallinn", "", "", ""]]
    run(make_job(rows), commit=True)
    pair = DuplicateCandidate.objects.get()
    assert {pair.first.name, pair.second.name} == {"Põhja Tarkvara OÜ", "POHJA TARKVARA"}
    assert pair.reason == "name_town"


def test_the_estonian_register_layout_imports_without_mapping(make_job):
    header = ["nimi", "ariregistri_kood", "ettevotja_oiguslik_vorm", "kmkr_nr", "ettevotja_staatus",
              "ettevotja_esmakande_kpv", "ettevotja_aadress", "asukoht_ettevotja_aadressis",
              "indeks_ettevotja_aadressis"]  # fmt: skip
    rows = [["Põhja Tarkvara OÜ", "12417834", "Osaühing", "EE100931558", "R", "04.03.2015",
             "Harju maakond, Tallinn, Kesklinna linnaosa, Narva mnt 5", "Tallinn", "10117"]]  # fmt: skip
    job = make_job(rows, header=header)
    job.layout, job.default_country = "ee-ariregister", "EE"
    job.save()
    job = run(job, commit=True)
    assert job.counts["created"] == 1, job.errors
    company = Company.objects.get()
    assert (company.country, company.register_status, company.founded_year, company.legal_form) == (
        "EE", "active", 2015, "Osaühing",
    )  # fmt: skip


def test_a_large_import_refreshes_the_planners_statistics(make_job, monkeypatch):
    from metacluster.scouting import importing

    analysed = []
    monkeypatch.setattr(importing, "ANALYZE_AFTER", 2)
    monkeypatch.setattr(importing, "_analyze", lambda: analysed.append(True))
    run(make_job(GOOD), commit=True)
    assert analysed == [True]


# A load as big as the table drops the list indexes and builds them again at the end.


def company_indexes() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                [Company._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
                [Company._meta.db_table],
            )
        return sorted(cursor.fetchall())


@pytest.fixture
def bulk(monkeypatch):
    """Every import counts as a bulk load, however small its file."""
    from metacluster.scouting import importing

    monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 1)
    before = company_indexes()
    yield
    assert company_indexes() == before, "the schema must end as the migrations made it"


def test_a_bulk_load_imports_every_valid_row(make_job, bulk):
    job = run(make_job(GOOD + [["Bad", "12417835", "EE", "", "", "", ""]]), commit=True)
    assert job.status == ImportStatus.DONE
    assert job.counts["created"] == 3 and job.counts["errors"] == 1
    assert Company.objects.filter(name_key="pohja tarkvara", country="EE").count() == 1


def test_a_rejected_bulk_load_changes_nothing_and_keeps_the_indexes(make_job, bulk):
    job = run(
        make_job(GOOD + [["Bad", "12417835", "EE", "", "", "", ""]], mode="all_or_nothing"),
        commit=True,
    )
    assert job.status == ImportStatus.REJECTED
    assert not Company.objects.exists()


def test_a_bulk_load_imported_again_changes_nothing(make_job, bulk):
    run(make_job(GOOD), commit=True)
    before = list(Company.objects.order_by("pk").values())
    job = run(make_job(GOOD), commit=True)
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3, "skipped": 0, "errors": 0}
    assert list(Company.objects.order_by("pk").values()) == before


def test_a_bulk_load_that_fails_midway_rolls_back_with_its_indexes(make_job, bulk, monkeypatch):
    from metacluster.scouting import importing

    def broken(job, rows, *args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_apply", broken)
    with pytest.raises(RuntimeError):
        run(make_job(GOOD), commit=True)
    assert not Company.objects.exists()


def test_a_bulk_load_writes_without_the_list_indexes_but_keeps_those_it_matches_with(
    make_job, bulk, monkeypatch
):
    """SQLite only: on PostgreSQL dropping an index would lock readers out."""
    from django.db import connection

    from metacluster.scouting import importing

    apply = importing._apply
    during = []

    def observed(*args):
        during.append({name for name, _sql in company_indexes()})
        apply(*args)

    monkeypatch.setattr(importing, "_apply", observed)
    before = {name for name, _sql in company_indexes()}
    run(make_job(GOOD), commit=True)
    (while_loading,) = during
    if connection.vendor == "postgresql":  # no lock on readers: every index stays
        assert while_loading == before
        return
    assert "company_name_idx" in before and "company_name_idx" not in while_loading
    assert "company_country_nace_idx" not in while_loading
    # Uniqueness still holds, and matching rows to companies still reads an index.
    assert {"company_registry_code_idx", "company_vat_idx"} <= while_loading
    assert any("unique_registry_code" in name for name in while_loading)
    assert {name for name, _sql in company_indexes()} == before


def test_an_import_into_a_table_another_transaction_reads_does_not_wait_for_it(
    make_job, bulk, monkeypatch
):
    import psycopg
    from django.db import connection

    from metacluster.scouting import importing

    if connection.vendor != "postgresql":
        pytest.skip("SQLite readers never wait for a writer (WAL)")
    apply = importing._apply
    during = []

    def observed(*args):
        during.append({name for name, _sql in company_indexes()})
        apply(*args)

    monkeypatch.setattr(importing, "_apply", observed)
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
        port=settings["PORT"] or None, password=settings["PASSWORD"] or None,
    ) as reader:  # fmt: skip
        reader.execute(f"LOCK TABLE {Company._meta.db_table} IN ACCESS SHARE MODE")
        reader.execute("SET lock_timeout = '2s'")
        job = run(make_job(GOOD), commit=True)
    assert job.status == ImportStatus.DONE and job.counts["created"] == 3
    assert "company_name_idx" in during[0]


def test_an_import_gives_back_the_connections_page_cache(make_job):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        run(make_job(GOOD), commit=True)
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone() == (before,)


def test_small_files_into_a_big_table_keep_their_indexes_up_to_date(make_job, monkeypatch):
    from django.db import connection

    from metacluster.scouting import importing

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL never rebuilds the indexes (that would lock readers out)")

    monkeypatch.setattr(importing, "BULK_LOAD_ROWS", 1)
    assert importing._is_bulk_load(make_job(GOOD, name="first.csv"))  # into an empty table
    run(make_job(GOOD), commit=True)
    assert not importing._is_bulk_load(make_job(GOOD[:1], name="one.csv"))
    assert importing._is_bulk_load(make_job(GOOD, name="three.csv"))  # as many as the table
    assert importing._is_bulk_load(make_job(GOOD + GOOD, name="six.csv"))


@pytest.mark.django_db(transaction=True)  # real commits: other connections see only those
def test_readers_of_the_company_list_never_wait_for_an_import(make_job, bulk, monkeypatch):
    """While an import's transaction is open with all its rows written (held just before its
    commit), another connection counts the companies and reads a company-list page at once,
    seeing the table as it was; after the commit it sees every imported row."""
    import threading

    from django.db import connection

    from metacluster.companies.listing import CappedPaginator, sort_companies
    from metacluster.scouting import importing

    if connection.vendor != "postgresql":
        pytest.skip("SQLite readers never wait for a writer (WAL)")
    job = make_job(GOOD)
    reader = job.created_by
    run(make_job(GOOD[:1], name="earlier.csv"), commit=True)  # one company already committed
    seen = {}

    def read():
        from django.db import connection as own  # this thread's own connection

        try:
            with own.cursor() as cursor:
                cursor.execute("SET statement_timeout = '2s'")
                cursor.execute("SET lock_timeout = '2s'")
                cursor.execute(f"SELECT count(*) FROM {Company._meta.db_table}")
                seen["count"] = cursor.fetchone()[0]
            companies = sort_companies(Company.objects.visible_to(reader).current(), None)
            page = CappedPaginator(companies, 50).get_page(1)
            seen["page"] = [company.name for company in page]
        except Exception as error:  # a statement cancelled after waiting 2 s
            seen["error"] = error
        finally:
            own.close()

    process = importing._process

    def held_before_commit(*args, **kwargs):
        outcome = process(*args, **kwargs)
        assert connection.in_atomic_block
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
        return outcome

    monkeypatch.setattr(importing, "_process", held_before_commit)
    job = run(job, commit=True)
    assert "error" not in seen, f"a reader waited for the import: {seen.get('error')}"
    assert seen == {"count": 1, "page": ["Põhja Tarkvara OÜ"]}
    assert job.status == ImportStatus.DONE and job.counts["created"] == 2
    assert sorted(Company.objects.values_list("name", flat=True)) == sorted(r[0] for r in GOOD)
    if connection.vendor == "postgresql":  # gone with the commit
        from metacluster.scouting.bulk import staging_tables

        assert staging_tables() == []


# PostgreSQL: new companies are staged and moved into the company table by one last statement.

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL stages new companies"
)


def staged_rows() -> int:
    from metacluster.scouting.bulk import staging_tables

    (staging,) = staging_tables()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(staging)}")
        return cursor.fetchone()[0]


@needs_postgres
def test_new_companies_reach_the_company_table_only_when_the_import_ends(make_job, monkeypatch):
    """Readers meet an import's uncommitted rows only from its last statement on: until then
    the company table has not grown, not even as the importing transaction sees it."""
    from metacluster.scouting import importing

    monkeypatch.setattr(importing, "CHUNK", 1)
    run(make_job(GOOD[:1], name="earlier.csv"), commit=True)
    rows = GOOD + [ARENDUS[:1] + ["", "EE", "Pärnu", "", "", ""]]
    during = []
    job = run(
        make_job(rows),
        commit=True,
        progress=lambda fraction: during.append((Company.objects.count(), staged_rows())),
    )
    assert {in_table for in_table, _staged in during} == {1}
    assert [staged for _in_table, staged in during][-1] == 3  # line 2: the earlier company
    assert job.status == ImportStatus.DONE and job.counts["created"] == 3
    assert Company.objects.count() == 4


@needs_postgres
def test_staged_companies_keep_ids_of_the_company_table_and_the_staging_table_goes(
    make_job, advisor
):
    from metacluster.scouting.bulk import staging_tables

    first = run(make_job(GOOD[:2], name="first.csv"), commit=True)
    assert staging_tables() == []
    second = run(make_job(GOOD[2:], name="second.csv"), commit=True)  # the same session
    assert staging_tables() == []
    assert (first.counts["created"], second.counts["created"]) == (2, 1)
    ids = list(Company.objects.values_list("pk", flat=True))
    assert len(set(ids)) == 3
    later = Company.objects.create(name="Later OÜ", country="EE", owner=advisor.organisation)
    assert later.pk > max(ids)  # the ids were drawn from the company table's own sequence


@needs_postgres
@pytest.mark.parametrize("ending", ["rejected", "failed"])
def test_an_import_that_does_not_commit_moves_nothing_and_leaves_no_staging_table(
    make_job, monkeypatch, ending
):
    from metacluster.scouting import importing
    from metacluster.scouting.bulk import staging_tables

    monkeypatch.setattr(importing, "CHUNK", 1)
    staged = []

    def progress(fraction):
        staged.append(staged_rows())
        if ending == "failed" and staged[-1] == 2:
            raise RuntimeError("disk full")

    bad = ["Bad", "12417835", "EE", "", "", "", ""]
    job = make_job(GOOD + [bad], mode="all_or_nothing")
    if ending == "failed":
        with pytest.raises(RuntimeError):
            run(job, commit=True, progress=progress)
    else:
        assert run(job, commit=True, progress=progress).status == ImportStatus.REJECTED
    assert max(staged) >= 2  # rows had been staged
    assert not Company.objects.exists()
    assert staging_tables() == []
    assert run(make_job(GOOD, name="again.csv"), commit=True).counts["created"] == 3


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_after_a_large_import_the_company_table_is_vacuumed_so_counts_read_the_index(
    make_job, monkeypatch
):
    from metacluster.scouting import importing

    def vacuumed_and_analysed():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = %s",
                [Company._meta.db_table],
            )
            return cursor.fetchone()

    before = vacuumed_and_analysed()
    monkeypatch.setattr(importing, "ANALYZE_AFTER", 2)
    run(make_job(GOOD), commit=True)

    after = vacuumed_and_analysed()
    assert after[0] is not None and after[0] != before[0]
    assert after[1] is not None and after[1] != before[1]
