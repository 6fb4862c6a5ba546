"""Exports of a period report read back: XLSX with openpyxl, the PDF's HTML and page count, CSV."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from metacluster.reporting import exports
from metacluster.reporting.figures import submit_report

from .pdfinspect import page_count


@pytest.fixture
def reported(periods, manager, nonfin_indicator, coaching, company, other_company, deliver):
    """Period 1 submitted with Alpha; Beta recorded late into period 1, so period 2 carries an
    adjustment of +1 with a reason."""
    nonfin_indicator.eu_code = "RCO04"
    nonfin_indicator.save()
    company.employees = 12
    company.save()
    deliver(coaching, company, date(2020, 2, 2))
    submit_report(periods[0], manager)
    deliver(coaching, other_company, date(2020, 3, 3))
    submit_report(periods[1], manager, reasons={"SME-NONFIN": "Beta's coaching entered late."})
    return periods


def test_the_xlsx_has_the_jems_columns_in_order(reported, other_company):
    book = load_workbook(io.BytesIO(exports.to_xlsx(reported[1])))
    sheet = book["Indicators"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][0] == "Test Export Programme"
    assert rows[1][1].startswith("Submitted")
    assert rows[3] == (
        "Indicator code",
        "Indicator name",
        "Measurement unit",
        "Target",
        "Previously reported",
        "Adjustment",
        "This period",
        "Cumulative",
        "Evidence records",
        "Programme indicator",
    )
    assert rows[4] == (
        "RCO04",
        "Enterprises with non-financial support",
        "companies",
        2,
        1,
        1,
        0,
        2,
        1,
        "SME-NONFIN SMEs receiving non-financial support",
    )
    adjustments = list(book["Adjustments"].iter_rows(values_only=True))
    assert adjustments[1] == ("RCO04", 1, "Beta's coaching entered late.")
    evidence = list(book["Evidence"].iter_rows(values_only=True))
    assert evidence[1][3:8] == (
        "adjustment_added",
        "companies",
        other_company.pk,
        "Beta Fictional OÜ",
        "EE",
    )


def test_the_csv_lists_each_record_with_country_and_size_class(reported, company):
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(reported[0]))))

    assert rows == [
        {
            "period": "1",
            "indicator": "SME-NONFIN",
            "eu_code": "RCO04",
            "line": "this_period",
            "record_type": "companies",
            "record_id": str(company.pk),
            "record": "Alpha Fictional AB",
            "country": "SE",
            "size_class": "small",
            "counted_from": "2020-02-02",
        }
    ]


def test_the_pdf_is_rendered_from_the_report_html(reported):
    html = exports.report_html(reported[1])

    assert "indicator report, period 2" in html
    assert "RCO04" in html and "Enterprises with non-financial support" in html
    assert "Beta&#x27;s coaching entered late." in html
    assert "Beta Fictional OÜ" in html
    pdf = exports.to_pdf(reported[1])
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1


def test_a_long_evidence_list_runs_over_several_pages(
    periods, nonfin_indicator, coaching, make_company, deliver
):
    for n in range(120):
        deliver(coaching, make_company(f"Fictional Company {n:03d} AB"), date(2020, 4, 1))

    pdf = exports.to_pdf(periods[0])

    assert page_count(pdf) >= 3
    from weasyprint import HTML

    assert page_count(pdf) == len(HTML(string=exports.report_html(periods[0])).render().pages)


def test_the_downloads_have_file_names_and_types(reported, viewer):
    client = Client()
    client.force_login(viewer)
    for fmt, content_type in (
        ("xlsx", exports.XLSX_TYPE),
        ("pdf", "application/pdf"),
        ("csv", "text/csv; charset=utf-8"),
    ):
        response = client.get(f"/reporting/tep/periods/2/report.{fmt}")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert f'filename="tep-period-2.{fmt}"' in response["Content-Disposition"]


def test_the_command_writes_a_period_report(reported, tmp_path):
    output = tmp_path / "report.xlsx"
    call_command("period_report", "tep", "2", "--format", "xlsx", "--output", str(output))
    sheet = load_workbook(output)["Indicators"]
    assert sheet["A5"].value == "RCO04"

    with pytest.raises(CommandError, match="no period 9"):
        call_command("period_report", "tep", "9", "--format", "pdf", "--output", str(output))
    with pytest.raises(CommandError, match="No programme"):
        call_command("period_report", "nope", "1", "--format", "csv", "--output", str(output))


EVIL = '=HYPERLINK("http://evil.example/")'


def test_a_formula_like_company_name_is_text_in_the_xlsx_and_the_csv(
    periods, nonfin_indicator, coaching, company, deliver
):
    company.name = EVIL
    company.save()
    deliver(coaching, company, date(2020, 2, 2))

    book = load_workbook(io.BytesIO(exports.to_xlsx(periods[0])))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + EVIL in [cell.value for cell in cells]

    rows = list(csv.DictReader(io.StringIO(exports.to_csv(periods[0]))))
    assert rows[0]["record"] == "'" + EVIL
