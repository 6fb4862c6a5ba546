"""Reading CSV and XLSX files row by row, without holding the file in memory."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
import uuid
import zipfile
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
MB = 1024 * 1024
# What an XLSX upload may hold, checked from the archive's directory and one streaming pass
# over its sheets before the workbook is opened, so that a "zip bomb" (a megabyte that
# unpacks into gigabytes) is refused before memory grows. The shared strings are read into
# memory whole by any XLSX reader, so they have a lower limit of their own. A CSV line is
# read at most MAX_LINE_BYTES at a time.
MAX_XLSX_UNPACKED_BYTES = 200 * MB
MAX_XLSX_SHARED_STRINGS_BYTES = 30 * MB
MAX_XLSX_PARTS = 1_000
MAX_XLSX_ROWS = 1_048_576  # Excel's own limit
MAX_XLSX_COLUMNS = 500
MAX_LINE_BYTES = 1 * MB
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
    """A binary file's lines as text. A line that is not valid in the encoding (or, read in a
    legacy encoding, is plainly UTF-8) is given as read, with bad bytes replaced so that the
    CSV reader keeps its place, and noted in `bad`, line number → problem, so that its row
    becomes an error instead of mangled text."""

    def __init__(self, binary, encoding: str):
        self.binary, self.encoding = binary, encoding
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        lines = iter(lambda: self.binary.readline(MAX_LINE_BYTES + 1), b"")
        for number, raw in enumerate(lines, start=1):
            if len(raw) > MAX_LINE_BYTES:
                raise UnreadableFile(f"line {number} is longer than {MAX_LINE_BYTES // MB} MB")
            if number == 1:
                raw = raw.removeprefix(BOM)
            try:
                text = raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                self.bad[number] = _problem(error, self.encoding)
                yield raw.decode(self.encoding, errors="replace")
                continue
            if self.encoding != "utf-8" and not raw.isascii() and _decodes(raw, "utf-8"):
                # Valid in both, but a legacy text is almost never valid UTF-8: its letters
                # would turn into pairs of wrong ones.
                self.bad[number] = f"UTF-8 text, not {_label(self.encoding)}"
            yield text


class Table:
    """A file's header and its rows as (line number, {header: text}); `fraction` says how
    far reading has got, for a progress bar."""

    def __init__(self, path: str, encoding: str = "utf-8", *, check: bool = False):
        """`check` (on upload): refuse, before reading it, a workbook beyond the limits above
        or a CSV file that is not text in `encoding`."""
        self.path, self.encoding = path, encoding
        self.size = max(os.path.getsize(path), 1)
        self.fraction = 0.0
        self.xlsx = is_xlsx(path)
        if check:
            if self.xlsx:
                check_xlsx(path)
            else:
                with open(path, "rb") as binary:
                    check_encoding(binary.read(SAMPLE_BYTES), encoding)
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
        total = min(max(sheet.max_row or 1, 1), MAX_XLSX_ROWS)
        # Rows as they are in the file: a declared dimension (which may say 16,384 columns)
        # would pad every row to its width.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            self.fraction = min(number / total, 1.0)
            yield number, [_cell_text(value) for value in row]
        book.close()

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


class _TooBig(Exception):
    pass


def check_xlsx(path: str) -> None:
    """Refuse a workbook that unpacks to more than an import reads, from the sizes its
    archive declares (Python's zipfile never unpacks a part beyond its declared size), then
    from one streaming pass over each sheet counting rows and cells (constant memory)."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(f"not a readable XLSX workbook ({error})") from error
    with book:
        parts = book.infolist()
        if len(parts) > MAX_XLSX_PARTS:
            raise UnreadableFile(f"the workbook has more than {MAX_XLSX_PARTS:,} parts")
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise UnreadableFile(
                f"the workbook unpacks to more than {MAX_XLSX_UNPACKED_BYTES // MB} MB "
                f"({unpacked // MB:,} MB): save its sheet as CSV, or import it with "
                "`metacluster import-companies`"
            )
        for part in parts:
            name = part.filename.lower()
            if (
                name.endswith("sharedstrings.xml")
                and part.file_size > MAX_XLSX_SHARED_STRINGS_BYTES
            ):
                raise UnreadableFile(
                    f"the workbook's shared strings unpack to more than "
                    f"{MAX_XLSX_SHARED_STRINGS_BYTES // MB} MB: save its sheet as CSV"
                )
        for part in parts:
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", part.filename):
                _scan_sheet(book, part)


def _column_number(reference: str) -> int:
    number = 0
    for letter in reference:
        if not letter.isalpha():
            break
        number = number * 26 + ord(letter.upper()) - 64
    return number


def _scan_sheet(book: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Count a sheet's rows and each row's cells as its XML streams past; refuse beyond the
    limits, and any document type declaration (no entities to expand)."""
    from xml.parsers import expat

    rows = cells = 0

    def start(name, attributes):
        nonlocal rows, cells
        local = name.rpartition(" ")[2]
        if local == "row":
            rows, cells = rows + 1, 0
            if rows > MAX_XLSX_ROWS or int(attributes.get("r") or 0) > MAX_XLSX_ROWS:
                raise _TooBig(f"the sheet has more than {MAX_XLSX_ROWS:,} rows")
        elif local == "c":
            cells += 1
            if (
                cells > MAX_XLSX_COLUMNS
                or _column_number(attributes.get("r", "")) > MAX_XLSX_COLUMNS
            ):
                raise _TooBig(f"the sheet has more than {MAX_XLSX_COLUMNS} columns")

    def no_doctype(*_args):
        raise _TooBig("the sheet declares a document type, which a workbook does not")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_doctype
    try:
        with book.open(part) as stream:
            while chunk := stream.read(MB):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _TooBig as error:
        raise UnreadableFile(str(error)) from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError) as error:
        raise UnreadableFile(f"not a readable XLSX workbook ({error})") from error


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
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_mode & 0o077 and info.st_uid == os.getuid():  # made by an older version
        path.chmod(0o700)
    return path


def new_upload_path(suffix: str) -> Path:
    """A fresh file name in the upload directory for an upload's copy."""
    return upload_dir() / f"{uuid.uuid4().hex}{suffix[:10]}"


def store_upload(chunks, suffix: str) -> Path:
    """Write an upload's pieces to a new file that only the server's user may read (0600,
    set when the file is created, so it is never readable by others even for a moment)."""
    path = new_upload_path(suffix)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        for piece in chunks:
            target.write(piece)
    return path


def copy_upload(source: str) -> Path:
    """The command's own copy of a file, as an upload's (0600)."""
    with open(source, "rb") as original:
        return store_upload(iter(lambda: original.read(MB), b""), Path(source).suffix)


def discard(path: str) -> None:
    """Delete an import's file once its job has ended."""
    if path:
        Path(path).unlink(missing_ok=True)
