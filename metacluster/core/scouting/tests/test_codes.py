import pytest

from metacluster.core.scouting import (
    normalise_registry_code,
    registry_code_error,
    vat_error,
    with_check_digit,
)
from metacluster.core.scouting.nace import matches, parse_nace

# Real register codes of well-known companies, whose check digits the rules must accept.
REAL = [
    ("EE", "12417834"),  # Bolt Technology OÜ
    ("FI", "0112038-9"),  # Nokia Oyj
    ("SE", "556012-5790"),  # AB Volvo
    ("NO", "923609016"),  # Equinor ASA
    ("DK", "24256790"),  # Novo Nordisk A/S
    ("LV", "40003245752"),  # airBaltic
    ("LT", "121215434"),  # Telia Lietuva
]


@pytest.mark.parametrize("country,code", REAL)
def test_real_register_codes_pass_their_country_check(country, code):
    assert registry_code_error(country, code) is None


@pytest.mark.parametrize("country,code", REAL)
def test_changing_the_check_digit_is_caught(country, code):
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert "check digit" in registry_code_error(country, wrong)


@pytest.mark.parametrize(
    "country,code,message",
    [("EE", "1234567", "8 digits"), ("FI", "123456", "hyphen"), ("SE", "55601", "10 digits")],
)
def test_wrong_length_is_named(country, code, message):
    assert message in registry_code_error(country, code)


def test_countries_without_a_public_check_accept_sensible_codes():
    assert registry_code_error("PL", "0000123456") is None
    assert registry_code_error("DE", "HRB 12345") is None
    assert "HRB" in registry_code_error("DE", "12345")


def test_codes_are_normalised_to_the_registers_spelling():
    assert normalise_registry_code("SE", "556012-5790") == "5560125790"
    assert normalise_registry_code("FI", "01120389") == "0112038-9"
    assert normalise_registry_code("EE", " 12417834 ") == "12417834"


@pytest.mark.parametrize("country,body", [("EE", "1000000"), ("SE", "556677889"),
                                          ("FI", "1234567"), ("LT", "30000000")])  # fmt: skip
def test_generated_check_digits_validate(country, body):
    assert registry_code_error(country, with_check_digit(country, body)) is None


def test_vat_numbers():
    assert vat_error("SE", "SE556012579001") is None
    assert vat_error("FI", "FI01120389") is None
    assert vat_error("EE", "EE100931558") is None  # a valid KMKR check digit
    assert "check digit" in vat_error("EE", "EE100931559")
    assert "prefix" in vat_error("SE", "FI01120389")
    assert "does not look like" in vat_error("DE", "DE12345")
    assert vat_error("GR", "EL123456789") is None


def test_nace_parsing_accepts_national_five_digit_codes():
    assert parse_nace("62011; 63.11, 7022") == (["62.01", "63.11", "70.22"], [])
    codes, unknown = parse_nace("62.99 J")
    assert codes == ["J"] and unknown == ["62.99"]


def test_nace_prefixes_and_sections_match():
    assert matches("62.01", ["62"]) and matches("62.01", ["J"]) and not matches("62.01", ["63"])
