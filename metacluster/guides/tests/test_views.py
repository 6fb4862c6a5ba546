"""The guide pages: search, a market's guide and its PDF, confirming, reporting and reviewing,
and the links with the market ranking and feasibility studies."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from metacluster.guides.choices import ReportStatus
from metacluster.guides.models import Barrier, ExperienceReport
from metacluster.markets.models import FeasibilityStudy

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_search_finds_barriers_by_word_and_filters(logged_in, advisor, make_barrier):
    pipl = make_barrier()
    make_barrier(market="VN", title="Decree 53 data localisation", kind="legal")
    make_barrier(market="CN", title="Guanxi", description="Relationships", kind="cultural")
    response = logged_in(advisor).get("/guides/", {"q": "data", "market": "CN"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [pipl]
    response = logged_in(advisor).get("/guides/", {"kind": "cultural"})
    assert [b.title for b in response.context["page"]] == ["Guanxi"]


def test_search_answers_htmx_with_the_results_only(logged_in, advisor, barrier):
    response = logged_in(advisor).get("/guides/", {"q": "china"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert barrier.title in body and "<html" not in body


def test_bad_filters_show_errors_not_everything(logged_in, advisor, barrier):
    response = logged_in(advisor).get("/guides/", {"nace": "zz"})
    assert response.status_code == 200
    assert "nace" in response.context["form"].errors
    assert list(response.context["page"]) == []


@time_machine.travel(datetime(2025, 6, 1, 9, tzinfo=UTC), tick=False)
def test_lists_flag_stale_entries_with_their_date(logged_in, advisor, make_barrier, settings):
    settings.GUIDE_STALE_AFTER_DAYS = 365
    make_barrier(title="Old news", last_confirmed_on=date(2024, 1, 2))
    make_barrier(title="Fresh", last_confirmed_on=date(2025, 5, 1))
    response = logged_in(advisor).get("/guides/", {"stale": "yes"})
    assert [b.title for b in response.context["page"]] == ["Old news"]
    body = logged_in(advisor).get("/guides/markets/CN/").content.decode()
    assert "2 Jan 2024" in body  # not this year: the date carries its year
    assert body.count("stale-flag") == 2  # the entry and the summary


def test_a_market_guide_groups_barriers_by_kind_with_language(logged_in, sme_user, make_barrier):
    make_barrier(title="Datalagring i Kina", language="sv")
    make_barrier(title="Guanxi", kind="cultural")
    response = logged_in(sme_user).get("/guides/markets/cn/")
    assert response.status_code == 200
    groups = {kind: [b.title for b in rows] for kind, _label, rows in response.context["by_kind"]}
    assert groups["legal"] == ["Datalagring i Kina"] and groups["cultural"] == ["Guanxi"]
    assert 'class="lang"' in response.content.decode() and "SV" in response.content.decode()


def test_an_unknown_market_has_no_guide(logged_in, advisor):
    assert logged_in(advisor).get("/guides/markets/XX/").status_code == 404


def test_the_guide_exports_as_pdf(logged_in, sme_user, barrier):
    response = logged_in(sme_user).get("/guides/markets/CN/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_outsiders_do_not_see_a_programmes_barriers(logged_in, outsider, barrier):
    client = logged_in(outsider)
    assert client.get(f"/guides/barriers/{barrier.pk}/").status_code == 404
    assert barrier.title not in client.get("/guides/markets/CN/").content.decode()


@time_machine.travel(datetime(2025, 6, 1, 9, tzinfo=UTC), tick=False)
def test_confirm_still_valid(logged_in, advisor, barrier):
    response = logged_in(advisor).post(f"/guides/barriers/{barrier.pk}/confirm/")
    assert response.status_code == 302
    barrier.refresh_from_db()
    assert barrier.last_confirmed_on == date(2025, 6, 1) and barrier.confirmed_by == advisor


def test_viewers_and_smes_cannot_confirm_or_edit(logged_in, viewer, sme_user, barrier):
    for user in (viewer, sme_user):
        client = logged_in(user)
        assert client.post(f"/guides/barriers/{barrier.pk}/confirm/").status_code == 403
        assert client.get(f"/guides/barriers/{barrier.pk}/edit/").status_code == 403
    barrier.refresh_from_db()
    assert barrier.last_confirmed_on == date(2024, 1, 10)


def test_a_stale_edit_is_a_form_error(logged_in, advisor, barrier, programme):
    form = {
        "market": "CN",
        "kind": "legal",
        "title": "Edited",
        "description": barrier.description,
        "source_kind": "document",
        "source_title": barrier.source_title,
        "last_confirmed_on": "2024-01-10",
        "language": "en",
        "status": "open",
        "version": barrier.version,
    }
    Barrier.objects.get(pk=barrier.pk).save_versioned(barrier.version)  # someone else saved
    response = logged_in(advisor).post(f"/guides/barriers/{barrier.pk}/edit/", form)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    barrier.refresh_from_db()
    assert barrier.title != "Edited"


def test_an_sme_submits_and_an_advisor_publishes_into_the_guide(
    logged_in, sme_user, advisor, programme, barrier, client
):
    response = logged_in(sme_user).post(
        "/guides/reports/new/",
        {
            "programme": programme.pk,
            "market": "CN",
            "title": "Local hosting demanded",
            "text": "The buyer required servers in China.",
            "suggested_kind": "legal",
            "occurred_on": "2021-06-01",
            "language": "sv",
        },
    )
    assert response.status_code == 302
    report = ExperienceReport.objects.get(title="Local hosting demanded")
    assert report.status == ReportStatus.PENDING and report.company_id == sme_user.company_id
    assert "Local hosting demanded" not in client.get("/guides/markets/CN/").content.decode()

    client.logout()
    response = logged_in(advisor).post(
        f"/guides/reports/{report.pk}/publish/", {"action": "attach", "barrier": barrier.pk}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.barrier == barrier
    assert "Local hosting demanded" in client.get("/guides/markets/CN/").content.decode()


def test_publishing_needs_the_chosen_barrier(logged_in, advisor, pending_report):
    response = logged_in(advisor).post(
        f"/guides/reports/{pending_report.pk}/publish/", {"action": "attach"}
    )
    assert response.status_code == 400
    pending_report.refresh_from_db()
    assert pending_report.status == ReportStatus.PENDING


def test_others_cannot_open_or_review_a_pending_report(
    logged_in, other_sme_user, viewer, pending_report
):
    assert logged_in(other_sme_user).get(f"/guides/reports/{pending_report.pk}/").status_code == 404
    client = logged_in(viewer)
    assert client.get(f"/guides/reports/{pending_report.pk}/").status_code == 404
    response = client.post(
        f"/guides/reports/{pending_report.pk}/reject/", {"rejection_reason": "x"}
    )
    assert response.status_code == 404


def test_the_ranking_shows_open_barriers_for_the_offering(logged_in, manager, make_barrier):
    make_barrier(market="CN", offering="goods", title="CCC")
    make_barrier(market="CN", offering="", title="PIPL")
    make_barrier(market="CN", offering="ict-services", title="ICP")
    make_barrier(market="CN", offering="", title="Gone", status="resolved")
    response = logged_in(manager).get("/markets/", {"home": "SE", "offering": "goods"})
    codes = [c.code for c in response.context["counters"]]
    china = next(row for m, row in response.context["markets"] if m.country.iso2 == "CN")
    assert china[codes.index("barriers")] == (2, "/guides/markets/CN/")


@pytest.fixture
def study(programme, company, lead_org, manager):
    return FeasibilityStudy.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        advisor=manager,
        market="CN",
        offering="goods",
    )


def test_a_study_offers_the_markets_barriers_as_checklist_items(
    logged_in, manager, study, make_barrier
):
    ccc = make_barrier(offering="goods", title="CCC certification")
    make_barrier(offering="ict-services", title="ICP filing")
    page = logged_in(manager).get(f"/markets/studies/{study.pk}/").content.decode()
    assert "CCC certification" in page and "ICP filing" not in page

    response = logged_in(manager).post(
        f"/guides/studies/{study.pk}/barriers/", {"barrier": [ccc.pk]}
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert "CCC certification" in study.requirements and study.version == 2
    # Adding it again changes nothing.
    logged_in(manager).post(f"/guides/studies/{study.pk}/barriers/", {"barrier": [ccc.pk]})
    study.refresh_from_db()
    assert study.requirements.count("CCC certification") == 1
    page = logged_in(manager).get(f"/markets/studies/{study.pk}/").content.decode()
    assert "in the requirements" in page


def test_viewers_cannot_add_barriers_to_a_study(logged_in, viewer, study, barrier):
    response = logged_in(viewer).post(
        f"/guides/studies/{study.pk}/barriers/", {"barrier": [barrier.pk]}
    )
    assert response.status_code == 403


def test_lists_do_not_query_per_barrier(
    logged_in, advisor, make_barrier, django_assert_max_num_queries
):
    for number in range(30):
        make_barrier(title=f"Barrier {number}", market="CN" if number % 2 else "VN")
    client = logged_in(advisor)
    with django_assert_max_num_queries(15):
        assert client.get("/guides/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/guides/markets/CN/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_confirm_never_redirects_to_another_site(logged_in, advisor, barrier, target):
    response = logged_in(advisor).post(f"/guides/barriers/{barrier.pk}/confirm/", {"next": target})
    assert response.status_code == 302 and response.url == barrier.get_absolute_url()


def test_confirm_returns_to_the_page_it_was_sent_from(logged_in, advisor, barrier):
    response = logged_in(advisor).post(
        f"/guides/barriers/{barrier.pk}/confirm/", {"next": "/guides/markets/CN/"}
    )
    assert response.url == "/guides/markets/CN/"


def test_a_barrier_names_its_sector_and_the_filter_offers_sections_and_divisions(logged_in, advisor, make_barrier):  # fmt: skip
    barrier = make_barrier(nace="62")
    body = logged_in(advisor).get(barrier.get_absolute_url()).content.decode()
    assert (
        '<abbr title="NACE Rev. 2">62</abbr> Computer programming, consultancy and related '
        "activities" in body
    )
    listing = logged_in(advisor).get("/guides/").content.decode()
    assert 'list="nace-sectors"' in listing
    assert '<option value="J" label="Information and communication">' in listing
    assert '<option value="62" label="Computer programming' in listing
