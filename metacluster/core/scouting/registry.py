"""Business-register codes: their format and, where the country publishes one, check digit.

Each rule is the register's public definition (see docs/SCOUTING.md for sources):

- EE registrikood: 8 digits; check digit mod 11 with weights 1..7, then 3..9 when the first
  round gives 10 (the same rule as the Estonian personal code).
- FI Y-tunnus: 7 digits, a hyphen, a check digit: 11 - (Σ digit × 7,9,10,5,8,4,2 mod 11);
  remainder 0 gives 0, remainder 1 is never issued.
- SE organisationsnummer: 10 digits (NNNNNN-NNNN), Luhn check digit.
- NO organisasjonsnummer: 9 digits, mod 11 with weights 3,2,7,6,5,4,3,2.
- DK CVR: 8 digits, Σ digit × 2,7,6,5,4,3,2,1 divisible by 11.
- LV reģistrācijas numurs of a legal person: 11 digits starting with 4 or 5,
  Σ digit × 9,1,4,8,3,10,2,5,7,6,1 ≡ 3 (mod 11).
- LT įmonės kodas: 9 digits, check digit mod 11 with weights 1..8, then 3..10.
- DE Handelsregister: court register and number (e.g. HRB 12345); no check digit.
Other countries: any 1-30 letters, digits, spaces, dots, slashes or hyphens.
"""

from __future__ import annotations

import re

from ..errors import InputError

CHECKED_COUNTRIES = ("DK", "EE", "FI", "LT", "LV", "NO", "SE")


_SEPARATORS = re.compile(r"[\s\-]")


def _digits(code: str) -> str:
    return _SEPARATORS.sub("", code) if not code.isdigit() else code


def _mod11_two_rounds(digits: str, count: int) -> int:
    """The Baltic check digit: weights 1,2,...; if the remainder is 10, weights 3,4,...;
    if again 10, the check digit is 0."""
    for start in (1, 3):
        weights = [(start + i - 1) % 9 + 1 for i in range(count)]
        remainder = _weighted(digits[:count], weights) % 11
        if remainder < 10:
            return remainder
    return 0


def _weighted(digits: str, weights) -> int:
    """Σ digit × weight over the leading digits (as many as there are weights)."""
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_registry_code(country: str, code: str) -> str:
    """The register's canonical spelling: digits only where the register has only digits
    (Finland keeps its hyphen: 0112038-9), upper case elsewhere."""
    code = (code or "").strip()
    if country == "FI":
        digits = _digits(code)
        return f"{digits[:-1]}-{digits[-1]}" if re.fullmatch(r"\d{8}", digits) else code
    if country in CHECKED_COUNTRIES:
        return _digits(code)
    return re.sub(r"\s+", " ", code.upper())


def registry_code_error(country: str, code: str) -> str | None:
    """Why `code` cannot be a register code of `country`, or None when it can."""
    code = normalise_registry_code(country, code)
    if not code:
        return None
    if country == "EE":
        if not re.fullmatch(r"\d{8}", code):
            return "an Estonian registry code has 8 digits"
        if _mod11_two_rounds(code, 7) != int(code[7]):
            return "the Estonian registry code's check digit is wrong"
    elif country == "FI":
        if not re.fullmatch(r"\d{7}-\d", code):
            return "a Finnish business ID has 7 digits, a hyphen and a check digit"
        remainder = _weighted(code[:7], (7, 9, 10, 5, 8, 4, 2)) % 11
        if remainder == 1 or (0 if remainder == 0 else 11 - remainder) != int(code[8]):
            return "the Finnish business ID's check digit is wrong"
    elif country == "SE":
        if not re.fullmatch(r"\d{10}", code):
            return "a Swedish organisation number has 10 digits"
        if not _luhn_ok(code):
            return "the Swedish organisation number's check digit is wrong"
    elif country == "NO":
        if not re.fullmatch(r"\d{9}", code):
            return "a Norwegian organisation number has 9 digits"
        weights = (3, 2, 7, 6, 5, 4, 3, 2)
        remainder = _weighted(code, weights) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check == 10 or check != int(code[8]):
            return "the Norwegian organisation number's check digit is wrong"
    elif country == "DK":
        if not re.fullmatch(r"\d{8}", code):
            return "a Danish CVR number has 8 digits"
        weights = (2, 7, 6, 5, 4, 3, 2, 1)
        if _weighted(code, weights) % 11:
            return "the Danish CVR number's check digit is wrong"
    elif country == "LV":
        if not re.fullmatch(r"\d{11}", code):
            return "a Latvian registration number has 11 digits"
        if code[0] in "45":
            weights = (9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1)
            if _weighted(code, weights) % 11 != 3:
                return "the Latvian registration number's check digit is wrong"
    elif country == "LT":
        if not re.fullmatch(r"\d{9}", code):
            return "a Lithuanian company code has 9 digits"
        if _mod11_two_rounds(code, 8) != int(code[8]):
            return "the Lithuanian company code's check digit is wrong"
    elif country == "DE":
        if not re.fullmatch(r"(HRA|HRB|GNR|PR|VR)\s?\d{1,6}(\s?[A-Z]{1,2})?", code):
            return "a German register number looks like HRB 12345"
    elif not re.fullmatch(r"[A-Z0-9][A-Z0-9 ./\-]{0,29}", code):
        return "a registry code has letters, digits, spaces, dots, slashes or hyphens"
    return None


def with_check_digit(country: str, body: str) -> str:
    """Complete `body` (the code without its check digit) with the right check digit; used to
    generate valid test and benchmark data. Supported: EE, FI, SE, LT, NO."""
    if country == "EE":
        return body + str(_mod11_two_rounds(body, 7))
    if country == "LT":
        return body + str(_mod11_two_rounds(body, 8))
    if country == "FI":
        remainder = _weighted(body, (7, 9, 10, 5, 8, 4, 2)) % 11
        if remainder == 1:
            raise InputError("no valid Finnish business ID starts with these digits")
        return f"{body}-{0 if remainder == 0 else 11 - remainder}"
    if country == "SE":
        for check in "0123456789":
            if _luhn_ok(body + check):
                return body + check
    if country == "NO":
        remainder = _weighted(body, (3, 2, 7, 6, 5, 4, 3, 2)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check == 10:
            raise InputError("no valid Norwegian number starts with these digits")
        return body + str(check)
    raise InputError(f"no check digit rule for {country}")
