"""The reporting API: periods, reports and partner views, and who may do what."""

from datetime import date

import pytest

from metacluster.reporting.figures import submit_report
from metacluster.reporting.models import IndicatorReport
from metacluster.testing import assert_error, ids, token_client


def test_staff_list_the_programme_periods(periods, programme, viewer):
    response = token_client(viewer).get(f"/api/v1/programmes/{programme.pk}/periods")
    assert ids(response) == [p.pk for p in periods]
    first = response.json()["items"][0]
    assert (first["start"], first["end"], first["submitted"]) == ("2020-01-01", "2020-06-30", False)


@pytest.mark.parametrize("who", ["outsider", "sme_user"])
def test_outsiders_and_sme_users_get_404(request, periods, programme, partner_org, who):
    client = token_client(request.getfixturevalue(who))
    for url in (
        f"/api/v1/programmes/{programme.pk}/periods",
        f"/api/v1/periods/{periods[0].pk}",
        f"/api/v1/periods/{periods[0].pk}/report",
        f"/api/v1/programmes/{programme.pk}/partners/{partner_org.pk}/view",
    ):
        assert_error(client.get(url), 404)
    assert_error(
        client.post(f"/api/v1/periods/{periods[0].pk}/report", {}, "application/json"), 404
    )


def test_a_manager_generates_periods_and_submits_a_report(
    programme, manager, nonfin_indicator, coaching, company, deliver
):
    client = token_client(manager)
    generated = client.post(
        f"/api/v1/programmes/{programme.pk}/periods/generate", {"months": 12}, "application/json"
    )
    assert generated.status_code == 200, generated.content
    assert [p["end"] for p in generated.json()] == ["2020-12-31", "2021-12-31", "2022-12-31"]
    deliver(coaching, company, date(2020, 2, 2))
    period_id = generated.json()[0]["id"]

    draft = client.get(f"/api/v1/periods/{period_id}/report").json()
    assert (draft["status"], draft["can_submit"]) == ("draft", True)

    response = client.post(
        f"/api/v1/periods/{period_id}/report", {"note": "Year one"}, "application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["note"] == "Year one"
    (line,) = body["figures"]
    assert (line["code"], line["this_period"], line["cumulative"]) == ("SME-NONFIN", 1, 1)
    assert line["records"][0]["label"] == "Alpha Fictional AB"

    again = client.post(f"/api/v1/periods/{period_id}/report", {}, "application/json")
    assert "already reported" in assert_error(again, 400, "period")["fields"]["period"][0]


def test_an_adjustment_without_a_reason_is_refused(
    periods, manager, nonfin_indicator, coaching, company, deliver
):
    submit_report(periods[0], manager)
    deliver(coaching, company, date(2020, 2, 2))
    client = token_client(manager)
    url = f"/api/v1/periods/{periods[1].pk}/report"

    assert_error(client.post(url, {}, "application/json"), 400, "reasons")
    response = client.post(url, {"reasons": {"SME-NONFIN": "late"}}, "application/json")
    assert response.status_code == 201
    assert response.json()["figures"][0]["adjustment"] == 1


@pytest.mark.parametrize("who", ["advisor", "viewer"])
def test_only_managers_submit_generate_and_edit(request, periods, programme, nonfin_indicator, who):
    client = token_client(request.getfixturevalue(who))
    period = periods[0]

    assert_error(client.post(f"/api/v1/periods/{period.pk}/report", {}, "application/json"), 403)
    assert_error(
        client.post(f"/api/v1/programmes/{programme.pk}/periods/generate", {}, "application/json"),
        403,
    )
    assert_error(
        client.patch(
            f"/api/v1/periods/{period.pk}",
            {"version": 1, "due_on": "2020-08-01"},
            "application/json",
        ),
        403,
    )
    assert not IndicatorReport.objects.exists()


def test_editing_a_period_is_versioned_and_validated(periods, manager):
    client = token_client(manager)
    url = f"/api/v1/periods/{periods[1].pk}"

    response = client.patch(url, {"version": 1, "due_on": "2021-02-15"}, "application/json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert_error(client.patch(url, {"version": 1, "due_on": "2021-03-01"}, "application/json"), 409)
    assert_error(
        client.patch(url, {"version": 2, "start": "2020-06-01"}, "application/json"), 400, "start"
    )


def test_partner_views_through_the_api(
    periods,
    programme,
    advisor,
    manager,
    lead_org,
    partner_org,
    training,
    other_company,
    nonfin_indicator,
    deliver,
):
    deliver(training, other_company, date(2020, 3, 3), quantity="4")
    own = token_client(advisor).get(
        f"/api/v1/programmes/{programme.pk}/partners/{partner_org.pk}/view"
    )

    assert own.status_code == 200
    body = own.json()
    assert (body["delivered_value"], body["by_period"][0]["value"]) == ("200.00", "200.00")
    assert body["contributions"] == [
        {"code": "SME-NONFIN", "total": 1, "by_period": [1, 0, 0, 0, 0, 0], "error": ""}
    ]
    other = f"/api/v1/programmes/{programme.pk}/partners/{lead_org.pk}/view"
    assert_error(token_client(advisor).get(other), 403)
    assert token_client(manager).get(other).status_code == 200
    assert_error(
        token_client(manager).get(f"/api/v1/programmes/{programme.pk}/partners/999/view"), 404
    )
