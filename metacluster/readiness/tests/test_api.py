"""The readiness API: the same rules as the pages, in the one error shape."""

import pytest

from metacluster.accounts.choices import Role
from metacluster.conftest import make_user
from metacluster.readiness.models import Assessment
from metacluster.testing import assert_error, token_client

from .conftest import answers_of


def test_the_instrument_is_served_with_its_items(sme_user, instrument):
    response = token_client(sme_user).get(f"/api/v1/readiness/instruments/{instrument.version}")
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == len(instrument.items)
    assert len(body["items"][0]["answer_labels"]) == 6


def test_an_unknown_instrument_version_is_404(sme_user):
    assert_error(token_client(sme_user).get("/api/v1/readiness/instruments/1999-1"), 404)


def test_an_sme_fills_in_and_completes_through_the_api(sme_user, programme, company, instrument):
    client = token_client(sme_user)
    url = f"/api/v1/readiness/programmes/{programme.pk}/companies/{company.pk}/assessments"
    started = client.post(url)
    assert started.status_code == 201
    again = client.post(url)
    assert again.status_code == 200 and again.json()["id"] == started.json()["id"]
    assessment = started.json()
    answers = answers_of(instrument, 4, C1=None)
    patched = client.patch(
        f"/api/v1/readiness/assessments/{assessment['id']}",
        {"version": assessment["version"], "answers": answers},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["answered"] == len(instrument.items)
    done = client.post(
        f"/api/v1/readiness/assessments/{assessment['id']}/complete",
        {"version": patched.json()["version"]},
        content_type="application/json",
    )
    assert done.status_code == 200, done.json()
    result = done.json()
    assert result["overall"] == pytest.approx(80)
    assert result["stage"] == "committed"
    assert result["position"]["percentile"] is None  # no peers yet


def test_answering_with_an_old_version_is_409_and_changes_nothing(sme_user, draft):
    client = token_client(sme_user)
    url = f"/api/v1/readiness/assessments/{draft.pk}"
    ok = client.patch(
        url, {"version": draft.version, "answers": {"C1": 1}}, content_type="application/json"
    )
    assert ok.status_code == 200
    stale = client.patch(
        url, {"version": draft.version, "answers": {"C1": 5}}, content_type="application/json"
    )
    assert_error(stale, 409, "version")
    assert Assessment.objects.get(pk=draft.pk).answers == {"C1": 1}


def test_an_answer_off_the_scale_is_400(sme_user, draft):
    response = token_client(sme_user).patch(
        f"/api/v1/readiness/assessments/{draft.pk}",
        {"version": draft.version, "answers": {"C1": 6}},
        content_type="application/json",
    )
    assert_error(response, 400, "answers.C1")


def test_completing_with_unanswered_items_is_409_naming_them(sme_user, draft):
    response = token_client(sme_user).post(
        f"/api/v1/readiness/assessments/{draft.pk}/complete",
        {"version": draft.version},
        content_type="application/json",
    )
    body = assert_error(response, 409)
    assert "answers.C1" in body["fields"]


def test_a_completed_assessment_cannot_be_answered(sme_user, completed):
    response = token_client(sme_user).patch(
        f"/api/v1/readiness/assessments/{completed.pk}",
        {"version": completed.version, "answers": {"C1": 5}},
        content_type="application/json",
    )
    assert_error(response, 409)


def test_the_result_gives_gaps_and_recommended_catalogue_services(sme_user, completed, training):
    body = token_client(sme_user).get(f"/api/v1/readiness/assessments/{completed.pk}/result").json()
    assert len(body["gaps"]) == 3
    training_rec = next(r for r in body["recommendations"] if r["service_kind"] == "training")
    assert training_rec["services"] == [
        {"id": training.pk, "name": "Export workshop", "provider": training.provider.name}
    ]


def test_others_get_404_and_the_list_holds_only_what_they_may_see(
    completed, advisor, outsider, other_company
):
    other_sme = make_user("other-sme", company=other_company, role=Role.SME)
    for user in (advisor, outsider, other_sme):
        client = token_client(user)
        assert_error(client.get(f"/api/v1/readiness/assessments/{completed.pk}"), 404)
        assert_error(client.get(f"/api/v1/readiness/assessments/{completed.pk}/result"), 404)
        assert client.get("/api/v1/readiness/assessments").json()["count"] == 0


def test_a_shared_assessment_is_visible_to_other_partners_but_not_theirs_to_share(
    completed, advisor
):
    Assessment.objects.filter(pk=completed.pk).update(shared=True)
    client = token_client(advisor)
    assert client.get(f"/api/v1/readiness/assessments/{completed.pk}").status_code == 200
    response = client.post(
        f"/api/v1/readiness/assessments/{completed.pk}/share",
        {"shared": False},
        content_type="application/json",
    )
    assert_error(response, 403)


def test_an_outsider_cannot_start_one_in_someone_elses_programme(outsider, programme, company):
    response = token_client(outsider).post(
        f"/api/v1/readiness/programmes/{programme.pk}/companies/{company.pk}/assessments"
    )
    assert_error(response, 404)
