"""Producing a period report in a real browser: from the reports list to a submitted, frozen
report and its XLSX download."""

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from metacluster.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_a_manager_produces_and_submits_a_period_report(page, live_server, demo, tmp_path):
    log_in(page, live_server, "manager.fov")
    page.click("nav >> text=Reports")
    page.click("#programme-ict-meta-cluster >> text=ICT Meta Cluster")
    page.wait_for_selector("#period-3")
    assert "Submitted" in page.locator("#period-1").inner_text()
    assert "Draft" in page.locator("#period-3").inner_text()

    # Period 2 carries the correction of period 1 as an adjustment, with its reason.
    page.click("#period-2 >> text=Period 2")
    adjustment = page.locator("#adjustment-SME-NONFIN")
    assert "corrected after the period 1 report" in adjustment.inner_text()
    assert page.locator("#figure-SME-NONFIN .adjustment").inner_text() == "+1"

    page.click("text=Period 3 →")
    page.wait_for_selector("#report-table")
    assert "Draft" in page.locator("#report-status").inner_text()
    previously = int(page.locator("#figure-SME-NONFIN .previously").inner_text())
    this_period = int(page.locator("#figure-SME-NONFIN .this-period").inner_text())
    cumulative = int(page.locator("#figure-SME-NONFIN .cumulative strong").inner_text())
    assert cumulative == previously + this_period

    page.check("#id_confirm")
    page.fill("#id_note", "Third progress report")
    page.click("#submit-report")
    page.wait_for_selector(".messages >> text=submitted")
    assert "These figures are frozen" in page.locator("#report-status").inner_text()
    assert page.locator("#submit-report").count() == 0

    # The export is a background job: its page shows the progress, then offers the file.
    page.click("text=Download XLSX")
    page.wait_for_selector("#job-file")
    with page.expect_download() as download:
        page.click("#job-file")
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "ict-meta-cluster-period-3.xlsx"
    rows = list(load_workbook(path)["Indicators"].iter_rows(values_only=True))
    assert rows[1][1].startswith("Submitted")
    line = next(row for row in rows[4:] if row[0] == "RCO04")
    assert line[4:8] == (previously, 0, this_period, cumulative)
    page.click("#job-continue")  # back to the report
    page.wait_for_selector("#report-table")


def test_an_advisor_sees_reports_and_only_its_own_partner_view(page, live_server, demo):
    log_in(page, live_server, "advisor.tehnopol")
    page.goto(f"{live_server.url}/reporting/4smartgrowth/")
    links = page.locator(".partner-links a")
    assert links.count() == 1
    links.first.click()
    page.wait_for_selector("#budget-use")
    assert "of the partner budget" in page.locator("#budget-use").inner_text()
    assert page.locator("#contributions tr").count() > 1
    page.goto(f"{live_server.url}/reporting/4smartgrowth/periods/2/")
    assert page.locator("#submit-report").count() == 0
