"""A feasibility study's requirements ask the partners for help through the one-stop shop's
service requests (origin: feasibility study), in one click from the study."""

import pytest
from django.core.exceptions import ValidationError

from metacluster.markets.workflows import helping_services, request_help
from metacluster.servicerequests.choices import RequestOrigin, RequestStatus
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service


@pytest.fixture
def matchmaking(programme, partner_org):
    """The other partner offers partner search."""
    return Service.objects.create(
        programme=programme,
        provider=partner_org,
        kind=ServiceKind.MATCHMAKING,
        name="Partner search in Japan",
        unit="hours",
        value_per_unit=80,
    )


@pytest.fixture
def testbed(programme, lead_org):
    return Service.objects.create(
        programme=programme,
        provider=lead_org,
        kind=ServiceKind.TESTBED,
        name="Certification testing",
        unit="hours",
        value_per_unit=120,
    )


@pytest.fixture
def needs_partner(study):
    study.partner_needed = True
    study.requirements = "A distributor in Osaka."
    study.save()
    return study


def test_a_ticked_requirement_offers_the_services_that_help(needs_partner, matchmaking, testbed):
    assert list(helping_services(needs_partner, "partner_needed")) == [matchmaking]
    assert list(helping_services(needs_partner, "certification_needed")) == [testbed]


def test_requesting_help_uses_the_request_flow_and_links_the_study(
    needs_partner, matchmaking, manager
):
    request, created = request_help(needs_partner, matchmaking, by=manager, need="partner_needed")
    assert created
    assert request.origin == RequestOrigin.FEASIBILITY and request.status == RequestStatus.REQUESTED
    assert request.company == needs_partner.company and request.provider == matchmaking.provider
    assert request.referring_organisation == manager.organisation
    assert "Japan" in request.message and "A distributor in Osaka." in request.message
    assert list(needs_partner.service_requests.all()) == [request]


def test_an_open_request_is_linked_not_repeated(needs_partner, matchmaking, manager):
    first, _ = request_help(needs_partner, matchmaking, by=manager, need="partner_needed")
    again, created = request_help(needs_partner, matchmaking, by=manager, need="partner_needed")
    assert not created and again == first
    assert ServiceRequest.objects.count() == 1


def test_only_ticked_requirements_and_matching_services(
    needs_partner, matchmaking, testbed, manager
):
    with pytest.raises(ValidationError):
        request_help(needs_partner, testbed, by=manager, need="certification_needed")  # not ticked
    with pytest.raises(ValidationError):
        request_help(needs_partner, testbed, by=manager, need="partner_needed")  # wrong kind
    assert not ServiceRequest.objects.exists()


def test_one_click_on_the_study_page(client, needs_partner, matchmaking, manager):
    client.force_login(manager)
    page = client.get(needs_partner.get_absolute_url()).content.decode()
    assert "Partner search in Japan" in page and "Request" in page
    response = client.post(
        f"/markets/studies/{needs_partner.pk}/request/",
        {"need": "partner_needed", "service": matchmaking.pk},
    )
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.origin == RequestOrigin.FEASIBILITY
    page = client.get(needs_partner.get_absolute_url())
    assert list(page.context["requests"]) == [request]


def test_who_may_request(client, needs_partner, matchmaking, viewer, outsider, sme_user):
    url = f"/markets/studies/{needs_partner.pk}/request/"
    body = {"need": "partner_needed", "service": matchmaking.pk}
    client.force_login(viewer)
    assert client.post(url, body).status_code == 403  # sees the study, does not record
    client.force_login(outsider)
    assert client.post(url, body).status_code == 404  # another programme's study
    client.force_login(sme_user)
    assert client.post(url, body).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_a_bad_service_id_is_not_found(client, needs_partner, manager):
    client.force_login(manager)
    url = f"/markets/studies/{needs_partner.pk}/request/"
    assert client.post(url, {"need": "partner_needed", "service": "x"}).status_code == 404
    assert client.post(url, {"need": "partner_needed", "service": "99999"}).status_code == 404
