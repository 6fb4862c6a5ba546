"""One rule through the page, the form and the API: an advisor records activities and their
attendance (deliveries of the activity's service) only for their own organisation; a programme
manager for any partner (accounts.access.may_act_for)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metacluster.activities.models import Activity, Registration
from metacluster.conftest import PASSWORD
from metacluster.programmes.models import Programme
from metacluster.services.models import Delivery
from metacluster.testing import assert_error, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(programme):
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(
        start_date=today - timedelta(days=365), end_date=today + timedelta(days=365)
    )
    programme.refresh_from_db()
    return programme


def page_data(service) -> dict:
    soon = timezone.now() + timedelta(days=3)
    return {
        "kind": "workshop",
        "title": "Pricing for export markets",
        "service": service.pk,
        "units_per_participant": "3",
        "starts_at": soon.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (soon + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 10,
        "registration": "invited",
    }


def held(programme, service, company) -> Registration:
    """A session held this morning with one registered company, attendance not yet recorded."""
    now = timezone.now()
    activity = Activity.objects.create(
        programme=programme,
        kind="workshop",
        title="Coaching clinic",
        service=service,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
        capacity=5,
    )
    return Registration.objects.create(activity=activity, company=company, status="registered")


def test_the_form_offers_an_advisor_only_their_own_organisations_services(
    client, advisor, programme, training, coaching
):
    client.login(username=advisor.username, password=PASSWORD)
    form = client.get(f"/programmes/{programme.acronym}/activities/new/").context["form"]
    assert list(form.fields["service"].queryset) == [training]


def test_the_page_refuses_an_advisor_an_activity_of_another_partners_service(
    client, advisor, programme, coaching
):
    client.login(username=advisor.username, password=PASSWORD)
    url = f"/programmes/{programme.acronym}/activities/new/"
    response = client.post(url, page_data(coaching))
    assert response.status_code == 200
    assert "service" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_advisors_create_activities_of_their_own_and_managers_of_any_partner(
    client, advisor, manager, programme, training, coaching
):
    url = f"/programmes/{programme.acronym}/activities/new/"
    client.login(username=advisor.username, password=PASSWORD)
    assert client.post(url, page_data(training)).status_code == 302
    client.login(username=manager.username, password=PASSWORD)
    assert client.post(url, page_data(coaching)).status_code == 302
    assert Activity.objects.count() == 2


def test_the_page_refuses_an_advisor_attendance_for_another_partner(
    client, advisor, running, coaching, company
):
    registration = held(running, coaching, company)
    client.login(username=advisor.username, password=PASSWORD)
    url = f"/programmes/{running.acronym}/activities/{registration.activity_id}/attendance/"
    response = client.post(url, {"attended": [registration.pk]})
    assert response.status_code == 403
    assert not Delivery.objects.exists()


def test_the_api_refuses_the_same(advisor, running, coaching, company):
    registration = held(running, coaching, company)
    response = token_client(advisor).post(
        f"/api/v1/activities/{registration.activity_id}/attendance",
        {"registrations": [registration.pk]},
        content_type="application/json",
    )
    assert_error(response, 403)
    assert not Delivery.objects.exists()


def test_page_and_api_let_an_advisor_record_their_own_organisations_attendance(
    client, advisor, running, training, company, other_company
):
    first = held(running, training, company)
    second = held(running, training, other_company)
    client.login(username=advisor.username, password=PASSWORD)
    url = f"/programmes/{running.acronym}/activities/{first.activity_id}/attendance/"
    assert client.post(url, {"attended": [first.pk]}).status_code == 302
    response = token_client(advisor).post(
        f"/api/v1/activities/{second.activity_id}/attendance",
        {"registrations": [second.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"deliveries": 1}
    assert Delivery.objects.count() == 2


def test_page_and_api_let_a_manager_record_another_partners_attendance(
    client, manager, running, training, company, other_company
):
    first = held(running, training, company)
    second = held(running, training, other_company)
    client.login(username=manager.username, password=PASSWORD)
    url = f"/programmes/{running.acronym}/activities/{first.activity_id}/attendance/"
    assert client.post(url, {"attended": [first.pk]}).status_code == 302
    response = token_client(manager).post(
        f"/api/v1/activities/{second.activity_id}/attendance",
        {"registrations": [second.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Delivery.objects.count() == 2
