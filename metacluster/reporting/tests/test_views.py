"""Reporting pages: who sees which report and partner view, and submitting from the page."""

from datetime import date

import pytest
from django.test import Client

from metacluster.reporting.figures import submit_report
from metacluster.reporting.models import IndicatorReport


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PERIOD = "/reporting/tep/periods/1/"


@pytest.mark.parametrize("who", ["manager", "advisor", "viewer"])
def test_partners_staff_see_the_programme_reports(request, periods, nonfin_indicator, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get("/reporting/").status_code == 200
    assert client.get("/reporting/tep/").status_code == 200
    page = client.get(PERIOD)
    assert page.status_code == 200
    assert "SME-NONFIN" in page.text


@pytest.mark.parametrize("who", ["outsider", "sme_user"])
@pytest.mark.parametrize(
    "url",
    [
        "/reporting/tep/",
        PERIOD,
        PERIOD + "report.xlsx",
        PERIOD + "report.csv",
        "/reporting/tep/partners/{lead}/",
    ],
)
def test_outsiders_and_sme_users_find_nothing(request, periods, lead_org, who, url):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url.format(lead=lead_org.pk)).status_code == 404


def test_the_index_lists_no_programme_of_another_organisation(periods, outsider):
    page = client_for(outsider).get("/reporting/")
    assert "Test Export Programme" not in page.text


def test_an_advisor_sees_its_own_partner_view_only(periods, advisor, lead_org, partner_org):
    client = client_for(advisor)

    assert client.get(f"/reporting/tep/partners/{partner_org.pk}/").status_code == 200
    assert client.get(f"/reporting/tep/partners/{lead_org.pk}/").status_code == 403
    # ...and is not offered a link to it.
    page = client.get("/reporting/tep/")
    assert f"/reporting/tep/partners/{partner_org.pk}/" in page.text
    assert f"/reporting/tep/partners/{lead_org.pk}/" not in page.text


def test_a_manager_sees_every_partner_view(periods, manager, lead_org, partner_org):
    client = client_for(manager)
    for org in (lead_org, partner_org):
        assert client.get(f"/reporting/tep/partners/{org.pk}/").status_code == 200


def test_a_partner_view_shows_budget_use_and_contributions(
    periods, advisor, partner_org, training, other_company, nonfin_indicator, deliver
):
    deliver(training, other_company, date(2020, 3, 3), quantity="8")  # 8 h × 50 EUR

    page = client_for(advisor).get(f"/reporting/tep/partners/{partner_org.pk}/")

    view = page.context["view"]
    assert view.delivered_value == 400
    assert view.budget_percent == 0  # 400 of 400,000
    assert view.by_period[0].value == 400
    (contribution,) = view.contributions
    assert (contribution.total, contribution.by_period[:2]) == (1, [1, 0])
    assert "Beta Fictional" in page.text


def test_a_manager_submits_a_period_from_its_page(
    periods, manager, nonfin_indicator, coaching, company, deliver
):
    deliver(coaching, company, date(2020, 2, 2))
    client = client_for(manager)

    refused = client.post(PERIOD, {"note": "First half"})  # not confirmed
    assert refused.status_code == 200 and not IndicatorReport.objects.exists()

    response = client.post(PERIOD, {"note": "First half", "confirm": "on"})
    assert response.status_code == 302
    report = IndicatorReport.objects.get()
    assert (report.submitted_by, report.note) == (manager, "First half")
    page = client.get(PERIOD)
    assert "These figures are frozen" in page.text
    assert 'id="submit-report"' not in page.text


def test_a_manager_must_give_a_reason_for_an_adjustment(
    periods, manager, nonfin_indicator, coaching, company, deliver
):
    submit_report(periods[0], manager)
    deliver(coaching, company, date(2020, 2, 2))  # recorded after period 1 was submitted
    client = client_for(manager)
    url = "/reporting/tep/periods/2/"

    page = client.get(url)
    assert "reason_SME-NONFIN" in page.text
    assert client.post(url, {"confirm": "on"}).status_code == 200
    assert IndicatorReport.objects.count() == 1

    client.post(url, {"confirm": "on", "reason_SME-NONFIN": "Entered late."})
    assert IndicatorReport.objects.count() == 2
    page = client.get(url)
    assert "Entered late." in page.text
    assert 'id="adjustment-SME-NONFIN"' in page.text


@pytest.mark.parametrize("who", ["advisor", "viewer"])
def test_others_cannot_submit_or_change_periods(request, periods, nonfin_indicator, who):
    client = client_for(request.getfixturevalue(who))

    assert client.post(PERIOD, {"confirm": "on"}).status_code == 403
    assert client.post("/reporting/tep/periods/generate/", {"months": 3}).status_code == 403
    assert client.get("/reporting/tep/periods/1/edit/").status_code == 403
    assert not IndicatorReport.objects.exists()
    assert 'id="submit-report"' not in client.get(PERIOD).text


