"""The public register layouts: files as the Estonian, Latvian, Finnish and Swedish registers
publish them (header as published, rows fictional: see registers/README.md) are recognised,
every column either fills a field or is knowingly left out, and they import without any
mapping by hand."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metacluster.companies.models import Company
from metacluster.core.scouting import guess_mapping, recognise_layout
from metacluster.core.scouting.columns import LAYOUTS, with_derived
from metacluster.scouting.files import Table
from metacluster.scouting.models import ImportJob

REGISTERS = Path(__file__).parent / "registers"
FILES = {
    "ee-ariregister": "ee_ariregister_lihtandmed.csv",
    "lv-ur": "lv_ur_register.csv",
    "fi-ytj": "fi_ytj_companies.csv",
    "se-bolagsverket": "se_bolagsverket_bulkfil.txt",
}


@pytest.mark.parametrize("layout", FILES)
def test_each_register_file_is_recognised_and_every_column_accounted_for(layout):
    headers = Table(str(REGISTERS / FILES[layout])).headers
    assert recognise_layout(headers) == layout
    headers = with_derived(headers)
    mapping = guess_mapping(headers)
    declared = LAYOUTS[layout]["columns"]
    assert {field: mapping.get(field) for field in declared} == declared
    used, unread = set(mapping.values()), set(LAYOUTS[layout]["unread"])
    assert not used & unread
    assert set(headers) == used | unread, "a column neither read nor knowingly left out"


def test_the_layouts_do_not_take_each_others_files():
    for layout, name in FILES.items():
        headers = Table(str(REGISTERS / name)).headers
        others = {key: spec for key, spec in LAYOUTS.items() if key != layout}
        for key, spec in others.items():
            present = {h.lower() for h in headers}
            assert not all(c.lower() in present for c in spec["signature"]), (layout, key)


def import_through_the_page(client, advisor, content: bytes, name: str) -> ImportJob:
    client.force_login(advisor)
    response = client.post(
        reverse("scouting:import_new"),
        {"file": SimpleUploadedFile(name, content), "source": name, "encoding": "utf-8"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.get(source=name)
    url = reverse("scouting:import_detail", args=[job.pk])
    # The mapping as the page offers it, confirmed unchanged.
    form = {f"column_{field}": column for field, column in job.columns.items()}
    client.post(url, {**form, "mode": "all_or_nothing", "action": "check"})
    client.post(url, {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done", (job.message, job.errors)
    return job


def facts(registry_code: str) -> dict:
    company = Company.objects.get(registry_code=registry_code)
    return {
        name: getattr(company, name)
        for name in (
            "name",
            "country",
            "town",
            "address",
            "postcode",
            "legal_form",
            "register_status",
            "founded_year",
            "nace_codes",
            "employees",
            "website",
            "description",
        )  # fmt: skip
    }


@pytest.mark.django_db
def test_the_estonian_register_imports_town_address_and_status(client, advisor):
    content = (REGISTERS / FILES["ee-ariregister"]).read_bytes()
    job = import_through_the_page(client, advisor, content, "ee.csv")
    assert job.layout == "ee-ariregister" and job.counts["created"] == 3
    assert facts("12417834") | {} == {
        "name": "Põhja Tarkvara OÜ", "country": "EE", "town": "Tallinn",
        "address": "Narva mnt 5", "postcode": "10117", "legal_form": "Osaühing",
        "register_status": "active", "founded_year": 2015, "nace_codes": [],
        "employees": None, "website": "", "description": "",
    }  # fmt: skip
    assert (facts("14182039")["town"], facts("14182039")["register_status"]) == (
        "Tartu",
        "liquidation",
    )
    assert facts("16000120")["town"] == "Viimsi küla"


@pytest.mark.django_db
def test_an_estonian_extract_with_head_counts_and_activity_codes_maps_them_too(client, advisor):
    """The issue's case: the register's columns joined with the tax board's head count and
    EMTAK code; the layout is recognised and the extra columns still map by their names."""
    lines = (REGISTERS / FILES["ee-ariregister"]).read_text(encoding="utf-8").splitlines()
    extra = ["emtak_kood;tootajate_arv", "62011;12", "63111;4", "10821;25"]
    content = "\n".join(f"{line};{more}" for line, more in zip(lines, extra, strict=True))
    job = import_through_the_page(client, advisor, content.encode(), "ee-emtak.csv")
    assert job.layout == "ee-ariregister"
    assert (job.columns["nace_codes"], job.columns["employees"]) == ("emtak_kood", "tootajate_arv")
    company = facts("12417834")
    assert (company["nace_codes"], company["employees"], company["town"]) == (
        ["62.01"],
        12,
        "Tallinn",
    )


@pytest.mark.django_db
def test_the_latvian_register_imports(client, advisor):
    content = (REGISTERS / FILES["lv-ur"]).read_bytes()
    job = import_through_the_page(client, advisor, content, "lv.csv")
    assert job.layout == "lv-ur" and job.counts["created"] == 2
    active = facts("40003123453")
    assert (active["name"], active["country"], active["town"], active["postcode"]) == (
        'SIA "Ķekavas Ūdeņi"', "LV", "Ķekava", "LV-2123",
    )  # fmt: skip
    assert (active["legal_form"], active["register_status"], active["founded_year"]) == (
        "SIA",
        "active",
        2011,
    )
    assert facts("40103987655")["register_status"] == "deleted"
    assert (active["address"], facts("40103987655")["town"]) == ("Ķekava, Rīgas iela 10", "Cēsis")


@pytest.mark.django_db
def test_the_finnish_ytj_data_imports(client, advisor):
    content = (REGISTERS / FILES["fi-ytj"]).read_bytes()
    job = import_through_the_page(client, advisor, content, "fi.csv")
    assert job.layout == "fi-ytj" and job.counts["created"] == 2
    company = facts("2731046-3")
    assert company | {} == {
        "name": "Åbolands Äänekosken Öljy ja Sähkö Oy", "country": "FI", "town": "Hämeenlinna",
        "address": "Hämeenkatu 3", "postcode": "13100", "legal_form": "OY",
        "register_status": "active", "founded_year": 2016, "nace_codes": ["62.01"],
        "employees": None, "website": "https://www.aanekosken-oljy.example", "description": "",
    }  # fmt: skip
    assert facts("1234567-1")["register_status"] == "deleted"


@pytest.mark.django_db
def test_the_swedish_bulk_file_imports(client, advisor):
    content = (REGISTERS / FILES["se-bolagsverket"]).read_bytes()
    job = import_through_the_page(client, advisor, content, "se.txt")
    assert job.layout == "se-bolagsverket" and job.counts["created"] == 3
    company = facts("5560125790")
    assert company | {} == {
        "name": "Åkeri och Tvätt i Östra Skärgården AB", "country": "SE", "town": "Sölvesborg",
        "address": "Storgatan 12", "postcode": "29431", "legal_form": "AB",
        "register_status": "active", "founded_year": 2001, "nace_codes": [],
        "employees": None, "website": "",
        "description": "Bolaget ska bedriva åkeri och tvätteri i skärgården.",
    }  # fmt: skip
    kista = facts("5591234561")
    assert (kista["town"], kista["postcode"], kista["address"], kista["register_status"]) == (
        "Kista", "16440", "Box 1234", "liquidation",
    )  # fmt: skip
    assert facts("5566778899")["register_status"] == "deleted"
