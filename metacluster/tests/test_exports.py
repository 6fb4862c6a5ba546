"""The one helper every CSV and XLSX export writes through: no cell runs as a formula."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from metacluster.exports import csv_writer, safe_cell, sheet_append

EVIL = '=HYPERLINK("http://evil.example/")'


@pytest.mark.parametrize(
    "value",
    [
        EVIL,
        "+31 20 123",  # a phone number that a spreadsheet would add up
        "-2+3",
        "@SUM(A1)",
        "\t=1+1",  # a tab before the formula
        "\r=1+1",
    ],
)
def test_text_that_would_start_a_formula_is_written_as_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Alpha AB", "", None, -5, 3.5, "a=b"])
def test_everything_else_is_unchanged(value):
    assert safe_cell(value) == value


def test_the_csv_writer_neutralises_every_cell():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["name", EVIL])
    writer.writerows([[EVIL, -1]])
    assert out.getvalue().splitlines() == [
        'name,"\'=HYPERLINK(""http://evil.example/"")"',
        '"\'=HYPERLINK(""http://evil.example/"")",-1',
    ]


def test_an_xlsx_row_holds_no_formula():
    book = Workbook()
    sheet_append(book.active, [EVIL, -1])
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert cells[0].data_type == "s" and cells[0].value == "'" + EVIL
    assert cells[1].value == -1
