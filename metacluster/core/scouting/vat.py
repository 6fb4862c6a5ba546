"""VAT identification numbers: the format of each EU country (as VIES documents it), Norway's
MVA number, and the check digit where it is the register code's own (EE, FI, SE, DK, LT, LV).
"""

from __future__ import annotations

import re

from .registry import _luhn_ok, _weighted, registry_code_error

# Country prefix → pattern of what follows it. Greece uses EL, Northern Ireland XI.
FORMATS = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"10\d{7}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d[A-Z0-9+*]\d{5}[A-Z]{1,2}",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "NO": r"\d{9}(MVA)?",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"\d{2,10}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
}


def vat_prefix(country: str) -> str:
    return "EL" if country == "GR" else country


def normalise_vat(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def vat_error(country: str, value: str) -> str | None:
    """Why `value` cannot be the VAT number of a company in `country`, or None."""
    vat = normalise_vat(value)
    if not vat:
        return None
    prefix, number = vat[:2], vat[2:]
    if not re.fullmatch(r"[A-Z]{2}", prefix):
        return "a VAT number starts with its two-letter country prefix"
    if country and prefix != vat_prefix(country):
        return f"the VAT prefix {prefix} does not match the country {country}"
    pattern = FORMATS.get(prefix)
    if pattern is None:
        return None if re.fullmatch(r"[0-9A-Z+*.]{2,13}", number) else "malformed VAT number"
    if not re.fullmatch(pattern, number):
        return f"a {prefix} VAT number does not look like this"
    if prefix == "EE":
        weights = (3, 7, 1, 3, 7, 1, 3, 7, 1)
        if _weighted(number, weights) % 10:
            return "the Estonian VAT number's check digit is wrong"
    elif prefix == "SE" and not _luhn_ok(number[:10]):
        return "the Swedish VAT number's check digit is wrong"
    elif prefix in ("FI", "DK", "NO"):
        code = (
            f"{number[:7]}-{number[7]}" if prefix == "FI" else number[: 9 if prefix == "NO" else 8]
        )
        if registry_code_error(prefix, code):
            return f"the {prefix} VAT number's check digit is wrong"
    return None
