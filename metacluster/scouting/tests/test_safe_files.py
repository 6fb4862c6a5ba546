"""Uploaded register files are handled safely: a workbook that would unpack into far more
than it weighs is refused before it is opened, so memory does not grow; so is one with more
rows or columns than an import reads. Uploads are bounded by a setting, kept readable by
the server's user only, and deleted when their import ends."""

import os
import resource
import stat
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from metacluster.companies.models import Company
from metacluster.scouting import files
from metacluster.scouting.models import ImportJob

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    """Uploads of these tests wait in a directory of their own."""
    monkeypatch.setenv("METACLUSTER_IMPORT_DIR", str(tmp_path / "uploads"))


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)  # fmt: skip
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)  # fmt: skip
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Country</t></is></c></row>'
)
SHEET_END = "</sheetData></worksheet>"


def zip_bomb(path: Path, *, strings_mb: int = 150, rows_mb: int = 200) -> Path:
    """A valid workbook of about 1 MB that unpacks to some 350 MB: a shared-string table of
    identical long strings (which a reader keeps in memory) and a sheet of identical rows."""
    si = "<si><t>" + "A" * 100 + "</t></si>"
    row = '<row><c t="s"><v>0</v></c><c t="inlineStr"><is><t>EE</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):  # fmt: skip
            book.writestr(name, text)
        for name, start, piece, size, end in (
            ("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', si, strings_mb, "</sst>"),
            ("xl/worksheets/sheet1.xml", SHEET_START, row, rows_mb, SHEET_END),
        ):  # fmt: skip
            block = (piece * (MB // len(piece))).encode()
            with book.open(name, "w", force_zip64=True) as part:
                part.write(start.encode())
                for _ in range(size):
                    part.write(block)
                part.write(end.encode())
    return path


def workbook(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def upload(client, content: bytes, name: str):
    return client.post(
        reverse("scouting:import_new"),
        {"file": SimpleUploadedFile(name, content), "source": "register", "encoding": "utf-8"},
    )


def max_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def test_an_xlsx_zip_bomb_is_refused_before_memory_grows(client, advisor, tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    content = bomb.read_bytes()
    assert 0.5 * MB < len(content) < 2 * MB
    with zipfile.ZipFile(bomb) as book:
        assert sum(info.file_size for info in book.infolist()) > 300 * MB
    client.force_login(advisor)
    # Warm up: the first request of a process imports the pages' modules and loads their data
    # (some 75 MB, once); the measure is of the upload alone.
    client.get(reverse("scouting:import_new"))
    upload(client, b"Name,Country\nPohja OU,EE\n", "warm-up.csv")
    ImportJob.objects.all().delete()
    rss_before = max_rss_bytes()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        response = upload(client, content, "register.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = response.content.decode()
    assert response.status_code == 200
    assert "unpacks to more than" in page, page[:3000]
    assert peak - before < 50 * MB
    assert max_rss_bytes() - rss_before < 50 * MB
    assert not ImportJob.objects.exists()
    assert not list(files.upload_dir().glob("*.xlsx")), "the refused upload is not kept"


def test_a_workbook_wider_than_an_import_reads_is_refused(client, advisor, tmp_path):
    wide = workbook(tmp_path / "wide.xlsx", [[f"c{n}" for n in range(files.MAX_XLSX_COLUMNS + 1)]])
    client.force_login(advisor)
    page = upload(client, wide.read_bytes(), "wide.xlsx").content.decode()
    assert f"more than {files.MAX_XLSX_COLUMNS} columns" in page
    assert not ImportJob.objects.exists()


def test_a_workbook_longer_than_an_import_reads_is_refused(client, advisor, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_XLSX_ROWS", 5)
    rows = [["Name", "Country"]] + [[f"Firma {n} OÜ", "EE"] for n in range(5)]
    client.force_login(advisor)
    page = upload(client, workbook(tmp_path / "l.xlsx", rows).read_bytes(), "l.xlsx")
    assert "more than 5 rows" in page.content.decode()
    assert not ImportJob.objects.exists()


def test_an_ordinary_workbook_imports(client, advisor, tmp_path):
    rows = [["Name", "Country", "Town", "Founded"], ["Põhja Tarkvara OÜ", "EE", "Tallinn", 2015]]
    client.force_login(advisor)
    upload(client, workbook(tmp_path / "ok.xlsx", rows).read_bytes(), "ok.xlsx")
    job = ImportJob.objects.get()
    url = reverse("scouting:import_detail", args=[job.pk])
    form = {f"column_{field}": column for field, column in job.columns.items()}
    client.post(url, {**form, "mode": "valid_rows", "action": "check"})
    client.post(url, {"action": "commit"})
    company = Company.objects.get()
    assert (company.name, company.town, company.founded_year) == (
        "Põhja Tarkvara OÜ",
        "Tallinn",
        2015,
    )


@override_settings(SCOUTING_UPLOAD_MAX_MB=1)
def test_the_upload_limit_is_a_setting(client, advisor):
    client.force_login(advisor)
    big = b"Name,Country\n" + b"Firma OU,EE\n" * (MB // 10)
    page = upload(client, big, "big.csv").content.decode()
    assert "larger than 1 MB" in page and "import-companies" in page
    assert not ImportJob.objects.exists()


def test_the_upload_limit_comes_from_the_environment():
    from django.conf import settings

    assert settings.SCOUTING_UPLOAD_MAX_MB == int(os.environ.get("SCOUTING_UPLOAD_MAX_MB", 100))


CSV = "Name,Country,Town\nPõhja Tarkvara OÜ,EE,Tallinn\n".encode()


def uploaded_job(client, advisor, content=CSV) -> ImportJob:
    client.force_login(advisor)
    upload(client, content, "register.csv")
    return ImportJob.objects.get()


def test_an_upload_is_readable_by_the_server_user_only(client, advisor):
    job = uploaded_job(client, advisor)
    assert stat.S_IMODE(os.stat(job.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(files.upload_dir()).st_mode) == 0o700


def test_the_commands_copy_is_readable_by_the_server_user_only(advisor, tmp_path, monkeypatch):
    kept = []
    from metacluster.scouting import importing

    real_run = importing.run

    def run(job, **options):
        kept.append(stat.S_IMODE(os.stat(job.path).st_mode))
        return real_run(job, **options)

    monkeypatch.setattr(importing, "run", run)
    path = tmp_path / "r.csv"
    path.write_bytes(CSV)
    call_command("import_companies", str(path), "--source", "r", "--user", advisor.username)
    assert kept == [0o600]
    job = ImportJob.objects.get()
    assert job.status == "done" and not os.path.exists(job.path)
    assert path.exists(), "the command's own file is left alone"


def check(client, job, **extra):
    url = reverse("scouting:import_detail", args=[job.pk])
    form = {f"column_{field}": column for field, column in job.columns.items()}
    return client.post(url, {**form, "mode": "valid_rows", "action": "check", **extra})


def test_the_upload_is_kept_until_the_import_is_committed_then_deleted(client, advisor):
    job = uploaded_job(client, advisor)
    check(client, job)
    job.refresh_from_db()
    assert job.status == "checked" and os.path.exists(job.path)
    path = job.path
    client.post(reverse("scouting:import_detail", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done" and Company.objects.count() == 1
    assert not os.path.exists(path)


def test_a_rejected_import_keeps_its_file_to_be_checked_again(client, advisor):
    job = uploaded_job(client, advisor, CSV + b",EE,Tartu\n")
    url = reverse("scouting:import_detail", args=[job.pk])
    form = {f"column_{field}": column for field, column in job.columns.items()}
    client.post(url, {**form, "mode": "all_or_nothing", "action": "check"})
    client.post(url, {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "rejected" and os.path.exists(job.path)


def test_a_failed_import_deletes_its_file(client, advisor):
    job = uploaded_job(client, advisor)
    path = Path(job.path)
    path.write_bytes(b'Name,Country,Town\n"unclosed,EE\n' + b"x" * 200_000)  # csv.Error
    check(client, job)
    job.refresh_from_db()
    assert job.status == "failed" and not path.exists()
    page = client.get(reverse("scouting:import_detail", args=[job.pk])).content.decode()
    assert "Check the file" not in page  # nothing left to run


def test_a_cancelled_import_deletes_its_file(client, advisor, viewer):
    job = uploaded_job(client, advisor)
    check(client, job)
    url = reverse("scouting:import_detail", args=[job.pk])
    client.force_login(viewer)
    assert client.post(url, {"action": "cancel"}).status_code in (403, 404)
    assert os.path.exists(job.path)
    client.force_login(advisor)
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "failed" and "Cancelled" in job.message
    assert not os.path.exists(job.path) and not Company.objects.exists()
    assert client.post(url, {"action": "commit"}).status_code == 403


def test_a_file_gone_from_the_upload_directory_fails_the_job_clearly(client, advisor):
    job = uploaded_job(client, advisor)
    os.unlink(job.path)
    check(client, job)
    job.refresh_from_db()
    assert job.status == "failed" and "upload it again" in job.message
