"""Every CSV and XLSX the platform writes goes through here, so that no cell a spreadsheet opens
can run as a formula ("CSV injection", OWASP).

A company name such as ``=HYPERLINK("http://evil.example/")`` can arrive from an API write or an
imported register; written as it is, Excel and LibreOffice would evaluate it when the file is
opened. A text cell that starts with ``= + - @``, a tab or a carriage return is written with a
leading apostrophe, which spreadsheets show as text. Numbers, dates and empty cells are written
unchanged, so negative figures stay numbers.
"""

import csv
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_STARTS", "csv_writer", "safe_cell", "safe_row", "sheet_append"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as it may go into a spreadsheet cell: text that would start a formula is
    prefixed with an apostrophe; anything that is not text is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class _SafeWriter:
    """A `csv.writer` whose every cell passes through `safe_cell`."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, values: Iterable[Any]):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for values in rows:
            self.writerow(values)


def csv_writer(file, **options) -> _SafeWriter:
    """Like `csv.writer(file, **options)`, with formula-leading text neutralised."""
    return _SafeWriter(file, **options)


def sheet_append(sheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)` for an openpyxl worksheet, with formula-leading text neutralised
    (openpyxl stores any string starting with ``=`` as a live formula)."""
    sheet.append(safe_row(values))
