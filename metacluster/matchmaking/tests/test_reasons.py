"""A match's reasons name the shared sectors by their NACE titles in the reader's language."""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from metacluster.core.matching.model import Explanation

COMPUTER_PROGRAMMING = "Computer programming, consultancy and related activities"


def reasons(explanation: Explanation) -> str:
    match = SimpleNamespace(explanation=explanation)
    return render_to_string("matchmaking/_reasons.html", {"match": match, "capability_names": {}})


def test_a_shared_sector_shows_its_code_and_its_title_in_the_readers_language():
    with translation.override("fi"):
        shown = reasons(Explanation(shared_sectors=("62",)))
        title = pgettext("NACE", COMPUTER_PROGRAMMING)
    assert title != COMPUTER_PROGRAMMING  # the catalogue has it
    assert ">62</abbr>" in shown and title in shown


def test_a_code_the_classification_does_not_know_is_shown_alone():
    shown = reasons(Explanation(shared_sectors=("99.99",)))
    assert "99.99" in shown and "<abbr" not in shown
