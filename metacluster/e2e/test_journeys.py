"""The main journeys, as a person does them in a real browser."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from metacluster.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def indicator_figure(page, code):
    return int(
        page.locator(f"#indicator-{code} .achieved")
        .inner_text()
        .replace(",", "")
        .replace("\u00a0", "")
    )


def test_manager_sees_kpis_and_a_new_delivery_raises_nonfinancial_support(page, live_server, demo):
    log_in(page, live_server, "manager.fov")
    page.click("text=ICT Meta Cluster")
    identified = page.locator("#indicator-SME-IDENTIFIED")
    assert identified.locator(".achieved").inner_text() == "166"
    assert "of 120" in identified.inner_text()
    before = indicator_figure(page, "SME-NONFIN")
    assert before == 130

    # A company the programme has never served.
    page.goto(f"{live_server.url}/companies/new/")
    page.fill("#id_name", "Brand New Fictional Optics AB")
    page.select_option("#id_country", "SE")
    page.select_option("#id_programme", label="ICT Meta Cluster")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Brand New Fictional Optics AB')")

    page.goto(f"{live_server.url}/programmes/ict-meta-cluster/deliveries/new/")
    page.select_option("#id_company", label="Brand New Fictional Optics AB")
    page.select_option("#id_service", index=1)
    page.fill("#id_quantity", "2")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/programmes/ict-meta-cluster/$"))
    assert indicator_figure(page, "SME-NONFIN") == before + 1

    # The figure opens onto the records behind it, the new company among them.
    page.click("#indicator-SME-NONFIN .achieved")
    expect(page.locator("#record-count")).to_have_text(str(before + 1))
    assert page.locator("text=Brand New Fictional Optics AB").count() == 1


def test_a_delivery_outside_the_programme_period_is_refused_and_changes_nothing(
    page, live_server, demo
):
    log_in(page, live_server, "manager.fov")
    page.goto(f"{live_server.url}/programmes/ict-meta-cluster/")
    before = indicator_figure(page, "SME-NONFIN")
    page.goto(f"{live_server.url}/programmes/ict-meta-cluster/deliveries/new/")
    page.select_option("#id_company", index=1)
    page.select_option("#id_service", index=1)
    page.fill("#id_date", "2030-01-01")
    page.click("main button[type=submit]")
    expect(page.locator(".errorlist").first).to_be_visible()
    page.goto(f"{live_server.url}/programmes/ict-meta-cluster/")
    assert indicator_figure(page, "SME-NONFIN") == before


def test_an_sme_user_sees_only_its_own_company(page, live_server, demo):
    from metacluster.accounts.models import User
    from metacluster.companies.models import Company

    sme = User.objects.filter(role="sme").select_related("company").first()
    other = Company.objects.exclude(pk=sme.company_id).first()
    log_in(page, live_server, sme.username)
    page.click("header >> text=My company")
    page.wait_for_selector(f"h1:has-text('{sme.company.name}')")
    response = page.goto(f"{live_server.url}/companies/{other.pk}/")
    assert response.status == 404
