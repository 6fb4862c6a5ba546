"""Forming a consortium in a real browser: proposals for a need, editing members with live
coverage, inviting, and turning an agreed proposal into a consortium with its joint offer."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from metacluster.consortia.models import Consortium
from metacluster.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_an_advisor_edits_a_proposal_and_forms_a_consortium(page, live_server, demo):
    log_in(page, live_server, "advisor.turku")
    page.goto(f"{live_server.url}/programmes/sme2go/consortia/")
    page.click("text=Ho Chi Minh City: e-government and open data")
    page.click("#propose")
    page.wait_for_selector("text=proposals, best first")
    page.click("article.proposal >> nth=0 >> text=Proposal 1")
    page.wait_for_selector("h1:has-text('Proposal 1')")
    assert page.locator("#members-panel p.ok").is_visible()  # every capability covered

    # Remove members until something is missing: htmx swaps the panel, the page stays.
    page.evaluate("window.notReloaded = true")

    def remove_one():
        before = page.locator(".members-table tr").count()
        page.locator(".members-table button[value=remove]").first.click()
        # A locator assertion, not wait_for_function: a string of JavaScript is eval, which
        # the Content-Security-Policy forbids.
        expect(page.locator(".members-table tr")).to_have_count(before - 1)

    remove_one()
    while page.locator("#members-panel p.ok").count():
        remove_one()
    problems = (
        page.locator("table.coverage tr.missing").count() + page.locator("ul.problems li").count()
    )
    assert problems >= 1
    assert page.evaluate("window.notReloaded") is True

    # Inviting an incomplete proposal is refused with the reason.
    page.click("#invite")
    page.wait_for_selector(".messages li.error")
    assert "Fix the proposal before inviting" in page.locator(".messages").inner_text()

    # A proposal every member has agreed to becomes a consortium.
    page.goto(f"{live_server.url}/programmes/sme2go/consortia/")
    page.click("text=Da Nang smart-city master plan: water and flood warning")
    page.click("article.proposal >> nth=0 >> text=Proposal 1")
    page.fill("#id_name", "Da Nang Water Nordic Fictional")
    page.click("#form-consortium")
    page.wait_for_selector("h1:has-text('Da Nang Water Nordic Fictional')")
    assert "Joint capability statement" in page.content()
    assert "a joint offer by" in page.locator("main").inner_text()
    assert Consortium.objects.filter(name="Da Nang Water Nordic Fictional").exists()


def test_an_sme_user_answers_an_invitation_for_its_own_company(page, live_server, demo):
    log_in(page, live_server, "sme")
    page.goto(f"{live_server.url}/programmes/4smartgrowth/consortia/")
    page.click("text=Tallinn–Helsinki smart-building retrofit")
    page.wait_for_selector("h1:has-text('Proposal')")
    # Only its own company's row has answer buttons; no editing, no rules.
    assert page.locator("button[value=accepted]").count() == 1
    assert page.locator("button[value=remove]").count() == 0
    assert page.locator("#invite").count() == 0
    page.click("button[value=accepted]")
    page.wait_for_selector("text=Answer recorded.")
    assert "Accepted" in page.locator(".members-table").inner_text()
    response = page.goto(f"{live_server.url}/programmes/sme2go/consortia/rules/")
    assert response.status == 404  # not a programme its company takes part in
