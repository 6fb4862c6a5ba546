"""A period report as XLSX and PDF in the column order of Jems' indicator table, and the records
behind it as CSV."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.exports import csv_writer, sheet_append

from .figures import PeriodFigure, period_figures

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def columns() -> list[str]:
    # The columns of Jems' output/result indicator table, in its order.
    return [
        _("Indicator code"),
        _("Indicator name"),
        _("Measurement unit"),
        _("Target"),
        _("Previously reported"),
        _("Adjustment"),
        _("This period"),
        _("Cumulative"),
        _("Evidence records"),
        _("Programme indicator"),
    ]


def number(value):
    """A decimal as a spreadsheet number: 30 rather than 30.0 when it is whole."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def table_rows(rows: list[PeriodFigure]) -> list[list]:
    return [
        [
            row.eu_code or row.code,
            row.eu_name or row.name,
            row.unit,
            number(row.target),
            row.previously_reported,
            row.adjustment,
            row.this_period,
            row.cumulative,
            row.evidence_count,
            f"{row.code} {row.name}",
        ]
        for row in rows
    ]


def status_text(period) -> str:
    if period.is_submitted:
        report = period.report
        return _("Submitted %(when)s") % {
            "when": timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M %Z")
        }
    return _("Draft: computed %(when)s; not submitted") % {
        "when": timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M %Z")
    }


def filename(period, extension: str) -> str:
    return f"{period.programme.acronym}-period-{period.number}.{extension}"


def to_xlsx(period, rows: list[PeriodFigure] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = period_figures(period) if rows is None else rows
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")[:31]
    programme = period.programme
    sheet_append(sheet, [programme.name, programme.funding_programme])
    sheet_append(sheet, [str(period), status_text(period)])
    sheet.append([])
    sheet_append(sheet, columns())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for values in table_rows(rows):
        sheet_append(sheet, values)
    sheet.freeze_panes = "A5"
    for letter, width in zip("ABCDEFGHIJ", (12, 50, 16, 10, 12, 12, 12, 12, 10, 40), strict=True):
        sheet.column_dimensions[letter].width = width

    adjusted = [row for row in rows if row.adjustment_reason or row.added or row.removed]
    if adjusted:
        notes = book.create_sheet(_("Adjustments")[:31])
        sheet_append(notes, [_("Indicator code"), _("Adjustment"), _("Reason")])
        for row in adjusted:
            sheet_append(notes, [row.eu_code or row.code, row.adjustment, row.adjustment_reason])

    evidence = book.create_sheet(_("Evidence")[:31])
    sheet_append(evidence, evidence_columns())
    for values in evidence_rows(period, rows):
        sheet_append(evidence, values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_html(period, rows: list[PeriodFigure] | None = None) -> str:
    """The printable report the PDF is rendered from."""
    rows = period_figures(period) if rows is None else rows
    return render_to_string(
        "reporting/report_print.html",
        {
            "period": period,
            "programme": period.programme,
            "columns": columns(),
            "rows": rows,
            "table": table_rows(rows),
            "status": status_text(period),
            "generated_at": timezone.localtime(timezone.now()),
        },
    )


def to_pdf(period, rows: list[PeriodFigure] | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(period, rows)).write_pdf()


def evidence_columns() -> list[str]:
    return [
        "period",
        "indicator",
        "eu_code",
        "line",
        "record_type",
        "record_id",
        "record",
        "country",
        "size_class",
        "counted_from",
    ]


def evidence_rows(period, rows: list[PeriodFigure]):
    """One line per record behind the report: counted this period, or added to or removed from
    earlier periods by the adjustment."""
    for row in rows:
        for line, records in (
            ("this_period", row.records),
            ("adjustment_added", row.added),
            ("adjustment_removed", row.removed),
        ):
            for record in records:
                yield [
                    period.number,
                    row.code,
                    row.eu_code,
                    line,
                    row.record_type,
                    record["id"],
                    record["label"],
                    record["country"],
                    record["size_class"],
                    record["counted_from"],
                ]


def to_csv(period, rows: list[PeriodFigure] | None = None) -> str:
    rows = period_figures(period) if rows is None else rows
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(evidence_columns())
    writer.writerows(evidence_rows(period, rows))
    return out.getvalue()


def render(period, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the period report in `fmt`."""
    if fmt == "xlsx":
        return to_xlsx(period), XLSX_TYPE, filename(period, "xlsx")
    if fmt == "pdf":
        return to_pdf(period), "application/pdf", filename(period, "pdf")
    if fmt == "csv":
        return to_csv(period).encode("utf-8"), "text/csv; charset=utf-8", filename(period, "csv")
    raise ValueError(fmt)


FORMATS = ("xlsx", "pdf", "csv")