def test_a_manager_generates_and_edits_periods(programme, manager):
    client = client_for(manager)
    client.post("/reporting/tep/periods/generate/", {"months": 12})
    assert list(programme.reporting_periods.values_list("number", flat=True)) == [1, 2, 3]

    period = programme.reporting_periods.get(number=3)
    response = client.post(
        "/reporting/tep/periods/3/edit/",
        {
            "start": "2022-01-01",
            "end": "2022-12-31",
            "due_on": "2023-03-01",
            "version": period.version,
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.due_on == date(2023, 3, 1)

    overlap = client.post(
        "/reporting/tep/periods/3/edit/",
        {"start": "2021-06-01", "end": "2022-12-31", "version": period.version},
    )
    assert "overlaps" in overlap.text


def test_an_unknown_export_format_is_not_found(periods, manager):
    assert client_for(manager).get(PERIOD + "report.docx").status_code == 404


def test_the_admin_shows_reports_read_only(periods, manager, nonfin_indicator, admin_client):
    report = submit_report(periods[0], manager)
    page = admin_client.get(f"/admin/reporting/indicatorreport/{report.pk}/change/")
    assert page.status_code == 200
    assert "SME-NONFIN" in page.text
    assert admin_client.get("/admin/reporting/reportingperiod/").status_code == 200


def test_a_draft_links_each_figure_to_the_records_behind_it(periods, viewer, nonfin_indicator):
    page = client_for(viewer).get(PERIOD)
    assert 'href="/programmes/tep/indicators/SME-NONFIN/"' in page.text


def test_submitting_twice_says_it_is_already_reported(periods, manager, nonfin_indicator):
    client = client_for(manager)
    client.post(PERIOD, {"confirm": "on"})

    again = client.post(PERIOD, {"confirm": "on"}, follow=True)

    assert again.status_code == 200
    assert "This period is already reported." in again.text
    assert IndicatorReport.objects.count() == 1


def test_the_programme_page_sums_each_visible_partners_deliveries(
    periods, manager, advisor, training, coaching, company, other_company, deliver
):
    deliver(coaching, company, date(2020, 3, 3), quantity="2")  # 2 h × 100 EUR, lead partner
    deliver(training, other_company, date(2020, 3, 3), quantity="3")  # 3 h × 50 EUR

    partners = dict(
        (p.organisation.name, value)
        for p, value in client_for(manager).get("/reporting/tep/").context["partners"]
    )
    assert partners == {"Fibre Valley Test": 200, "Tallinn Test Park": 150}
    own = client_for(advisor).get("/reporting/tep/").context["partners"]
    assert [(p.organisation.name, value) for p, value in own] == [("Tallinn Test Park", 150)]


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_an_export_runs_as_a_job_whose_page_offers_the_file(
    periods, nonfin_indicator, advisor, fmt, magic
):
    from metacluster.jobs.models import Job, JobState

    client = client_for(advisor)
    page = client.get(PERIOD)
    assert f'action="{PERIOD}report.{fmt}/job"' in page.text  # a button, not a direct link

    started = client.post(f"{PERIOD}report.{fmt}/job")

    job = Job.objects.get()
    assert started.status_code == 302 and started.url == f"/jobs/{job.pk}/"
    assert job.kind == "reporting.export_period_report" and job.state == JobState.DONE
    assert job.params == {"period": periods[0].pk, "format": fmt}
    job_page = client.get(started.url).text
    assert f"/jobs/{job.pk}/file" in job_page and PERIOD in job_page  # download, and back
    download = client.get(f"/jobs/{job.pk}/file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(magic)


def test_another_organisation_can_neither_start_an_export_nor_fetch_one(
    periods, nonfin_indicator, manager, outsider, sme_user
):
    from metacluster.jobs.models import Job

    for stranger in (outsider, sme_user):
        assert client_for(stranger).post(f"{PERIOD}report.xlsx/job").status_code == 404
    assert not Job.objects.exists()
    client_for(manager).post(f"{PERIOD}report.pdf/job")
    job = Job.objects.get()
    for stranger in (outsider, sme_user):
        assert client_for(stranger).get(f"/jobs/{job.pk}/").status_code == 404
        assert client_for(stranger).get(f"/jobs/{job.pk}/file").status_code == 404


def test_an_export_job_is_started_by_post_in_a_known_format_only(periods, manager):
    client = client_for(manager)
    assert client.get(f"{PERIOD}report.xlsx/job").status_code == 405
    assert client.post(f"{PERIOD}report.doc/job").status_code == 404


def test_an_export_is_no_longer_fetched_by_its_starter_once_they_lose_sight_of_the_report(
    periods, nonfin_indicator, advisor, outsider_org
):
    from metacluster.jobs.models import Job

    client = client_for(advisor)
    client.post(f"{PERIOD}report.xlsx/job")
    job = Job.objects.get()
    assert client.get(f"/jobs/{job.pk}/file").status_code == 200
    advisor.organisation = outsider_org  # moved to an organisation outside the programme
    advisor.save()
    assert client.get(f"/jobs/{job.pk}/file").status_code == 404


def test_the_period_chips_say_their_dates_and_state_in_words(periods, manager, nonfin_indicator):
    submit_report(periods[0], manager)
    page = client_for(manager).get("/reporting/").text
    assert "Period 1: 1 Jan 2020 – 30 Jun 2020 · Submitted" in page
    assert "Period 2: 1 Jul 2020 – 31 Dec 2020 · Draft" in page


def test_the_records_table_has_value_partner_and_country_columns(
    periods, manager, nonfin_indicator, coaching, company, deliver
):
    deliver(coaching, company, date(2020, 2, 2))
    page = client_for(manager).get(PERIOD).text
    assert '<th class="num">Value</th><th>Partner</th><th>Country</th>' in page
    assert "<td>Alpha Fictional AB</td>" in page


def test_a_records_evidence_keeps_its_value_and_partner(coaching, company, deliver, lead_org):
    from metacluster.reporting.figures import evidence

    record = evidence(deliver(coaching, company, date(2020, 2, 2), quantity="3"), date(2020, 2, 2))
    assert record["partner"] == str(lead_org)
    assert evidence(company, date(2020, 2, 2))["partner"] == ""
