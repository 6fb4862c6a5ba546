"""Export readiness in a real browser: the demo SME continues its unfinished assessment, saves
half-way, finishes, reads its result and requests a recommended service."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from metacluster.e2e.browser import log_in
from metacluster.readiness import instruments
from metacluster.servicerequests.models import ServiceRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_an_sme_fills_in_the_assessment_and_reads_its_result(page, live_server, demo):
    instrument = instruments.load(instruments.latest_version())
    items = [item.id for item in instrument.items]
    log_in(page, live_server, "sme")
    page.click("header >> text=Readiness")
    expect(page.locator(".badge.unfinished").first).to_be_visible()
    page.click("text=Continue the assessment")
    page.wait_for_url(re.compile(r".*/readiness/\d+/answer/$"))

    # The first half: mostly strong answers, one "don't know"; then save for later.
    half = len(items) // 2
    for item in items[:half]:
        page.check(f"input[name={item}][value='4']")
    page.check(f"input[name={items[1]}][value='dk']")
    page.click("button[name=save]")
    page.wait_for_selector(".messages li.success")
    assert page.locator("#progress").inner_text().startswith(f"{half} of {len(items)}")
    assert page.locator(f"input[name={items[0]}][value='4']").is_checked()

    # Finishing with questions left unanswered is refused, and they are marked.
    page.click("button[name=finish]")
    expect(page.locator(".item.has-error")).to_have_count(len(items) - half)

    # Market knowledge is weak (R5, R6 and C4 at 0), the rest strong.
    for item in items[half:]:
        page.check(f"input[name={item}][value='4']")
    for weak in ("R5", "R6", "C4"):
        page.check(f"input[name={weak}][value='0']")
    page.click("button[name=finish]")
    page.wait_for_url(re.compile(r".*/readiness/\d+/$"))

    assert int(page.locator("#overall-score").inner_text()) > 60
    assert page.locator("#stage").inner_text() in ("Active exporter", "Committed exporter")
    assert page.locator("svg.radar polygon.series").count() >= 1
    assert "We know the demand, customers" in page.locator("ol.gaps li").first.inner_text()
    assert "Export market analysis" in page.locator("main").inner_text()
    # The demo programme ended years ago: the delivery is not counted, and the page says why.
    assert "programme period" in page.locator("#delivery").inner_text()

    # One click requests the programme's market analysis.
    before = ServiceRequest.objects.count()
    card = page.locator(".recommendation", has_text="Export market analysis")
    card.locator("button", has_text="Request").first.click()
    page.wait_for_selector(".messages li.success")
    assert ServiceRequest.objects.count() == before + 1
    assert ServiceRequest.objects.latest("created_at").origin == "readiness"

    # The PDF report opens.
    response = page.request.get(page.url + "report.pdf")
    assert response.status == 200
    assert response.body().startswith(b"%PDF-")


def test_an_sme_sees_its_change_since_the_previous_assessment(page, live_server, demo):
    log_in(page, live_server, "sme")
    page.goto(f"{live_server.url}/readiness/")
    page.locator("section", has_text="4SmartGrowth").locator("text=See the result").first.click()
    page.wait_for_url(re.compile(r".*/readiness/\d+/$"))
    changes = page.locator("table.dimensions td.change").all_inner_texts()
    assert any(text.startswith("+") for text in changes)
    assert page.locator("svg.radar polygon.previous").count() == 1
