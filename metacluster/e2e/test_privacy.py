"""GDPR in a real browser: a programme manager exports what is held about a company and erases
its personal data; the state-aid legal hold keeps the company and says why."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metacluster.companies.models import Company, Contact
from metacluster.e2e.browser import log_in
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery
from metacluster.stateaid.models import AidRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_exports_and_erases_a_companys_personal_data(
    page, live_server, manager, company, coaching, lead_org
):
    Contact.objects.create(
        company=company,
        name="Anna Andersson",
        email="anna@alpha.example",
        lawful_basis="consent",
        consent_given_at=timezone.now(),
    )
    record_delivery(
        Delivery(
            service=coaching,
            company=company,
            provider=lead_org,
            date=date(2021, 5, 4),
            quantity=Decimal(2),
        )
    )
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/companies/{company.pk}/")
    page.click("#personal-data")
    expect(page.locator("main")).to_contain_text("Kept until 2031-05-04")

    page.click("#export-html")
    expect(page.locator("main")).to_contain_text("anna@alpha.example")
    assert "aid_records (1)" in page.text_content("main")
    page.go_back()

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#erase-company")
    page.wait_for_selector("text=Kept until 2031-05-04: State-aid records")
    assert "anna@alpha.example" not in page.text_content("main")
    assert Company.objects.filter(pk=company.pk).exists()
    assert AidRecord.objects.filter(company=company).exists()
    assert not Contact.objects.filter(name="Anna Andersson").exists()
