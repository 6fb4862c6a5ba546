"""Why a company scored what it did, in the reader's language: the core gives each criterion a
reason code and its values, the web app words it through the translation catalogues."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from metacluster.companies.models import Company
from metacluster.core.scouting import Company as Scored
from metacluster.core.scouting import Profile, score
from metacluster.core.scouting.score import REASONS, Criterion
from metacluster.scouting.models import ScoringProfile
from metacluster.scouting.reasons import criterion_name, why
from metacluster.testing import assert_error, token_client

PROFILE = Profile(sector_codes=("62",), keywords=("cloud", "saas"), max_age_years=20)
# Between them, these companies meet every reason the score gives.
COMPANIES = [
    Scored(
        nace_codes=("62.01",), employees=1200, founded_year=2025, turnover=120.0,
        turnover_previous=100.0, website="https://x.example", description="cloud export",
        engagements=2,
    ),
    Scored(nace_codes=("10.11",), employees=12, founded_year=1990, turnover=90.0,
           turnover_previous=100.0, exporting=True),
    Scored(founded_year=2010, description="international saas cloud"),
    Scored(name="Quiet"),
]  # fmt: skip


def every_criterion() -> list[Criterion]:
    return [c for company in COMPANIES for c in score(company, PROFILE, year=2026).criteria]


@pytest.fixture
def marked(monkeypatch):
    """Translations that mark what they translate, to see that the catalogues are asked."""
    monkeypatch.setattr(translation._trans, "gettext", lambda text: f"[sv] {text}")
    monkeypatch.setattr(
        translation._trans, "ngettext", lambda one, many, n: f"[sv] {one if n == 1 else many}"
    )
    monkeypatch.setattr(translation._trans, "pgettext", lambda context, text: f"[sv] {text}")


def test_the_examples_meet_every_reason_the_core_gives():
    assert {c.reason for c in every_criterion()} == set(REASONS)


@pytest.mark.parametrize("criterion", every_criterion(), ids=lambda c: c.reason)
def test_every_reason_is_worded_through_the_catalogues(marked, criterion):
    with translation.override("sv"):
        assert why(criterion).startswith("[sv] ")
        assert criterion_name(criterion.key).startswith("[sv] ")


def test_in_english_the_words_are_the_cores():
    with translation.override("en"):
        sentences = {why(c) for c in every_criterion()}
    assert "activity 62.01 is in the programme's sectors" in sentences
    assert "takes part in 2 programmes" in sentences  # the core's "programme(s)", counted
    assert "1,200 employees, outside 1–250" in sentences  # counts grouped
    assert "founded 2025: younger than 2 years" in sentences  # years are not
    assert "turnover +20% on the year before (threshold 10%)" in sentences
    assert "turnover -10% on the year before (threshold 10%)" in sentences


def test_a_reason_is_the_catalogues_sentence_with_its_values_in_the_readers_way():
    big = Criterion("size", 0, 20, "size_out", {"employees": 1200, "min": 1, "max": 250})
    with translation.override("fi"):
        expected = gettext("%(employees)s employees, outside %(min)s–%(max)s") % {
            "employees": "1\xa0200",
            "min": "1",
            "max": "250",
        }
        assert why(big) == expected
        once = Criterion("engagement", -10, 0, "engagement_some", {"count": 1})
        assert why(once) == ngettext(
            "takes part in %(count)s programme", "takes part in %(count)s programmes", 1
        ) % {"count": "1"}


@pytest.mark.django_db
def test_the_scouting_page_gives_the_reasons_in_the_readers_language(client, manager, programme, lead_org, marked):  # fmt: skip
    ScoringProfile.objects.create(programme=programme, sector_codes=["62"])
    Company.objects.create(name="Fit Oy", country="FI", nace_codes=["62.01"], owner=lead_org)
    client.force_login(manager)
    html = client.get("/scouting/", {"programme": programme.acronym}).content.decode()
    assert "[sv] Sector: 30/30 — [sv] activity 62.01 is in the programme&#x27;s sectors" in html
    assert "[sv] Computer programming" in html  # the NACE column


@pytest.mark.django_db
def test_the_ranking_api_gives_the_reason_as_a_code_too(manager, programme, lead_org):
    ScoringProfile.objects.create(programme=programme, sector_codes=["62"])
    Company.objects.create(name="Fit Oy", country="FI", nace_codes=["62.01"], owner=lead_org)
    url = f"/api/v1/scouting/programmes/{programme.pk}/ranking"
    criteria = token_client(manager).get(url).json()["items"][0]["criteria"]
    size = next(c for c in criteria if c["key"] == "size")
    assert size["reason"] == "size_unknown" and size["params"] == {}
    response = token_client(manager).get(url, {"nace": "99.99"})
    assert_error(response, 400, "nace")
    assert "“99.99” is not a NACE Rev. 2 code" in response.json()["fields"]["nace"][0]


@pytest.mark.django_db
def test_the_scouting_page_says_which_nace_filter_it_did_not_apply(client, manager, programme):
    client.force_login(manager)
    html = client.get("/scouting/", {"nace": "99.99"}).content.decode()
    assert 'id="unapplied"' in html and "“99.99” is not a NACE Rev. 2 code" in html
    assert 'list="nace-divisions"' in html and '<datalist id="nace-divisions">' in html
