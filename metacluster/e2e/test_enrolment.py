"""An SME joins a programme from its public page in a real browser: screened out by one rule,
in after correcting its answer, accepted by an advisor, and logged in via the invitation."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from metacluster.companies.models import Engagement
from metacluster.e2e.browser import log_in, sideways_overflow
from metacluster.enrolment.models import Eligibility

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_sme_applies_is_accepted_and_logs_in_via_the_invitation(
    page, live_server, advisor, programme, coaching
):
    Eligibility.objects.create(
        programme=programme,
        open_for_applications=True,
        countries=["SE", "EE"],
        requires_ict_component=True,
        requires_export_will=True,
    )
    mail.outbox.clear()

    # The SME finds the public page, sees the offer and the rules, and applies from Finland.
    page.goto(f"{live_server.url}/join/{programme.acronym}/")
    assert coaching.name in page.locator("#offer").inner_text()
    assert "Sweden, Estonia" in page.locator("#eligibility").inner_text()
    page.fill("#id_company_name", "Epsilon Fictional AB")
    page.fill("#id_registry_code", "5560001234")
    page.select_option("#id_country", "FI")
    page.fill("#id_employees", "14")
    page.fill("#id_offering", "Sensor networks for district heating")
    page.check("#id_ict_component")
    page.check("#id_export_will")
    page.fill("#id_de_minimis_received", "0")
    page.fill("#id_contact_name", "Elin Provström")
    page.fill("#id_contact_email", "elin@epsilon.example")
    page.check("#id_consent")
    page.click("text=Send application")
    expect(page.locator("#screened-out")).to_contain_text("registered in Sweden, Estonia")

    # It is in fact registered in Sweden: the country rule lets it in; the ICT rule too.
    page.click("text=Correct your answers and apply again")
    for field, value in {
        "#id_company_name": "Epsilon Fictional AB",
        "#id_registry_code": "5560001234",
        "#id_employees": "14",
        "#id_offering": "Sensor networks for district heating",
        "#id_contact_name": "Elin Provström",
        "#id_contact_email": "elin@epsilon.example",
    }.items():
        page.fill(field, value)
    page.select_option("#id_country", "SE")
    page.check("#id_ict_component")
    page.check("#id_export_will")
    page.check("#id_consent")
    page.click("text=Send application")
    page.wait_for_selector("#application-received")

    # An advisor of a partner reviews and accepts it.
    log_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/programmes/{programme.acronym}/applications/")
    page.click("text=Epsilon Fictional AB")
    page.click("#accept")
    page.wait_for_selector("text=is invited to log in")
    engagement = Engagement.objects.get(company__name="Epsilon Fictional AB")
    assert engagement.stage == "identified"

    # The SME follows the link in the invitation, chooses a password and logs in.
    invitation = next(m for m in mail.outbox if "elin@epsilon.example" in m.to)
    link = re.search(r"https?://\S+/accounts/reset/\S+", invitation.body).group(0)
    page.context.clear_cookies()
    page.goto(live_server.url + urlparse(link).path)
    page.fill("#id_new_password1", "a-long-new-passphrase-2026")
    page.fill("#id_new_password2", "a-long-new-passphrase-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/reset/done/$"))
    log_in(page, live_server, "elin@epsilon.example", password="a-long-new-passphrase-2026")
    page.goto(f"{live_server.url}/programmes/{programme.acronym}/")
    assert programme.name in page.locator("h1").inner_text()


def test_the_public_page_fits_a_phone(browser, live_server, programme, coaching):
    Eligibility.objects.create(programme=programme, open_for_applications=True, countries=["SE"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    phone = context.new_page()
    phone.goto(f"{live_server.url}/join/{programme.acronym}/")
    overflow = sideways_overflow(phone)
    context.close()
    assert overflow <= 0
