"""One row of an import file, checked and converted: either a clean record or the reasons it
cannot be imported. Every reason names its field, so the preview can say "line 17: employees:
-3 is not a possible head count"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from metacluster.countries import countries

from .columns import register_status
from .nace import parse_nace
from .names import fold, name_key_and_legal_form
from .registry import normalise_registry_code, registry_code_error
from .vat import normalise_vat, vat_error

MAX_EMPLOYEES = 10_000_000  # more than any employer on earth has
FIRST_YEAR = 1800
# Error kinds, as the preview groups them.
KINDS = ("required", "checksum", "nace", "vat", "employees", "number", "date", "country",
         "website", "length", "encoding", "status", "duplicate")  # fmt: skip
LENGTHS = {"name": 200, "town": 100, "address": 300, "postcode": 20, "legal_form": 60,
           "status": 40, "registry_code": 30, "website": 200}  # fmt: skip


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    kind: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "kind": self.kind, "message": self.message}


@dataclass
class CleanRow:
    line: int
    values: dict = field(default_factory=dict)


def clean_row(
    line: int, raw: dict[str, str], *, default_country: str = "", year: int | None = None
):
    """(CleanRow, []) or (None, [RowError, ...]) for one mapped row (field → cell text)."""
    year = year or date.today().year
    errors: list[RowError] = []
    values: dict = {}

    def error(field_name: str, kind: str, message: str) -> None:
        errors.append(RowError(line, field_name, kind, message))

    # Every cell once, with its white space collapsed.
    cells = {name: " ".join(str(value).split()) for name, value in raw.items() if value}

    def text(name: str) -> str:
        return cells.get(name, "")

    for name in ("name", "town", "address", "postcode", "legal_form", "status", "description"):
        values[name] = text(name)
    if any("\ufffd" in value for value in cells.values()):
        error("", "encoding", "the text has characters that are not valid in the file's encoding")
    if not values["name"]:
        error("name", "required", "a company needs a name")
    for name, limit in LENGTHS.items():
        if len(cells.get(name, "")) > limit:
            error(name, "length", f"longer than {limit} characters")
    if "," in values["town"]:  # "Tallinn, Kesklinna linnaosa, Harju maakond" → "Tallinn"
        values["town"] = values["town"].split(",")[0].strip()
    values["name_key"], form = name_key_and_legal_form(values["name"])
    if not values["legal_form"]:
        values["legal_form"] = form.upper()[: LENGTHS["legal_form"]]

    country = (text("country") or default_country).upper()
    if not country:
        error("country", "required", "no country given, and the source has no default")
    elif country not in countries():
        error("country", "country", f"{country} is not an ISO 3166 country code")
    values["country"] = country

    code = normalise_registry_code(country, text("registry_code"))
    problem = registry_code_error(country, code) if country else None
    if problem:
        error("registry_code", "checksum", f"{text('registry_code')}: {problem}")
    values["registry_code"] = code

    vat = normalise_vat(text("vat_number"))
    if vat and country and not vat.startswith("EL" if country == "GR" else country):
        # Registers often give the number without its prefix.
        if vat.isdigit():
            vat = ("EL" if country == "GR" else country) + vat
    problem = vat_error(country, vat) if vat else None
    if problem or len(vat) > 16:
        error("vat_number", "vat", f"{text('vat_number')}: {problem or 'too long'}")
    values["vat_number"] = vat

    codes, unknown = parse_nace(text("nace_codes"))
    if unknown:
        error("nace_codes", "nace", f"not a NACE Rev. 2 code: {', '.join(unknown)}")
    values["nace_codes"] = codes

    values["employees"] = _employees(text("employees"), error)
    for name in ("turnover", "turnover_previous"):
        values[name] = _money(name, text(name), error)
    values["founded_year"] = _founded(text("founded"), year, error)
    status = register_status(values["status"])
    if status is None:
        error("status", "status", f"{values['status']} is not a register status we know")
    values["register_status"] = status or ""
    values["website"] = _website(text("website"), error)
    values["town_key"] = fold(values["town"])
    if errors:
        return None, errors
    return CleanRow(line, values), []


def _employees(value: str, error) -> int | None:
    if not value:
        return None
    if value.isdigit():
        number = int(value)
        return number if number <= MAX_EMPLOYEES else _impossible(value, error)
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    try:
        number = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        error("employees", "employees", f"{value} is not a number of employees")
        return None
    if number != number.to_integral_value() or number < 0 or number > MAX_EMPLOYEES:
        error("employees", "employees", f"{value} is not a possible head count")
        return None
    return int(number)


def _impossible(value: str, error) -> None:
    error("employees", "employees", f"{value} is not a possible head count")
    return None


def _money(name: str, value: str, error) -> Decimal | None:
    if not value:
        return None
    cleaned = value.replace(" ", "").replace("\u00a0", "").replace("€", "")
    if re.fullmatch(r"-?\d+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        error(name, "number", f"{value} is not an amount")
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("1e14"):
        error(name, "number", f"{value} is not a possible turnover")
        return None
    return number.quantize(Decimal("0.01"))


_ISO_DATE = re.compile(r"(\d{4})-\d{1,2}-\d{1,2}(?:[ T].*)?")
_DOTTED_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./](\d{4})")


def _founded(value: str, year: int, error) -> int | None:
    if not value:
        return None
    if value.isdigit() and len(value) == 4:
        founded = int(value)
    else:
        match = _ISO_DATE.fullmatch(value) or _DOTTED_DATE.fullmatch(value)
        if not match:
            error(
                "founded", "date", f"{value} is not a year or a date (2015, 2015-03-04, 04.03.2015)"
            )
            return None
        founded = int(match.group(1))
    if not FIRST_YEAR <= founded <= year:
        error("founded", "date", f"{value}: the founding year must be {FIRST_YEAR}-{year}")
        return None
    return founded


_HOST = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,63}(:\d{1,5})?([/?#]\S*)?$")


def _website(value: str, error) -> str:
    if not value:
        return ""
    url = value if re.match(r"^https?://", value, re.I) else f"https://{value}"
    if not _HOST.match(url):
        error("website", "website", f"{value} is not a web address")
        return ""
    return url
