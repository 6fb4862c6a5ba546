"""A register file is read in the encoding its importer chose, on the page and with the
command, so the letters of all four countries arrive as they were written; a file that is
not text in the chosen encoding is refused with a clear message, never imported with
replacement characters."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from metacluster.companies.models import Company
from metacluster.scouting.files import ENCODINGS
from metacluster.scouting.models import ImportJob
from metacluster.testing import token_client

pytestmark = pytest.mark.django_db

# One company per country, named with its country's own letters.
COMPANIES = {
    "SE": ("Åkeri och Tvätt i Östra Skärgården AB", "Sölvesborg"),
    "FI": ("Åbolands Äänekosken Öljy ja Sähkö Oy", "Hämeenlinna"),
    "EE": ("Pärnu Õlu, Öö ja Šokolaadi Žürii OÜ", "Võru"),
    "LV": ("Ģērbšanās Ķīmija un Čūsku Žāvētava Ļaudīm SIA", "Ņūkasla"),
}
LETTERS = {"SE": "åäö", "FI": "äöå", "EE": "õäöüšž", "LV": "āčēģīķļņšūž"}


def test_the_names_hold_every_letter_of_their_country():
    for country, letters in LETTERS.items():
        name, town = COMPANIES[country]
        assert set(letters) <= set((name + town).lower()), country


def representable(encoding: str) -> dict[str, tuple[str, str]]:
    """The companies whose names the encoding can hold (Windows-1257 and UTF-8: all four)."""
    found = {}
    for country, (name, town) in COMPANIES.items():
        try:
            (name + town).encode(encoding)
        except UnicodeEncodeError:
            continue
        found[country] = (name, town)
    return found


def register(encoding: str, companies=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Name", "Country", "Town"])
    for country, (name, town) in (companies or representable(encoding)).items():
        writer.writerow([name, country, town])
    return buffer.getvalue().encode(encoding)


def test_windows_1257_and_utf_8_hold_the_letters_of_all_four_countries():
    assert set(representable("cp1257")) == set(representable("utf-8")) == set(COMPANIES)


def upload(client, content: bytes, encoding: str, name="register.csv"):
    return client.post(
        reverse("scouting:import_new"),
        {"file": SimpleUploadedFile(name, content), "source": "register", "encoding": encoding},
    )


def check_and_commit(client, job: ImportJob) -> ImportJob:
    url = reverse("scouting:import_detail", args=[job.pk])
    form = {f"column_{field}": column for field, column in job.columns.items()}
    client.post(url, {**form, "mode": "all_or_nothing", "action": "check"})
    client.post(url, {"action": "commit"})
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_every_offered_encoding_imports_through_the_page(client, advisor, encoding):
    client.force_login(advisor)
    response = upload(client, register(encoding), encoding)
    job = ImportJob.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert job.encoding == encoding
    job = check_and_commit(client, job)
    assert job.status == "done", (job.message, job.errors)
    expected = {(name, town) for name, town in representable(encoding).values()}
    assert set(Company.objects.values_list("name", "town")) == expected
    # The API shows the same import, done without row errors.
    data = token_client(advisor).get(f"/api/v1/scouting/imports/{job.pk}").json()
    assert (data["status"], data["error_count"], data["counts"]["created"]) == (
        "done",
        0,
        len(expected),
    )


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_every_offered_encoding_imports_through_the_command(tmp_path, advisor, encoding):
    path = tmp_path / "register.csv"
    path.write_bytes(register(encoding))
    call_command("import_companies", str(path), "--source", "r", "--user", advisor.username,
                 "--encoding", encoding, "--all-or-nothing")  # fmt: skip
    expected = {(name, town) for name, town in representable(encoding).values()}
    assert set(Company.objects.values_list("name", "town")) == expected


def test_a_baltic_file_uploaded_as_utf_8_is_refused_with_a_clear_message(client, advisor):
    client.force_login(advisor)
    response = upload(client, register("cp1257"), "utf-8")
    page = response.content.decode()
    assert response.status_code == 200
    assert "not UTF-8 text" in page and "choose the file&#x27;s encoding" in page
    assert not ImportJob.objects.exists() and not Company.objects.exists()


def test_a_utf_8_file_uploaded_as_windows_1257_is_refused_not_mangled(client, advisor):
    client.force_login(advisor)
    response = upload(client, register("utf-8"), "cp1257")
    page = response.content.decode()
    assert response.status_code == 200 and "is UTF-8 text" in page, page[:3000]
    assert not ImportJob.objects.exists()


def test_a_bad_line_far_into_the_file_is_that_lines_error_without_replacement_characters(
    client, advisor
):
    """The upload checks the file's first 64 KB; a line beyond them that is not valid in the
    chosen encoding is reported as that line's error, and nothing of it is imported."""
    filler = "".join(f"Firma {n} OÜ;EE;Tartu\n" for n in range(4000)).encode()
    content = (
        register("utf-8", {"EE": COMPANIES["EE"]})
        + filler
        + "Ķīmija SIA;LV;Rīga\n".encode("cp1257")
    )
    assert len(content) > 70_000
    client.force_login(advisor)
    upload(client, content, "utf-8")
    job = check_and_commit(client, ImportJob.objects.get())
    assert job.status == "rejected"
    [error] = job.errors
    assert error["kind"] == "encoding" and error["line"] == 4003
    assert "not valid UTF-8" in error["message"]
    assert "\ufffd" not in str(job.errors)


def test_the_command_refuses_a_file_not_in_the_chosen_encoding(tmp_path, advisor):
    path = tmp_path / "register.csv"
    path.write_bytes(register("cp1257"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_companies", str(path), "--source", "r", "--user", advisor.username)
    assert not Company.objects.exists()


def test_a_utf_8_line_far_into_a_windows_1257_file_is_that_lines_error(client, advisor):
    filler = "".join(f"Firma {n} OÜ;EE;Tartu\n" for n in range(4000)).encode("cp1257")
    content = register("cp1257", {"LV": COMPANIES["LV"]}) + filler
    content += "Ķīmija SIA;LV;Rīga\n".encode()
    client.force_login(advisor)
    upload(client, content, "cp1257")
    job = check_and_commit(client, ImportJob.objects.get())
    assert job.status == "rejected"
    [error] = job.errors
    assert (error["line"], error["kind"]) == (4003, "encoding")
    assert "UTF-8 text, not Windows-1257" in error["message"]
