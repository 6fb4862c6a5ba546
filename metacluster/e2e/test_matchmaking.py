"""Matchmaking in a real browser: a partner publishes an opportunity, an SME expresses interest."""

import re

import pytest
from django.core.management import call_command

from metacluster.deals.models import Deal
from metacluster.demo import DEMO_PASSWORD
from metacluster.e2e.browser import log_in
from metacluster.matchmaking.models import Interest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")
    call_command("load_demo", verbosity=0)


def test_a_published_opportunity_reaches_an_sme_who_expresses_interest(page, live_server, demo):
    # The demo SME user's company and the programmes it takes part in.
    from metacluster.accounts.models import User

    company = User.objects.get(username="sme").company
    programme = company.engagements.order_by("programme__name").first().programme
    partner = company.engagements.get(programme=programme).partner

    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/matchmaking/opportunities/new/")
    page.select_option("#id_programme", str(programme.pk))
    page.select_option("#id_partner", str(partner.pk))
    page.select_option("#id_kind", "buyer_request")
    page.fill("#id_title", "Browser-test buyer seeks sensors and software (fictional)")
    page.fill("#id_description", company.description + " Sensors, software, analytics.")
    page.fill("#id_buyer", "Browser Test Buyer Ltd (fictional)")
    page.select_option("#id_country", "VN")
    for offer in company.offers.filter(programme=programme):
        for capability in offer.capabilities.all():
            page.check(f"#id_capabilities input[value='{capability.pk}']")
    page.fill("#id_deadline", "2099-12-31")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Browser-test buyer seeks')")
    assert page.locator("#matches").is_visible()

    page.context.clear_cookies()
    log_in(page, live_server, "sme")
    page.goto(f"{live_server.url}/matchmaking/")
    page.click("text=Browser-test buyer seeks sensors and software (fictional)")
    page.wait_for_url(re.compile(r".*/matchmaking/opportunities/\d+/$"))
    page.fill("#id_message", "We would like to meet the buyer.")
    page.click("#express-interest")
    page.wait_for_selector("#interest-recorded")

    interest = Interest.objects.get(opportunity__title__startswith="Browser-test buyer")
    assert interest.company == company
    assert Deal.objects.get(pk=interest.deal_id).stage == "lead"


def test_an_invited_buyer_publishes_through_the_personal_link(
    page, live_server, programme, advisor, monkeypatch
):
    from metacluster.matchmaking.models import Capability, Opportunity

    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")
    advisor.set_password(DEMO_PASSWORD)
    advisor.save()
    iot = Capability.objects.create(programme=programme, code="iot", name="IoT and sensors")

    log_in(page, live_server, advisor.username)
    page.goto(f"{live_server.url}/matchmaking/buyers/")
    page.select_option("#id_programme", str(programme.pk))
    page.fill("#id_name", "Nguyen Van An")
    page.fill("#id_email", "an@danang.example")
    page.fill("#id_organisation", "Da Nang Department of Transport (fictional)")
    page.select_option("#id_country", "VN")
    page.click("main button[type=submit]")
    link = page.locator("code.mm-link").inner_text()
    assert "/matchmaking/b/mcb_" in link

    page.context.clear_cookies()  # the buyer has no account
    page.goto(link)
    page.click("text=New opportunity")
    page.fill("#id_title", "Parking guidance for the old town (fictional)")
    page.fill("#id_description", "Parking sensors and a guidance app.")
    page.check(f"#id_capabilities input[value='{iot.pk}']")
    page.click("main button[type=submit]")
    page.wait_for_selector("h2:has-text('Parking guidance for the old town')")
    assert "Draft" in page.content()  # reviewed by the partner before it is published
    opportunity = Opportunity.objects.get()
    assert opportunity.status == "draft" and opportunity.invited_buyer.email == "an@danang.example"
