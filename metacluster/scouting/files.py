"""Reading CSV and XLSX files row by row, without holding the file in memory."""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1252": "Windows-1252 (Western European)",
    "iso-8859-1": "ISO 8859-1",
}


SAMPLE_BYTES = 65_536
# The reading position (for progress) is taken every so many rows.
PROGRESS_EVERY = 1_000


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file we can read."""


def is_xlsx(path: str) -> bool:
    with open(path, "rb") as file:
        return file.read(4) == b"PK\x03\x04"


# The key under which `Table.rows` gives a row that is not text in the file's encoding: its
# only entry, the message. Such a row is that row's error; its cells are never read.
UNDECODABLE = "\x00undecodable"
BOM = b"\xef\xbb\xbf"


def _label(encoding: str) -> str:
    return ENCODINGS.get(encoding, encoding).split(" (")[0]


def _problem(error: UnicodeDecodeError, encoding: str) -> str:
    byte = error.object[error.start : error.start + 1].hex().upper()
    return f"not valid {_label(encoding)} text (byte 0x{byte})"


def check_encoding(sample: bytes, encoding: str) -> None:
    """Refuse a file whose first bytes are plainly UTF-8 when another encoding was chosen
    (read so, each letter would turn into two wrong ones without any error), or are not text
    in the chosen encoding. Either way the message says what to choose."""
    sample = sample.removeprefix(BOM)
    if sample.isascii():
        return
    if encoding != "utf-8" and _decodes(sample, "utf-8"):
        raise UnreadableFile(
            f"the file is UTF-8 text, not {_label(encoding)}: choose the file's encoding, UTF-8"
        )
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError as error:
        line = sample.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(
            f"the file is not {_label(encoding)} text (line {line}, byte "
            f"0x{sample[error.start]:02X}): choose the file's encoding (Windows-1257 for Baltic "
            "spreadsheets, Windows-1252 for other Western European ones)"
        ) from error


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


class _Lines:
    """A binary file's lines as text. A line that is not valid in the encoding is given with
    its bad bytes replaced (so the CSV reader keeps its place) and noted in `bad`, line
    number → problem, so that its row becomes an error instead of mangled text."""

    def __init__(self, binary, encoding: str):
        self.binary, self.encoding = binary, encoding
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        for number, raw in enumerate(self.binary, start=1):
            if number == 1:
                raw = raw.removeprefix(BOM)
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                self.bad[number] = _problem(error, self.encoding)
                yield raw.decode(self.encoding, errors="replace")


class Table:
    """A file's header and its rows as (line number, {header: text}); `fraction` says how
    far reading has got, for a progress bar."""

    def __init__(self, path: str, encoding: str = "utf-8"):
        self.path, self.encoding = path, encoding
        self.size = max(os.path.getsize(path), 1)
        self.fraction = 0.0
        self.xlsx = is_xlsx(path)
        self.headers = next(self._raw_rows(), (0, []))[1]
        if not any(self.headers):
            raise UnreadableFile("the file has no header row")

    def _raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        if self.xlsx:
            yield from self._xlsx_rows()
            return
        with open(self.path, "rb") as binary:
            decoded = _Lines(binary, self.encoding)
            lines = iter(decoded)
            sample = next(lines, "")
            dialect = _dialect(sample)
            reader = csv.reader(_chain(sample, lines), dialect)
            last = 0
            try:
                for number, row in enumerate(reader):
                    if number % PROGRESS_EVERY == 0:  # tell() per row took 8% of an import
                        self.fraction = min(binary.tell() / self.size, 1.0)
                    first, last = last + 1, reader.line_num
                    if decoded.bad:
                        bad = [
                            decoded.bad.pop(n) for n in range(first, last + 1) if n in decoded.bad
                        ]
                        if bad:
                            if number == 0:
                                raise UnreadableFile(f"the header row is {bad[0]}")
                            yield last, [UNDECODABLE, bad[0]]
                            continue
                    yield reader.line_num, [cell.strip() for cell in row]
                self.fraction = 1.0
            except csv.Error as error:
                raise UnreadableFile(f"line {reader.line_num}: {error}") from error

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise UnreadableFile(f"not a readable XLSX workbook ({error})") from error
        sheet = book.worksheets[0]
        total = max(sheet.max_row or 1, 1)
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            self.fraction = min(number / total, 1.0)
            yield number, [_cell_text(value) for value in row]
        book.close()

    def check_encoding(self) -> None:
        """On upload: refuse a CSV file whose first 64 KB are not text in the chosen encoding
        (a wrong choice, almost always). Later lines that are not are each their row's error."""
        if not self.xlsx:
            with open(self.path, "rb") as binary:
                check_encoding(binary.read(SAMPLE_BYTES), self.encoding)

    def estimated_rows(self) -> int:
        """About how many rows a CSV file has, from the length of its first lines (0 for
        XLSX, whose size says little about its rows)."""
        if self.xlsx:
            return 0
        with open(self.path, "rb") as binary:
            sample = binary.read(SAMPLE_BYTES)
        lines = max(sample.count(b"\n"), 1)
        return lines if len(sample) < SAMPLE_BYTES else round(self.size * lines / len(sample))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        rows = self._raw_rows()
        next(rows, None)  # the header
        headers = self.headers
        for line, cells in rows:
            if cells and cells[0] == UNDECODABLE:
                yield line, {UNDECODABLE: cells[1]}
                continue
            if not any(cells):
                continue
            yield line, dict(zip(headers, cells, strict=False))


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _dialect(sample: str):
    counts = {delimiter: sample.count(delimiter) for delimiter in (";", ",", "\t", "|")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def headers_of(path: str, encoding: str = "utf-8") -> list[str]:
    return Table(path, encoding).headers


def to_csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def upload_dir() -> Path:
    """Where uploaded files wait between the check and the import. METACLUSTER_IMPORT_DIR
    should name a directory every server process shares."""
    default = Path(tempfile.gettempdir()) / "metacluster-imports"
    path = Path(os.environ.get("METACLUSTER_IMPORT_DIR") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path
