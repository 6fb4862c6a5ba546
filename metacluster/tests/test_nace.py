"""NACE Rev. 2 codes as people read them: every section and division has its official title,
shown through the translation catalogues in the reader's language; a group or class is named
by its division, and a code that is not NACE is shown alone."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import pgettext

from metacluster import nace
from metacluster.core.scouting.nace import nace_codes
from metacluster.nace import DIVISIONS, SECTIONS, nace_name, picked_nace

PROGRAMMING = "Computer programming, consultancy and related activities"


@pytest.fixture
def marked(monkeypatch):
    """A "translation" that marks every title looked up with its context, to see that the
    catalogues are asked (the lead's translations come later)."""
    monkeypatch.setattr(translation._trans, "pgettext", lambda context, text: f"[{context}] {text}")


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_every_section_and_division_of_the_core_table_has_a_title():
    assert set(SECTIONS) == {chr(c) for c in range(ord("A"), ord("U") + 1)}
    assert set(DIVISIONS) == {code for code in nace_codes() if len(code) == 2 and code.isdigit()}
    assert len(DIVISIONS) == 88


@pytest.mark.parametrize(
    "code, title",
    [
        ("62", PROGRAMMING),
        ("62.0", PROGRAMMING),  # a group: its division's title
        ("62.01", PROGRAMMING),  # a class
        ("6201", PROGRAMMING),  # as registers write it
        ("62010", PROGRAMMING),  # a national five-digit code (EMTAK, SNI, TOL)
        ("J", "Information and communication"),  # a section: its own title
        ("j", "Information and communication"),
    ],
)
def test_a_code_is_named_by_itself_or_its_division(code, title):
    assert nace_name(code) == title


def test_without_a_division_title_a_code_is_named_by_its_section(monkeypatch):
    monkeypatch.delitem(DIVISIONS, "62")
    assert nace_name("62.01") == "Information and communication"


@pytest.mark.parametrize("code", ["99.99", "6x", "00", "", "Z"])
def test_a_code_that_is_not_nace_has_no_name_and_is_shown_alone(code):
    assert nace_name(code) == ""
    assert render("{{ code|nace }}", code=code) == (
        f'<span class="nace">{code}</span>' if code else ""
    )


@pytest.mark.parametrize("language", ["sv", "fi"])
def test_names_come_from_the_catalogues_of_the_active_language(language):
    with translation.override(language):
        assert nace_name("62.01") == pgettext("NACE", PROGRAMMING)
        assert nace_name("J") == pgettext("NACE", "Information and communication")


def test_the_catalogues_are_asked_with_the_nace_context(marked):
    with translation.override("sv"):
        assert nace_name("6201") == f"[NACE] {PROGRAMMING}"
        assert (
            render("{{ code|nace }}", code="62.01")
            == f'<span class="nace"><abbr title="NACE Rev. 2">62.01</abbr> [NACE] {PROGRAMMING}</span>'
        )


def test_a_list_names_the_first_codes_and_gives_the_others_their_title_on_hover():
    shown = render("{{ codes|nace_list:1 }}", codes=["62.01", "63.11", "99.99"])
    assert shown.startswith(
        f'<span class="nace"><abbr title="NACE Rev. 2">62.01</abbr> {PROGRAMMING}'
    )
    assert '<abbr class="nace" title="Information service activities">63.11</abbr>' in shown
    assert '<abbr class="nace" title="99.99">99.99</abbr>' in shown
    assert render("{{ codes|nace_list|default:'—' }}", codes=[]) == "—"


def test_a_title_is_escaped_like_any_text(monkeypatch):
    monkeypatch.setitem(DIVISIONS, "62", "<b>Programming</b>")
    assert "&lt;b&gt;" in render("{{ code|nace }}", code="62")


@pytest.mark.parametrize(
    "text, code",
    [
        ("62", "62"),
        ("62.0", "62.0"),
        ("6201", "62.01"),
        (" 62.01 ", "62.01"),
        (f"62 {PROGRAMMING}", "62"),  # a picker option as some browsers fill it in
        (PROGRAMMING.upper(), "62"),  # a division's title, case ignored
        ("J", None),  # sections only where the filter takes them
        ("6", None),
        ("99.99", None),
        ("programming", None),
    ],
)
def test_a_filter_text_means_a_code(text, code):
    assert picked_nace(text) == code


def test_a_division_is_found_by_its_title_in_the_active_language(marked):
    with translation.override("fi"):
        assert picked_nace(f"[NACE] {PROGRAMMING}") == "62"


def test_a_division_is_found_by_its_english_title_in_any_language():
    with translation.override("fi"):
        assert picked_nace(PROGRAMMING) == "62"


def test_sections_where_the_filter_takes_them():
    assert picked_nace("j", sections=True) == "J"


def test_the_picker_offers_every_division_in_the_active_language(marked):
    with translation.override("sv"):
        shown = render("{% nace_datalist %}")
    assert shown.startswith('<datalist id="nace-divisions">')
    assert shown.count("<option") == 88
    assert f'<option value="62" label="[NACE] {PROGRAMMING}">' in shown
    with_sections = render('{% nace_datalist "nace-sectors" sections=True %}')
    assert with_sections.count("<option") == 88 + 21


def test_unknown_message_names_the_text():
    assert "“6x”" in nace.unknown_nace_message("6x")
