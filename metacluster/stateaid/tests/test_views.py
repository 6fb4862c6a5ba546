"""The ledger pages, the aid letter, declarations and undertakings, and who may see them."""

from datetime import date

import pytest
from django.test import Client

from metacluster.companies.models import Company
from metacluster.conftest import PASSWORD
from metacluster.stateaid.letter import letter_html
from metacluster.stateaid.models import (
    AidDeclaration,
    AidRecord,
    ProgrammeAidSettings,
    UndertakingMember,
)

from .conftest import declare, deliver

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def aided(coaching, training, company, manager):
    """Alpha got 3 h of coaching (EUR 300) and 2 h of workshop (EUR 100), and declared
    EUR 150,000 of de minimis aid from elsewhere."""
    deliver(coaching, company, 3, date(2021, 3, 1), by=manager)
    deliver(training, company, 2, date(2021, 4, 1), by=manager)
    declare(company, 150_000, date(2020, 6, 1))
    return company


def test_the_programme_ledger_lists_aid_per_company(manager, programme, aided):
    response = client_for(manager).get(f"/stateaid/programmes/{programme.acronym}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Alpha Fictional AB" in content
    assert "400.00" in content  # EUR 300 + 100 in this programme
    assert "150,400" in content  # the undertaking's de minimis total, declared aid included
    assert "2031" in content  # records kept until ten years after the last aid


def test_the_company_ledger_shows_records_declarations_and_standing(manager, aided):
    response = client_for(manager).get(f"/stateaid/companies/{aided.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vinnova (fictional grant)" in content
    assert "Export coaching" in content
    assert "150,400 / 200,000" in content
    assert "Regulation (EU) No 1407/2013" in content


def test_another_day_can_be_chosen(manager, aided):
    response = client_for(manager).get(f"/stateaid/companies/{aided.pk}/?on=2024-06-01")
    assert "Regulation (EU) 2023/2831" in response.content.decode()


def test_outsiders_get_404_everywhere(outsider, programme, aided):
    client = client_for(outsider)
    for url in (
        f"/stateaid/programmes/{programme.acronym}/",
        f"/stateaid/companies/{aided.pk}/",
        f"/stateaid/companies/{aided.pk}/letter/{programme.acronym}/",
        f"/stateaid/companies/{aided.pk}/declarations/new/",
        f"/stateaid/programmes/{programme.acronym}/settings/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_sme_sees_its_own_ledger_only(sme_user, aided, other_company, programme):
    client = client_for(sme_user)
    assert client.get("/stateaid/").url == f"/stateaid/companies/{aided.pk}/"
    assert client.get(f"/stateaid/companies/{aided.pk}/").status_code == 200
    assert client.get(f"/stateaid/companies/{other_company.pk}/").status_code == 404
    letter = client.get(f"/stateaid/companies/{aided.pk}/letter/{programme.acronym}/")
    assert letter.status_code == 200


def test_an_sme_declares_aid_it_received(sme_user, company):
    response = client_for(sme_user).post(
        f"/stateaid/companies/{company.pk}/declarations/new/",
        {
            "grantor": "Business Finland (fictional)",
            "granted_on": "2021-02-01",
            "amount": "12000",
            "scheme": "de_minimis",
            "reference": "BF-1",
        },
    )
    assert response.status_code == 302
    declaration = AidDeclaration.objects.get()
    assert declaration.company == company and declaration.declared_by == sme_user


def test_future_aid_cannot_be_declared(sme_user, company):
    response = client_for(sme_user).post(
        f"/stateaid/companies/{company.pk}/declarations/new/",
        {"grantor": "X", "granted_on": "2999-01-01", "amount": "1", "scheme": "de_minimis"},
    )
    assert response.status_code == 200
    assert not AidDeclaration.objects.exists()


def test_a_viewer_cannot_declare(viewer, company):
    response = client_for(viewer).get(f"/stateaid/companies/{company.pk}/declarations/new/")
    assert response.status_code == 403


def test_only_managers_change_the_aid_settings(manager, advisor, programme):
    url = f"/stateaid/programmes/{programme.acronym}/settings/"
    assert client_for(advisor).get(url).status_code == 403
    response = client_for(manager).post(
        url,
        {
            "scheme": "gber_20a",
            "fiscal_year_start_month": 7,
            "warning_percent": 90,
            "project_limit": "22000",
            "granting_authority": "Interreg Central Baltic",
        },
    )
    assert response.status_code == 302
    settings = ProgrammeAidSettings.objects.get(programme=programme)
    assert settings.scheme == "gber_20a" and settings.fiscal_year_start_month == 7


def test_linking_companies_makes_one_undertaking(manager, company, other_company):
    response = client_for(manager).post(
        "/stateaid/undertakings/new/",
        {
            "name": "Alpha–Beta group",
            "notes": "",
            "companies": [company.pk, other_company.pk],
            "link": "a",
        },
    )
    assert response.status_code == 302
    assert UndertakingMember.objects.filter(undertaking__name="Alpha–Beta group").count() == 2


def test_a_company_belongs_to_one_undertaking_only(manager, company, other_company, programme):
    third = Company.objects.create(name="Third Fictional AB", country="SE", owner=company.owner)
    client = client_for(manager)
    client.post(
        "/stateaid/undertakings/new/",
        {"name": "One", "companies": [company.pk, other_company.pk], "link": "a"},
    )
    response = client.post(
        "/stateaid/undertakings/new/",
        {"name": "Two", "companies": [company.pk, third.pk], "link": "a"},
    )
    assert response.status_code == 200
    assert "Already in another single undertaking" in response.content.decode()


def test_the_aid_letter_states_value_scheme_and_regulation(programme, aided):
    records = list(AidRecord.objects.filter(company=aided).order_by("granted_on"))
    html = letter_html(aided, programme, records, "en")
    assert html.count('class="aid-row"') == 2
    assert '<td class="num" id="total">400.00</td>' in html
    assert "de minimis" in html
    assert "Regulation (EU) No 1407/2013" in html and "OJ L 352" in html
    assert "2031" in html  # kept until ten years after the last aid (1 April 2021)


def test_the_aid_letter_is_in_the_readers_language(programme, aided):
    records = list(AidRecord.objects.filter(company=aided))
    assert '<html lang="sv">' in letter_html(aided, programme, records, "sv")


def test_the_aid_letter_is_a_pdf(manager, programme, aided):
    response = client_for(manager).get(
        f"/stateaid/companies/{aided.pk}/letter/{programme.acronym}/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_no_letter_without_aid(manager, programme, other_company):
    url = f"/stateaid/companies/{other_company.pk}/letter/{programme.acronym}/"
    assert client_for(manager).get(url).status_code == 403


def test_the_delivery_form_warns_near_the_ceiling_then_records(
    manager, programme, coaching, company
):
    declare(company, 170_000, date(2020, 6, 1))
    client = client_for(manager)
    form = {
        "company": company.pk,
        "service": coaching.pk,
        "provider": coaching.provider_id,
        "date": "2021-05-04",
        "quantity": "10",
        "notes": "",
    }
    url = f"/programmes/{programme.acronym}/deliveries/new/"
    warned = client.post(url, form)
    assert warned.status_code == 200
    assert "EUR 171,000.00 of the EUR 200,000.00 ceiling" in warned.content.decode()
    assert not AidRecord.objects.exists()
    recorded = client.post(url, {**form, "aid_acknowledged": "on"})
    assert recorded.status_code == 302
    assert AidRecord.objects.get().value == 1000


def test_the_delivery_form_blocks_past_the_ceiling_until_a_manager_gives_a_reason(
    manager, programme, coaching, company
):
    declare(company, 199_500, date(2020, 6, 1))
    client = client_for(manager)
    form = {
        "company": company.pk,
        "service": coaching.pk,
        "provider": coaching.provider_id,
        "date": "2021-05-04",
        "quantity": "10",
        "aid_acknowledged": "on",
    }
    url = f"/programmes/{programme.acronym}/deliveries/new/"
    blocked = client.post(url, form)
    assert "Past the ceiling" in blocked.content.decode()
    assert not AidRecord.objects.exists()
    client.post(url, {**form, "aid_override_reason": "Declared aid was refunded."})
    assert AidRecord.objects.get().override_reason == "Declared aid was refunded."


def test_an_advisor_sees_the_block_and_no_override_field(advisor, programme, training, company):
    declare(company, 199_990, date(2020, 6, 1))
    form = {
        "company": company.pk,
        "service": training.pk,
        "provider": training.provider_id,
        "date": "2021-05-04",
        "quantity": "1",
        "aid_override_reason": "Let me",
    }
    response = client_for(advisor).post(f"/programmes/{programme.acronym}/deliveries/new/", form)
    content = response.content.decode()
    assert "Only a programme manager can record aid past the ceiling." in content
    assert '<input type="hidden" name="aid_override_reason"' in content  # no field to give one
    assert not AidRecord.objects.exists()


def test_attendance_warns_for_the_company_near_its_ceiling_and_saves_none(
    manager, programme, training, company, other_company, partner_org
):
    declare(other_company, 165_000, date(2020, 6, 1))
    form = {
        "service": training.pk,
        "provider": partner_org.pk,
        "date": "2021-05-04",
        "quantity": "2",
        "notes": "Export workshop",
        "companies": [company.pk, other_company.pk],
    }
    url = f"/programmes/{programme.acronym}/deliveries/attendance/"
    client = client_for(manager)
    warned = client.post(url, form)
    assert "Beta Fictional OÜ: this aid of EUR 100.00" in warned.content.decode()
    assert not AidRecord.objects.exists()
    assert client.post(url, {**form, "aid_acknowledged": "on"}).status_code == 302
    assert AidRecord.objects.count() == 2
