"""Applications through the API: staff of the programme list and decide; nobody else."""

import pytest

from metacluster.enrolment.models import Application
from metacluster.testing import assert_error, ids, token_client


@pytest.fixture
def application(programme):
    return Application.objects.create(
        programme=programme,
        company_name="Delta Fictional AB",
        country="SE",
        employees=12,
        offering="Fibre sensors for bridges",
        contact_name="Anna Exempelberg",
        contact_email="anna@delta.example",
        status="pending",
    )


def test_staff_list_applications_and_outsiders_and_smes_see_none(
    advisor, outsider, sme_user, application
):
    assert ids(token_client(advisor).get("/api/v1/applications")) == [application.pk]
    assert ids(token_client(outsider).get("/api/v1/applications")) == []
    assert ids(token_client(sme_user).get("/api/v1/applications")) == []
    assert_error(token_client(outsider).get(f"/api/v1/applications/{application.pk}"), 404)


def test_an_advisor_accepts_once_and_the_contact_is_invited(
    advisor, application, mailoutbox, django_capture_on_commit_callbacks
):
    client = token_client(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/applications/{application.pk}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert response.json()["company_id"] is not None
    assert mailoutbox[0].to == ["anna@delta.example"]
    assert_error(client.post(f"/api/v1/applications/{application.pk}/accept"), 409)


def test_declining_needs_a_reason(
    advisor, application, mailoutbox, django_capture_on_commit_callbacks
):
    client = token_client(advisor)
    url = f"/api/v1/applications/{application.pk}/decline"
    assert_error(
        client.post(url, {"reason": "   "}, content_type="application/json"), 400, "reason"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Not ICT"}, content_type="application/json")
    assert response.json()["status"] == "declined"
    assert "Not ICT" in mailoutbox[0].body


def test_outsiders_and_viewers_cannot_decide(outsider, viewer, application):
    assert_error(token_client(outsider).post(f"/api/v1/applications/{application.pk}/accept"), 404)
    assert_error(token_client(viewer).post(f"/api/v1/applications/{application.pk}/accept"), 403)
    application.refresh_from_db()
    assert application.status == "pending"
