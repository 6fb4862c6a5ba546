"""Demo records of scouting, added to the demo programmes by `metacluster load-demo`: a
scoring profile per programme, a real import of a small fictional register extract (with
row errors and near-duplicates to review), and a saved search."""

import csv
import random

from django.db.models import Q

from metacluster.accounts.models import User
from metacluster.companies.models import Company
from metacluster.core.scouting import with_check_digit
from metacluster.demo import FICTIONAL

from . import importing
from .files import upload_dir
from .models import ColumnMapping, ImportJob, SavedSearch, ScoringProfile

SOURCE = "Estonian e-Business Register (demo extract)"
PROFILES = {
    "ict-meta-cluster": dict(
        sector_codes=["62", "63", "26.1", "26.2"], keywords=["cloud", "software", "data"],
        max_employees=250,
    ),
    "sme2go": dict(
        sector_codes=["26.5", "27", "71.1", "62"], keywords=["smart city", "sensor", "mobility"],
        max_employees=250,
    ),
    "4smartgrowth": dict(
        sector_codes=["28", "26", "62.01"], keywords=["automation", "robot", "industry 4.0"],
        max_employees=30,
    ),
}  # fmt: skip
WORDS = ["Andmed", "Pilv", "Sensor", "Robot", "Tarkvara", "Valgus", "Linn", "Tehas", "Signaal",
         "Laine", "Kiir", "Mets", "Meri", "Kivi", "Tuul", "Täht"]  # fmt: skip
ENDS = ["tech", "lab", "soft", "works", "sys", "net", "data", "ware"]
ACTIVITIES = ["62011", "62021", "63111", "26511", "27311", "28991", "71121", "47111", "56101"]
TOWNS = ["Tallinn", "Tartu", "Pärnu", "Narva"]


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    _derive_keys()
    for acronym, fields in PROFILES.items():
        if acronym in programmes:
            ScoringProfile.objects.update_or_create(programme=programmes[acronym], defaults=fields)
    advisor = User.objects.filter(username="advisor.tehnopol").first()
    imported = 0
    if advisor and advisor.organisation_id:
        job = _import_extract(advisor, rng)
        imported = job.counts.get("created", 0)
    manager = User.objects.filter(username="manager.fov").first()
    if manager:
        SavedSearch.objects.get_or_create(
            user=manager, name="Small software companies",
            defaults={"query": "programme=ict-meta-cluster&nace=62&size=small&sort=score"},
        )  # fmt: skip
    return {"scouting profiles": len(PROFILES), "companies imported": imported}


def _derive_keys() -> None:
    # The base demo writes companies with bulk_create, which skips Company.save(); fill the
    # normalised name, main NACE code and search text that search and filters use.
    stale = Company.objects.filter(Q(name_key="") | Q(search_text="")).exclude(name="")
    fields = ("name", "nace_codes", "town", "registry_code", "vat_number", "description")
    for company in stale.only("pk", *fields):
        company.derive()
        Company.objects.filter(pk=company.pk).update(
            name_key=company.name_key,
            nace_primary=company.nace_primary,
            search_text=company.search_text,
        )


def _rows(rng: random.Random) -> list[list[str]]:
    rows, used = [], set()
    serial = 14_000_000 + rng.randrange(1000) * 1000
    while len(rows) < 80:  # of 16 × 8 possible names
        name = f"{rng.choice(WORDS)}{rng.choice(ENDS)} OÜ {FICTIONAL}"
        if name in used:
            continue
        used.add(name)
        serial += rng.randrange(1, 50)
        code = with_check_digit("EE", str(serial)[:7])
        if any(row[1] == code for row in rows):
            continue
        rows.append([
            name, code, "Osaühing", "", rng.choice("RRRRRRRL"), f"0{rng.randint(1, 9)}.0{rng.randint(1, 9)}.{rng.randint(1995, 2023)}",
            "", rng.choice(TOWNS), str(rng.randint(10000, 99999)), rng.choice(ACTIVITIES),
            str(rng.choice([2, 4, 7, 12, 18, 25, 40, 75, 130, 300])),
        ])  # fmt: skip
    # Near-duplicates of the first rows, as another register or a partner's list spells them.
    for row in rows[:4]:
        rows.append(
            [
                row[0].removesuffix(f" OÜ {FICTIONAL}").upper() + f" {FICTIONAL}",
                "",
                "",
                "",
                "",
                "",
                "",
                row[7],
                "",
                row[9],
                "",
            ]
        )
    rows.append(
        [
            "Vigane Kood OÜ " + FICTIONAL,
            "14000001",
            "Osaühing",
            "",
            "R",
            "",
            "",
            "Tartu",
            "",
            "62011",
            "5",
        ]
    )
    rows.append(
        [
            "Tundmatu Tegevus OÜ " + FICTIONAL,
            "",
            "Osaühing",
            "",
            "R",
            "",
            "",
            "Tartu",
            "",
            "99999",
            "5",
        ]
    )
    rows.append(
        [
            "Võimatu Suurus OÜ " + FICTIONAL,
            "",
            "Osaühing",
            "",
            "R",
            "",
            "",
            "Tartu",
            "",
            "62011",
            "-12",
        ]
    )
    return rows


HEADER = ["nimi", "ariregistri_kood", "ettevotja_oiguslik_vorm", "kmkr_nr", "ettevotja_staatus",
          "ettevotja_esmakande_kpv", "ettevotja_aadress", "asukoha_ehak_tekstina",
          "indeks_ettevotja_aadressis", "emtak_kood", "tootajate_arv"]  # fmt: skip


def _import_extract(advisor: User, rng) -> ImportJob:
    path = upload_dir() / f"demo-register-{rng.randrange(10**9)}.csv"
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(_rows(rng))
    from metacluster.core.scouting import guess_mapping
    from metacluster.core.scouting.columns import with_derived

    headers = with_derived(HEADER)
    columns = guess_mapping(headers)  # the layout's columns, and head count and EMTAK by name
    ColumnMapping.objects.update_or_create(
        organisation=advisor.organisation, source=SOURCE,
        defaults={"columns": columns, "default_country": "EE"},
    )  # fmt: skip
    job = ImportJob.objects.create(
        organisation=advisor.organisation, created_by=advisor, source=SOURCE,
        file_name="ettevotja_rekvisiidid_demo.csv", path=str(path), headers=headers,
        layout="ee-ariregister", columns=columns, default_country="EE",
    )  # fmt: skip
    importing.run(job, commit=False)
    return importing.run(job, commit=True)


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    imported = Company.objects.filter(Q(source=SOURCE) & Q(name__endswith=FICTIONAL))
    imported.delete()
    ImportJob.objects.filter(source=SOURCE).delete()
    SavedSearch.objects.filter(
        user__username="manager.fov", name="Small software companies"
    ).delete()
