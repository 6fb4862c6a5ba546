"""The market-guide API: search, curating barriers, and reviewing experience reports."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from metacluster.guides.choices import ReportStatus
from metacluster.guides.models import Barrier, ExperienceReport
from metacluster.testing import assert_error, ids, token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/guides/barriers"
REPORTS = "/api/v1/guides/experience-reports"


def new_barrier(of, **fields):
    return {
        "programme": of.pk,
        "market": "VN",
        "kind": "legal",
        "title": "Decree 53 data localisation",
        "description": "Listed user data must be stored in Vietnam on request.",
        "source_title": "Decree 53/2022/ND-CP",
        "last_confirmed_on": "2021-03-01",
        "language": "en",
    } | fields


def test_search_and_filters(manager, make_barrier):
    pipl = make_barrier()
    ccc = make_barrier(title="CCC certification", offering="goods", kind="technical")
    make_barrier(market="VN", title="Decree 53", offering="ict-services")
    client = token_client(manager)
    assert ids(client.get(URL, {"q": "certif"})) == [ccc.pk]
    assert ids(client.get(URL, {"market": "cn", "offering": "goods"})) == [
        pipl.pk,
        ccc.pk,
    ]  # by kind: legal first
    assert ids(client.get(URL, {"kind": "legal", "market": "CN"})) == [pipl.pk]


@time_machine.travel(datetime(2025, 6, 1, 9, tzinfo=UTC), tick=False)
def test_stale_flag_and_filter(manager, make_barrier, settings):
    settings.GUIDE_STALE_AFTER_DAYS = 365
    old = make_barrier(title="Old", last_confirmed_on=date(2024, 5, 31))
    fresh = make_barrier(title="Fresh", last_confirmed_on=date(2024, 6, 1))
    client = token_client(manager)
    assert ids(client.get(URL, {"stale": "true"})) == [old.pk]
    assert ids(client.get(URL, {"stale": "false"})) == [fresh.pk]
    body = client.get(f"{URL}/{old.pk}").json()
    assert body["stale"] is True and body["last_confirmed_on"] == "2024-05-31"


def test_outsiders_get_404(outsider, barrier, pending_report):
    client = token_client(outsider)
    assert_error(client.get(f"{URL}/{barrier.pk}"), 404)
    assert_error(client.get(f"{REPORTS}/{pending_report.pk}"), 404)
    assert ids(client.get(URL)) == []


def test_an_advisor_adds_a_barrier(advisor, programme, partner_org):
    response = token_client(advisor).post(
        URL, new_barrier(programme, helping_partner=partner_org.pk), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["helping_partner_id"] == partner_org.pk and body["confirmed_by_id"] == advisor.pk
    assert body["offering"] == "" and body["language"] == "en"


def test_viewers_and_smes_cannot_add_barriers(viewer, sme_user, programme):
    for user in (viewer, sme_user):
        response = token_client(user).post(
            URL, new_barrier(programme), content_type="application/json"
        )
        assert_error(response, 403)
    assert not Barrier.objects.exists()


def test_business_rules_are_field_errors(manager, programme, outsider_org, outsider_programme):
    client = token_client(manager)
    cases = [
        ({"helping_partner": outsider_org.pk}, "helping_partner"),
        ({"programme": outsider_programme.pk}, "programme"),
        ({"last_confirmed_on": "2999-01-01"}, "last_confirmed_on"),
        ({"source_url": "not a link"}, "source_url"),
        ({"language": "de"}, "language"),
        ({"nace": "6x"}, "nace"),
    ]
    for change, field in cases:
        response = client.post(
            URL, new_barrier(programme, **change), content_type="application/json"
        )
        assert_error(response, 400, field)
    assert not Barrier.objects.exists()


def test_concurrent_edits_get_409(manager, barrier):
    client = token_client(manager)
    first = client.patch(
        f"{URL}/{barrier.pk}", {"version": 1, "title": "A"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(
        f"{URL}/{barrier.pk}", {"version": 1, "title": "B"}, content_type="application/json"
    )
    assert_error(second, 409, "version")
    barrier.refresh_from_db()
    assert barrier.title == "A"


@time_machine.travel(datetime(2025, 6, 1, 9, tzinfo=UTC), tick=False)
def test_confirm(advisor, viewer, barrier):
    assert_error(token_client(viewer).post(f"{URL}/{barrier.pk}/confirm"), 403)
    response = token_client(advisor).post(f"{URL}/{barrier.pk}/confirm")
    assert response.status_code == 200
    assert response.json()["last_confirmed_on"] == "2025-06-01"
    assert response.json()["stale"] is False


def test_reports_waiting_for_review_are_hidden_from_others(
    pending_report, other_sme_user, viewer, sme_user, advisor
):
    for user in (other_sme_user, viewer):
        client = token_client(user)
        assert ids(client.get(REPORTS)) == []
        assert_error(client.get(f"{REPORTS}/{pending_report.pk}"), 404)
    for user in (sme_user, advisor):
        assert ids(token_client(user).get(REPORTS)) == [pending_report.pk]


def test_an_sme_reports_and_an_advisor_publishes_it_as_a_barrier(
    sme_user, advisor, programme, company, other_sme_user
):
    response = token_client(sme_user).post(
        REPORTS,
        {
            "programme": programme.pk,
            "market": "VN",
            "title": "Zalo everywhere",
            "text": "Buyers wanted to talk on Zalo, not e-mail.",
            "occurred_on": "2021-05-01",
            "language": "sv",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["company_id"] == company.pk and report["status"] == "pending"

    response = token_client(advisor).post(
        f"{REPORTS}/{report['id']}/publish",
        {"new_barrier": {"kind": "technical", "title": "Zalo is the business channel"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    barrier = Barrier.objects.get(title="Zalo is the business channel")
    assert barrier.source_kind == "experience" and barrier.language == "sv"
    assert ids(token_client(other_sme_user).get(REPORTS)) == [report["id"]]

    again = token_client(advisor).post(
        f"{REPORTS}/{report['id']}/reject", {"reason": "late"}, content_type="application/json"
    )
    assert_error(again, 409)


def test_an_sme_cannot_report_for_another_company(sme_user, programme, other_company):
    response = token_client(sme_user).post(
        REPORTS,
        {
            "programme": programme.pk,
            "market": "VN",
            "company": other_company.pk,
            "title": "x",
            "text": "y",
        },
        content_type="application/json",
    )
    assert_error(response, 400, "company")


def test_rejecting_needs_a_real_reason_and_a_reviewer(pending_report, advisor, sme_user):
    assert_error(
        token_client(sme_user).post(
            f"{REPORTS}/{pending_report.pk}/reject",
            {"reason": "no"},
            content_type="application/json",
        ),
        403,
    )
    response = token_client(advisor).post(
        f"{REPORTS}/{pending_report.pk}/reject", {"reason": "  "}, content_type="application/json"
    )
    assert_error(response, 400, "reason")
    pending_report.refresh_from_db()
    assert pending_report.status == ReportStatus.PENDING


def test_publish_to_a_barrier_of_another_market_is_refused(pending_report, advisor, make_barrier):
    vietnam = make_barrier(market="VN", title="Decree 53")
    response = token_client(advisor).post(
        f"{REPORTS}/{pending_report.pk}/publish",
        {"barrier": vietnam.pk},
        content_type="application/json",
    )
    assert_error(response, 400, "barrier")
    assert ExperienceReport.objects.get(pk=pending_report.pk).status == ReportStatus.PENDING


def test_the_ranking_api_counts_open_barriers_for_the_offering(manager, make_barrier):
    make_barrier(offering="goods", title="CCC")
    make_barrier(offering="ict-services", title="ICP")
    response = token_client(manager).post(
        "/api/v1/markets/ranking",
        {"home": "SE", "offering": "goods", "markets": ["CN"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["markets"][0]["intelligence"]["barriers"] == 1


def test_changing_the_confirmation_date_says_who_confirmed(advisor, barrier):
    response = token_client(advisor).patch(
        f"{URL}/{barrier.pk}",
        {"version": 1, "last_confirmed_on": "2021-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["confirmed_by_id"] == advisor.pk


@pytest.mark.parametrize("value", ["99.99", "6", "zz"])
def test_a_sector_filter_that_is_no_nace_code_is_refused_as_on_the_page(client, manager, barrier, value):  # fmt: skip
    response = token_client(manager).get(URL, {"nace": value})
    assert_error(response, 400, "nace")
    message = response.json()["fields"]["nace"][0]
    client.force_login(manager)
    page = client.get("/guides/", {"nace": value})
    assert page.context["form"].errors["nace"] == [message]


@pytest.mark.parametrize("value", ["J", "62", "6201", "Computer programming, consultancy and related activities"])  # fmt: skip
def test_a_sector_filter_takes_sections_codes_and_division_titles(manager, make_barrier, value):
    make_barrier(nace="62.01", title="Software")
    make_barrier(nace="10", title="Food")
    found = token_client(manager).get(URL, {"nace": value}).json()["items"]
    assert [item["title"] for item in found] == ["Software"]


def test_a_barrier_gives_its_sector_as_a_code_and_a_name(manager, make_barrier):
    made = make_barrier(nace="62.01")
    item = token_client(manager).get(f"{URL}/{made.pk}").json()
    assert item["nace"] == "62.01"
    assert item["nace_name"] == "Computer programming, consultancy and related activities"
