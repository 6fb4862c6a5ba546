"""Imports through the API: a multipart upload answers 202 with the job, whose state and
progress are then polled; bad input is a clear 400 and nothing is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metacluster.companies.models import Company
from metacluster.scouting.models import ImportJob
from metacluster.testing import assert_error, token_client

pytestmark = pytest.mark.django_db

LATVIAN = "Rīgas Ēdināšanas Šķūnis SIA"
ESTONIAN = "Pärnu Õlletööstus OÜ"


def cp1257_register() -> bytes:
    text = f"Name;Country;Town\n{LATVIAN};LV;Rēzekne\n{ESTONIAN};EE;Pärnu\n"
    return text.encode("cp1257")


def post_import(user, content: bytes, **fields):
    upload = SimpleUploadedFile("register.csv", content, content_type="text/csv")
    return token_client(user).post(
        "/api/v1/scouting/imports", {"file": upload, "source": "baltic register", **fields}
    )


def test_a_windows_1257_file_is_imported_with_its_baltic_letters(advisor):
    response = post_import(advisor, cp1257_register(), encoding="cp1257")

    assert response.status_code == 202, response.json()
    job = response.json()
    assert job["source"] == "baltic register" and 0 <= job["progress"] <= 1
    polled = token_client(advisor).get(f"/api/v1/scouting/imports/{job['id']}").json()
    assert polled["status"] == "done" and polled["progress"] == 1, polled
    assert polled["counts"]["created"] == 2 and polled["error_count"] == 0, polled
    assert set(Company.objects.values_list("name", "town")) == {
        (LATVIAN, "Rēzekne"),
        (ESTONIAN, "Pärnu"),
    }


def test_check_only_writes_nothing(advisor):
    response = post_import(advisor, cp1257_register(), encoding="cp1257", check_only="true")

    assert response.status_code == 202
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == "checked" and job.counts["created"] == 2
    assert not Company.objects.exists()


def test_bad_input_is_a_clear_error_and_keeps_nothing(advisor):
    not_a_table = post_import(advisor, b"\x00\x01\x02 binary", encoding="utf-8")
    assert_error(not_a_table, 400)
    unknown_encoding = post_import(advisor, cp1257_register(), encoding="ebcdic")
    assert unknown_encoding.status_code in (400, 422)
    unknown_country = post_import(advisor, cp1257_register(), encoding="cp1257", country="QQ")
    assert_error(unknown_country, 400)
    assert not ImportJob.objects.exists() and not Company.objects.exists()


def test_viewers_sme_users_and_outsiders_cannot_import_or_see_imports(
    advisor, viewer, sme_user, outsider
):
    assert_error(post_import(viewer, cp1257_register(), encoding="cp1257"), 403)
    assert_error(post_import(sme_user, cp1257_register(), encoding="cp1257"), 403)
    job_id = post_import(advisor, cp1257_register(), encoding="cp1257").json()["id"]
    assert_error(token_client(outsider).get(f"/api/v1/scouting/imports/{job_id}"), 404)
