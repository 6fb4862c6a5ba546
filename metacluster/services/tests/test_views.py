"""Recording deliveries and attendance in the browser forms."""

from metacluster.conftest import PASSWORD
from metacluster.services.models import Delivery


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def delivery_form(company, service, provider, **overrides):
    data = {
        "company": company.pk,
        "service": service.pk,
        "provider": provider.pk,
        "date": "2021-05-04",
        "quantity": "2",
        "notes": "",
    }
    return data | overrides


def test_an_advisor_records_a_delivery_of_their_own_organisation(
    client, advisor, programme, other_company, training, partner_org
):
    response = login(client, advisor).post(
        f"/programmes/{programme.acronym}/deliveries/new/",
        delivery_form(other_company, training, partner_org),
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.company, delivery.provider, delivery.advisor) == (
        other_company,
        partner_org,
        advisor,
    )


def test_an_advisor_cannot_record_for_another_partner(
    client, advisor, programme, company, coaching, lead_org
):
    response = login(client, advisor).post(
        f"/programmes/{programme.acronym}/deliveries/new/",
        delivery_form(company, coaching, lead_org),
    )
    assert response.status_code == 200
    assert "provider" in response.context["form"].errors
    assert not Delivery.objects.exists()


def test_a_delivery_outside_the_programme_period_changes_nothing(
    client, manager, programme, company, coaching, lead_org
):
    response = login(client, manager).post(
        f"/programmes/{programme.acronym}/deliveries/new/",
        delivery_form(company, coaching, lead_org, date="2019-12-31"),
    )
    assert response.status_code == 200
    assert "programme period" in response.text
    assert not Delivery.objects.exists()


def test_a_viewer_cannot_record(client, viewer, programme):
    assert (
        login(client, viewer).get(f"/programmes/{programme.acronym}/deliveries/new/").status_code
        == 403
    )


def test_an_outsider_cannot_see_the_delivery_form(client, outsider, programme):
    assert (
        login(client, outsider).get(f"/programmes/{programme.acronym}/deliveries/new/").status_code
        == 404
    )


def test_attendance_creates_one_delivery_per_attending_company(
    client, manager, programme, company, other_company, training, partner_org
):
    response = login(client, manager).post(
        f"/programmes/{programme.acronym}/deliveries/attendance/",
        {
            "service": training.pk,
            "provider": partner_org.pk,
            "date": "2021-06-01",
            "quantity": "3",
            "notes": "Export pricing workshop",
            "companies": [company.pk, other_company.pk],
        },
    )
    assert response.status_code == 302
    deliveries = Delivery.objects.filter(service=training)
    assert sorted(d.company_id for d in deliveries) == sorted([company.pk, other_company.pk])
    assert len({d.batch for d in deliveries}) == 1


def test_attendance_with_a_foreign_company_records_nothing(
    client, manager, programme, company, outsider_company, training, partner_org
):
    response = login(client, manager).post(
        f"/programmes/{programme.acronym}/deliveries/attendance/",
        {
            "service": training.pk,
            "provider": partner_org.pk,
            "date": "2021-06-01",
            "quantity": "3",
            "companies": [company.pk, outsider_company.pk],
        },
    )
    assert response.status_code == 200
    assert "companies" in response.context["form"].errors
    assert not Delivery.objects.exists()


def test_an_advisor_adds_a_service_to_their_part_of_the_catalogue(
    client, advisor, programme, partner_org
):
    response = login(client, advisor).post(
        f"/programmes/{programme.acronym}/services/new/",
        {
            "kind": "testbed",
            "name": "5G testbed day",
            "provider": partner_org.pk,
            "unit": "days",
            "value_per_unit": "1200",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert programme.services.get(name="5G testbed day").provider == partner_org


def test_an_advisor_cannot_change_another_partners_service(client, advisor, programme, coaching):
    response = login(client, advisor).post(
        f"/programmes/{programme.acronym}/services/{coaching.pk}/",
        {
            "kind": "coaching",
            "name": "Renamed",
            "provider": coaching.provider_id,
            "unit": "hours",
            "value_per_unit": "1",
        },
    )
    assert response.status_code == 403
    coaching.refresh_from_db()
    assert coaching.name == "Export coaching"


def test_a_negative_market_value_is_a_field_error(client, manager, programme, lead_org):
    response = login(client, manager).post(
        f"/programmes/{programme.acronym}/services/new/",
        {
            "kind": "coaching",
            "name": "Cheap",
            "provider": lead_org.pk,
            "unit": "hours",
            "value_per_unit": "-5",
        },
    )
    assert response.status_code == 200
    assert "value_per_unit" in response.context["form"].errors
    assert not programme.services.filter(name="Cheap").exists()
