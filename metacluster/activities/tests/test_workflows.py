"""Specification of activities: places, the waiting list, attendance as deliveries."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from metacluster.activities import workflows
from metacluster.activities.choices import RegistrationStatus
from metacluster.activities.models import Activity
from metacluster.companies.models import Company, engage
from metacluster.conftest import PASSWORD
from metacluster.programmes.kpis import figures
from metacluster.programmes.models import Indicator, Programme
from metacluster.services.models import Delivery


@pytest.fixture
def running(programme):
    """The programme runs around today, so attendance can be recorded today."""
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(
        start_date=today - timedelta(days=365), end_date=today + timedelta(days=365)
    )
    programme.refresh_from_db()
    return programme


@pytest.fixture
def workshop(running, training):
    now = timezone.now()
    return Activity.objects.create(
        programme=running,
        kind="workshop",
        title="Pricing for export markets",
        service=training,
        units_per_participant=3,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
        capacity=2,
    )


def companies(programme, partner, count):
    made = []
    for index in range(count):
        company = Company.objects.create(name=f"Participant {index} (fictional)", country="EE")
        engage(company, programme, partner)
        made.append(company)
    return made


def test_places_fill_then_the_waiting_list(workshop, partner_org):
    first, second, third = companies(workshop.programme, partner_org, 3)
    statuses = [workflows.register(workshop, c).status for c in (first, second, third)]
    assert statuses == ["registered", "registered", "waiting"]
    # Registering again changes nothing.
    assert workflows.register(workshop, third).status == "waiting"


def test_a_cancelled_place_goes_to_the_first_on_the_waiting_list(workshop, partner_org):
    first, second, third, fourth = companies(workshop.programme, partner_org, 4)
    places = [workflows.register(workshop, c) for c in (first, second, third, fourth)]
    moved = workflows.cancel(places[0])
    assert moved.company == third and moved.status == RegistrationStatus.REGISTERED
    assert workshop.registrations.get(company=fourth).status == RegistrationStatus.WAITING
    # Leaving the waiting list frees no seat.
    assert workflows.cancel(workshop.registrations.get(company=fourth)) is None


def test_attendance_is_one_delivery_each_with_its_aid_value_and_moves_the_indicator(
    workshop, partner_org, advisor
):
    indicator = Indicator.objects.create(
        programme=workshop.programme,
        code="TRAINED",
        name="SMEs trained",
        definition={"kind": "service_units", "service_kinds": ["training"]},
    )
    first, second, third = companies(workshop.programme, partner_org, 3)
    for company in (first, second, third):
        workflows.register(workshop, company)
    assert figures(indicator).achieved == 0
    count = workflows.mark_attendance(workshop, list(workshop.registrations.all()), by=advisor)
    assert count == 2  # the waiting company did not have a seat
    deliveries = Delivery.objects.filter(service=workshop.service).order_by("company__name")
    assert [d.company for d in deliveries] == [first, second]
    assert {d.value for d in deliveries} == {Decimal(150)} == {workshop.cost_per_participant}
    assert figures(indicator).achieved == 2
    # Recording again does not deliver twice.
    assert workflows.mark_attendance(workshop, list(workshop.registrations.all()), by=advisor) == 0


def test_attendance_in_the_future_is_refused_and_nothing_is_recorded(
    workshop, partner_org, advisor
):
    Activity.objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() + timedelta(days=2), ends_at=timezone.now() + timedelta(days=3)
    )
    workshop.refresh_from_db()
    (company,) = companies(workshop.programme, partner_org, 1)
    workflows.register(workshop, company)
    with pytest.raises(ValidationError):
        workflows.mark_attendance(workshop, list(workshop.registrations.all()), by=advisor)
    assert not Delivery.objects.exists()
    assert not workshop.registrations.filter(attended=True).exists()


def test_an_export_mission_needs_a_destination(running, training):
    mission = Activity(
        programme=running,
        kind="export_mission",
        title="Mission",
        service=training,
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        ends_at=datetime(2026, 1, 5, tzinfo=UTC),
        capacity=10,
    )
    with pytest.raises(ValidationError, match="destination"):
        mission.full_clean()


def test_outsiders_see_no_activity_and_viewers_cannot_record(client, outsider, viewer, workshop):
    url = f"/programmes/{workshop.programme.acronym}/activities/{workshop.pk}/"
    assert client.login(username=outsider.username, password=PASSWORD)
    assert client.get(url).status_code == 404
    assert client.login(username=viewer.username, password=PASSWORD)
    assert client.get(url).status_code == 200
    assert client.post(url + "attendance/", {"attended": []}).status_code == 403


def test_an_sme_registers_itself_only_for_open_activities(client, sme_user, workshop):
    url = f"/programmes/{workshop.programme.acronym}/activities/{workshop.pk}/register/"
    assert client.login(username=sme_user.username, password=PASSWORD)
    assert client.post(url).status_code == 403
    Activity.objects.filter(pk=workshop.pk).update(registration="public")
    client.post(url)
    assert workshop.registrations.get().company == sme_user.company


def test_a_new_activity_starts_from_a_template(client, advisor, workshop):
    from metacluster.activities.models import ActivityTemplate

    template = ActivityTemplate.objects.create(
        programme=workshop.programme,
        kind="webinar",
        title="Pricing webinar",
        service=workshop.service,
        capacity=40,
    )
    assert client.login(username=advisor.username, password=PASSWORD)
    url = f"/programmes/{workshop.programme.acronym}/activities/new/?template={template.pk}"
    page = client.get(url).content.decode()
    assert 'value="Pricing webinar"' in page and 'value="40"' in page


def test_a_missions_follow_up_deal_is_linked_only_from_its_delegation(
    client, advisor, running, training, partner_org
):
    from metacluster.deals.models import Deal

    now = timezone.now()
    mission = Activity.objects.create(
        programme=running,
        kind="export_mission",
        title="Mission to Chile",
        service=training,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=1),
        capacity=5,
        destination="CL",
    )
    member, other = companies(running, partner_org, 2)
    workflows.register(mission, member)
    workflows.mark_attendance(mission, list(mission.registrations.all()), by=advisor)

    def deal(company):
        return Deal.objects.create(
            programme=running,
            company=company,
            partner=partner_org,
            market="CL",
            counterpart="Andes Buyer (fictional)",
            opened_on=timezone.localdate(),
        )

    theirs, not_theirs = deal(member), deal(other)
    assert client.login(username=advisor.username, password=PASSWORD)
    url = f"/programmes/{running.acronym}/activities/{mission.pk}/deals/"
    assert client.post(url, {"deal": not_theirs.pk}).status_code == 404
    client.post(url, {"deal": theirs.pk})
    assert list(mission.deals.all()) == [theirs]


def test_a_missions_matchmaking_event_is_linked_only_from_its_programme(
    client, advisor, viewer, running, training, outsider_programme
):
    from metacluster.events.models import Event

    now = timezone.now()
    mission = Activity.objects.create(
        programme=running,
        kind="export_mission",
        title="Mission to Chile",
        service=training,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=5),
        capacity=5,
        destination="CL",
    )
    ours = Event.objects.create(
        programme=running, title="Santiago B2B", time_zone="America/Santiago"
    )
    theirs = Event.objects.create(programme=outsider_programme, title="Elsewhere")
    url = f"/programmes/{running.acronym}/activities/{mission.pk}/events/"
    assert client.login(username=viewer.username, password=PASSWORD)
    assert client.post(url, {"event": ours.pk}).status_code == 403
    assert client.login(username=advisor.username, password=PASSWORD)
    assert client.post(url, {"event": theirs.pk}).status_code == 404
    client.post(url, {"event": ours.pk})
    assert list(mission.events.all()) == [ours]
    page = client.get(f"/programmes/{running.acronym}/activities/{mission.pk}/").content.decode()
    assert "Santiago B2B" in page and 'id="link-event"' not in page
    client.post(f"{url}{ours.pk}/unlink/")
    assert not mission.events.exists()
