"""Market guides in a real browser: an advisor searches and opens a guide; an SME reports an
experience; an advisor reviews and publishes it, and the guide shows it."""

import re
from datetime import date

import pytest

from metacluster.e2e.browser import log_in
from metacluster.guides.models import Barrier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page):
    with page.expect_navigation():
        page.click("text=Log out")


def test_search_report_review_and_publish(page, live_server, programme, advisor, sme_user):
    pipl = Barrier.objects.create(
        programme=programme,
        market="CN",
        kind="legal",
        title="Personal data stays in China",
        description="The PIPL requires local storage of personal information.",
        how_to_overcome="Host with a mainland cloud provider.",
        source_title="PIPL (2021), art. 40",
        last_confirmed_on=date(2020, 1, 10),  # long ago: stale
    )
    Barrier.objects.create(
        programme=programme,
        market="VN",
        kind="cultural",
        title="Zalo is the business channel",
        description="Buyers talk on Zalo.",
        source_title="Mission report",
    )

    # The advisor searches across the guides; htmx swaps the results in.
    log_in(page, live_server, advisor)
    page.click("nav >> text=Guides")
    page.fill("#id_q", "persönal DATA")  # case and accents do not matter
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*q=pers.*"))
    results = page.locator("#results table.barriers tr.barrier")
    assert results.count() == 1
    assert "stale" in results.first.inner_text()

    # ... and opens the market's guide, grouped by kind, with the source and the date.
    results.first.locator('a[href="/guides/markets/CN/"]').click()
    page.wait_for_url(re.compile(r".*/guides/markets/CN/$"))
    legal = page.locator("#kind-legal")
    assert "Personal data stays in China" in legal.inner_text()
    assert "PIPL (2021), art. 40" in legal.inner_text()
    assert page.locator("#kind-legal .lang").first.inner_text() == "EN"
    log_out(page)

    # The SME reports what it learnt; nobody else sees it yet.
    log_in(page, live_server, sme_user)
    page.goto(f"{live_server.url}/guides/markets/CN/")
    page.click("text=Report an experience")
    page.select_option("#id_programme", str(programme.pk))
    page.fill("#id_title", "Buyer required servers in China")
    page.fill("#id_text", "The buyer would only sign once our service ran on servers in China.")
    page.select_option("#id_suggested_kind", "legal")
    page.click("text=Send for review")
    page.wait_for_url(re.compile(r".*/guides/reports/\d+/$"))
    assert "Waiting for review" in page.locator("main").inner_text()
    log_out(page)

    # The advisor reviews it and publishes it as the source of the known barrier.
    log_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/guides/reports/?status=pending")
    page.click("text=Buyer required servers in China")
    page.check("#publish-form input[value=attach]")
    page.select_option("#publish-form select[name=barrier]", str(pipl.pk))
    page.click("text=Publish report")
    page.wait_for_url(re.compile(r".*/guides/reports/\d+/$"))
    assert "Published" in page.locator("main").inner_text()

    # The guide shows the report, and the barrier is confirmed today (no longer stale).
    page.goto(f"{live_server.url}/guides/markets/CN/")
    assert "Buyer required servers in China" in page.locator("#reports").inner_text()
    assert "stale" not in page.locator("#kind-legal").inner_text()
