"""Specification of "New programme from…" in the UI and the set-up download."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from metacluster.conftest import PASSWORD
from metacluster.programmes.models import Programme
from metacluster.programmes.setup_file import dumps, export_setup


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form(source="", **extra):
    return {
        "source": source,
        "name": "Second Round",
        "acronym": "",
        "start_date": "2027-01-01",
        "end_date": "2029-12-31",
        "targets": "keep",
        "scale_percent": "100",
        "services": "on",
        **extra,
    }


def test_a_manager_starts_a_programme_from_one_of_theirs_with_scaled_targets(
    client, manager, programme, nonfin_indicator, coaching
):
    nonfin_indicator.target = 40
    nonfin_indicator.save()
    response = login(client, manager).post(
        "/programmes/new/from/",
        form(f"programme:{programme.pk}", targets="scale", scale_percent="50"),
    )
    new = Programme.objects.get(name="Second Round")
    assert response.status_code == 302 and response["Location"] == "/programmes/second-round/edit/"
    assert new.lead == manager.organisation
    assert new.indicators.get(code="SME-NONFIN").target == 20
    assert new.services.get().name == coaching.name


def test_a_manager_starts_a_programme_from_a_template(client, manager):
    login(client, manager).post("/programmes/new/from/", form("template:smart-city-consortia"))
    new = Programme.objects.get(name="Second Round")
    assert new.indicators.filter(code="CONSORTIA").exists()
    assert {s.provider for s in new.services.all()} == {manager.organisation}


def test_a_manager_starts_a_programme_from_an_uploaded_file(client, manager, programme):
    text = dumps(export_setup(programme))
    upload = SimpleUploadedFile("setup.json", text.encode(), content_type="application/json")
    response = login(client, manager).post(
        "/programmes/new/from/", form(setup_file=upload, targets="clear")
    )
    assert response.status_code == 302
    assert Programme.objects.filter(name="Second Round").exists()


def test_a_broken_file_is_explained_and_nothing_is_created(client, manager):
    upload = SimpleUploadedFile("setup.json", b'{"format": "x"}')
    response = login(client, manager).post("/programmes/new/from/", form(setup_file=upload))
    assert response.status_code == 200
    assert "Not a programme set-up file" in response.content.decode()
    assert not Programme.objects.filter(name="Second Round").exists()


def test_an_outsiders_programme_is_not_a_source(client, manager, outsider_programme):
    response = login(client, manager).post(
        "/programmes/new/from/", form(f"programme:{outsider_programme.pk}")
    )
    assert response.status_code == 200
    assert not Programme.objects.filter(name="Second Round").exists()


def test_an_advisor_may_not_start_programmes(client, advisor):
    assert login(client, advisor).get("/programmes/new/from/").status_code == 403


def test_managers_download_the_set_up_and_outsiders_cannot(client, manager, outsider, programme):
    response = login(client, manager).get(f"/programmes/{programme.acronym}/setup.json")
    assert json.loads(response.content)["format"] == "metacluster-programme-setup"
    client.logout()
    response = login(client, outsider).get(f"/programmes/{programme.acronym}/setup.json")
    assert response.status_code == 404
