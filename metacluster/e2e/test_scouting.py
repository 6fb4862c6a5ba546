"""Scouting in a real browser: upload a register file, read the preview, import it."""

import pytest

from metacluster.companies.models import Company
from metacluster.e2e.browser import log_in
from metacluster.scouting.models import ImportJob

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REGISTER = (
    "nimi;ariregistri_kood;ettevotja_oiguslik_vorm;kmkr_nr;ettevotja_staatus;"
    "ettevotja_esmakande_kpv;asukoht_ettevotja_aadressis;asukoha_ehak_tekstina;"
    "indeks_ettevotja_aadressis\n"
    "Põhja Tarkvara OÜ;12417834;Osaühing;EE100931558;R;04.03.2015;Narva mnt 5;"
    "Kesklinna linnaosa, Tallinn, Harju maakond;10117\n"
    "Lõuna Andmed OÜ;14182039;Osaühing;;R;12.10.2009;Riia 2;Tartu linn, Tartu linn, Tartu maakond;51004\n"
    "Vigane Kood OÜ;12417835;Osaühing;;R;01.01.2020;Pikk 1;Pärnu linn, Pärnu linn, Pärnu maakond;80010\n"
)


def test_upload_preview_and_commit_an_estonian_register_extract(
    page, live_server, advisor, tmp_path
):
    path = tmp_path / "ettevotja_rekvisiidid.csv"
    path.write_text(REGISTER, encoding="utf-8")
    log_in(page, live_server, advisor)

    page.goto(f"{live_server.url}/scouting/")
    page.click("text=Import a register file")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_source", "Estonian business register")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=recognised as Estonian e-Business Register")

    # The columns are mapped from the known layout; check the file.
    assert page.locator("#id_column_registry_code").input_value() == "ariregistri_kood"
    page.click("button[value=check]")
    page.wait_for_selector("#commit")
    assert page.locator("#count-created").inner_text() == "2"
    assert page.locator("#count-errors").inner_text() == "1"
    errors = page.locator("#row-errors").inner_text()
    assert "4" in errors and "check digit is wrong" in errors
    assert not Company.objects.exists()  # the preview writes nothing

    page.click("#commit")
    page.wait_for_selector("#import-state:has-text('Imported')")
    assert page.locator("#count-created").inner_text() == "2"
    assert set(Company.objects.values_list("name", "town", "address")) == {
        ("Põhja Tarkvara OÜ", "Tallinn", "Narva mnt 5"),
        ("Lõuna Andmed OÜ", "Tartu", "Riia 2"),
    }
    assert ImportJob.objects.get().status == "done"

    # The imported companies are in the scouting list, ready to be ranked.
    page.goto(f"{live_server.url}/scouting/?q=pohja")
    page.wait_for_selector("text=Põhja Tarkvara OÜ")


def test_a_windows_1257_register_keeps_its_baltic_letters(page, live_server, advisor, tmp_path):
    names = {
        "Ģērbšanās Ķīmija un Čūsku Žāvētava Ļaudīm SIA": "LV",
        "Pärnu Õlu, Öö ja Šokolaadi Žürii OÜ": "EE",
        "Åkeri och Tvätt i Östra Skärgården AB": "SE",
    }
    path = tmp_path / "uznemumi.csv"
    lines = ["Name;Country"] + [f"{name};{country}" for name, country in names.items()]
    path.write_bytes("\n".join(lines).encode("cp1257"))
    log_in(page, live_server, advisor)

    page.goto(f"{live_server.url}/scouting/imports/new/")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_source", "Baltic list")
    page.select_option("#id_encoding", "cp1257")
    page.click("main button[type=submit]")
    page.click("button[value=check]")
    page.wait_for_selector("#commit")
    assert page.locator("#count-created").inner_text() == "3"
    page.click("#commit")
    page.wait_for_selector("#import-state:has-text('Imported')")
    assert set(Company.objects.values_list("name", flat=True)) == set(names)
