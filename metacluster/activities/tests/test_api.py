"""Activities and registrations through the API: the same rules as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metacluster.activities.models import Activity, Registration
from metacluster.testing import assert_error, ids, token_client


@pytest.fixture
def webinar(programme, training):
    soon = timezone.now() + timedelta(days=3)
    return Activity.objects.create(
        programme=programme,
        kind="webinar",
        title="Pricing webinar",
        service=training,
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        capacity=1,
        registration="public",
    )


def test_staff_list_the_programmes_activities_and_outsiders_see_none(advisor, outsider, webinar):
    assert ids(token_client(advisor).get("/api/v1/activities")) == [webinar.pk]
    assert ids(token_client(outsider).get("/api/v1/activities")) == []
    assert_error(token_client(outsider).get(f"/api/v1/activities/{webinar.pk}"), 404)


def test_staff_register_companies_and_the_second_waits(advisor, webinar, company, other_company):
    client = token_client(advisor)
    url = f"/api/v1/activities/{webinar.pk}/registrations"
    first = client.post(url, {"company": company.pk}, content_type="application/json")
    second = client.post(url, {"company": other_company.pk}, content_type="application/json")
    assert (first.status_code, first.json()["status"]) == (201, "registered")
    assert second.json()["status"] == "waiting"
    cancelled = client.post(f"/api/v1/activities/registrations/{first.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert Registration.objects.get(company=other_company).status == "registered"


def test_staff_may_not_register_a_company_outside_the_programme(advisor, webinar, outsider_company):
    response = token_client(advisor).post(
        f"/api/v1/activities/{webinar.pk}/registrations",
        {"company": outsider_company.pk},
        content_type="application/json",
    )
    assert_error(response, 400, "company")


def test_outsiders_cannot_register_or_cancel(outsider, webinar, company, advisor):
    response = token_client(outsider).post(
        f"/api/v1/activities/{webinar.pk}/registrations",
        {"company": company.pk},
        content_type="application/json",
    )
    assert_error(response, 404)
    token_client(advisor).post(
        f"/api/v1/activities/{webinar.pk}/registrations",
        {"company": company.pk},
        content_type="application/json",
    )
    registration = Registration.objects.get()
    assert_error(
        token_client(outsider).post(f"/api/v1/activities/registrations/{registration.pk}/cancel"),
        404,
    )


def test_an_sme_registers_itself_only_and_sees_only_its_own_place(
    sme_user, webinar, company, other_company, viewer
):
    assert_error(
        token_client(viewer).post(
            f"/api/v1/activities/{webinar.pk}/registrations",
            {"company": company.pk},
            content_type="application/json",
        ),
        403,
    )
    Registration.objects.create(activity=webinar, company=other_company, status="registered")
    client = token_client(sme_user)
    url = f"/api/v1/activities/{webinar.pk}/registrations"
    assert_error(
        client.post(url, {"company": other_company.pk}, content_type="application/json"), 403
    )
    mine = client.post(url, {}, content_type="application/json")
    assert mine.status_code == 201, mine.content
    assert mine.json()["company_id"] == company.pk
    assert ids(client.get(url)) == [mine.json()["id"]]
    other = Registration.objects.get(company=other_company)
    assert_error(client.post(f"/api/v1/activities/registrations/{other.pk}/cancel"), 404)


def test_an_sme_cannot_register_for_an_activity_by_invitation(sme_user, webinar):
    webinar.registration = "invited"
    webinar.save()
    response = token_client(sme_user).post(
        f"/api/v1/activities/{webinar.pk}/registrations", {}, content_type="application/json"
    )
    assert_error(response, 403)
