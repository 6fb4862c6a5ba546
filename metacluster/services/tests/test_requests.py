"""Service requests: asking a partner to deliver a catalogue service."""

import pytest
from django.core.exceptions import ValidationError

from metacluster.services.choices import RequestOrigin, RequestStatus
from metacluster.services.models import ServiceRequest
from metacluster.services.workflows import request_service

pytestmark = pytest.mark.django_db


def test_an_advisor_asks_on_behalf_of_their_organisation(advisor, coaching, company):
    request = request_service(
        service=coaching, company=company, by=advisor, origin=RequestOrigin.READINESS
    )
    assert request.status == RequestStatus.REQUESTED
    assert request.referring_organisation == advisor.organisation
    assert request.provider == coaching.provider


def test_an_sme_asks_for_itself_without_a_referring_partner(sme_user, coaching, company):
    request = request_service(service=coaching, company=company, by=sme_user)
    assert request.referring_organisation is None
    assert request.requested_by == sme_user


def test_a_service_no_longer_offered_cannot_be_requested(advisor, coaching, company):
    coaching.active = False
    coaching.save()
    with pytest.raises(ValidationError) as error:
        request_service(service=coaching, company=company, by=advisor)
    assert "service" in error.value.message_dict
    assert not ServiceRequest.objects.exists()


def test_requests_are_visible_like_the_programme_records(
    advisor, outsider, sme_user, coaching, company, other_company
):
    mine = request_service(service=coaching, company=company, by=advisor)
    theirs = request_service(service=coaching, company=other_company, by=advisor)
    assert set(ServiceRequest.objects.visible_to(advisor)) == {mine, theirs}
    assert list(ServiceRequest.objects.visible_to(sme_user)) == [mine]
    assert not ServiceRequest.objects.visible_to(outsider).exists()
    assert list(ServiceRequest.objects.open()) == [theirs, mine]
