"""Service requests: asking a partner to deliver a catalogue service, and what follows.

The characters: `advisor` works for the partner (Tallinn) and asks; `coaching` is offered by
the lead partner (Fibre Valley), whose advisor `lead_advisor` and manager answer."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from metacluster.accounts.choices import OrganisationKind, Role
from metacluster.accounts.models import Organisation
from metacluster.companies.models import Contact, Note
from metacluster.conftest import make_user
from metacluster.programmes.choices import PartnerRole
from metacluster.programmes.models import Partnership
from metacluster.servicerequests import flow, notices, stats
from metacluster.servicerequests.choices import RequestOrigin, RequestStatus
from metacluster.servicerequests.flow import request_service
from metacluster.servicerequests.models import TRANSITIONS, RequestNotice, ServiceRequest
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service
from metacluster.versioning import StaleEdit

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_advisor(lead_org):
    return make_user("lead_advisor", organisation=lead_org, role=Role.ADVISOR)


@pytest.fixture
def third_advisor(programme):
    """An advisor of a third partner of the same programme: not a side of the requests."""
    third = Organisation.objects.create(
        name="Riga Test Hub", kind=OrganisationKind.CLUSTER, country="LV"
    )
    Partnership.objects.create(programme=programme, organisation=third, role=PartnerRole.PARTNER)
    return make_user("third", organisation=third, role=Role.ADVISOR)


@pytest.fixture
def asked(advisor, coaching, company, lead_advisor, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = request_service(
            service=coaching,
            company=company,
            by=advisor,
            message="Needs help with a Japanese distributor",
            due_date=date(2021, 6, 1),
            shared_fields=["town", "employees"],
        )
    # Made while the programme ran (2020-2022), so that it can be delivered within it.
    asked_at = datetime(2021, 4, 1, 9, tzinfo=UTC)
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=asked_at)
    request.history.update(at=asked_at)
    return fresh(request)


def fresh(request):
    return ServiceRequest.objects.get(pk=request.pk)


# --- Asking and routing ------------------------------------------------------------------------


def test_an_advisor_asks_on_behalf_of_their_organisation(advisor, coaching, company):
    request = request_service(
        service=coaching, company=company, by=advisor, origin=RequestOrigin.READINESS
    )
    assert request.status == RequestStatus.REQUESTED
    assert request.referring_organisation == advisor.organisation
    assert request.provider == coaching.provider
    assert [(e.from_status, e.to_status, e.by) for e in request.history.all()] == [
        ("", RequestStatus.REQUESTED, advisor)
    ]


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


def test_only_known_profile_fields_and_the_companys_own_contacts_can_be_shared(
    advisor, coaching, company, other_company
):
    with pytest.raises(ValidationError) as error:
        request_service(service=coaching, company=company, by=advisor, shared_fields=["notes"])
    assert "shared_fields" in error.value.message_dict
    stranger = Contact.objects.create(
        company=other_company, name="Not Theirs", lawful_basis="contract"
    )
    with pytest.raises(ValidationError) as error:
        request_service(service=coaching, company=company, by=advisor, shared_contacts=[stranger])
    assert "shared_contacts" in error.value.message_dict
    assert not ServiceRequest.objects.exists()


def test_a_request_goes_to_the_only_partner_offering_the_kind(programme, company, coaching):
    routed = flow.route(programme=programme, kind=ServiceKind.COACHING, company=company)
    assert routed == coaching


def test_when_several_partners_offer_a_kind_the_requester_may_choose(
    programme, company, coaching, partner_org
):
    theirs = Service.objects.create(
        programme=programme, provider=partner_org, kind=ServiceKind.COACHING, name="Coaching EE"
    )
    chosen = flow.route(
        programme=programme, kind=ServiceKind.COACHING, company=company, provider=partner_org
    )
    assert chosen == theirs
    # Not chosen: the company's responsible partner (the lead, which engaged it) if it offers it.
    assert flow.route(programme=programme, kind=ServiceKind.COACHING, company=company) == coaching


def test_with_several_offers_and_no_responsible_partner_among_them_the_requester_must_choose(
    programme, company, partner_org, outsider_org, training
):
    third = Organisation.objects.create(name="Third", kind=OrganisationKind.CLUSTER, country="FI")
    Partnership.objects.create(programme=programme, organisation=third, role=PartnerRole.PARTNER)
    Service.objects.create(
        programme=programme, provider=third, kind=ServiceKind.TRAINING, name="Workshop FI"
    )
    with pytest.raises(ValidationError) as error:
        flow.route(programme=programme, kind=ServiceKind.TRAINING, company=company)
    assert "provider" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        flow.route(
            programme=programme, kind=ServiceKind.TRAINING, company=company, provider=outsider_org
        )
    assert "provider" in error.value.message_dict


# --- The status moves --------------------------------------------------------------------------


def test_the_partner_asked_accepts_plans_and_delivers_with_exactly_one_delivery(
    asked, lead_advisor
):
    flow.accept(asked, by=lead_advisor, version=asked.version)
    assert (asked.status, asked.advisor) == (RequestStatus.ACCEPTED, lead_advisor)
    flow.plan(asked, by=lead_advisor, version=asked.version, planned_for=date(2021, 5, 3))
    assert (asked.status, asked.planned_for) == (RequestStatus.PLANNED, date(2021, 5, 3))
    flow.deliver(
        asked, by=lead_advisor, version=asked.version, date=date(2021, 5, 3), quantity=Decimal(4)
    )
    asked = fresh(asked)
    assert asked.status == RequestStatus.DELIVERED
    delivery = Delivery.objects.get()
    assert asked.delivery == delivery
    assert (delivery.provider, delivery.advisor, delivery.quantity) == (
        asked.service.provider,
        lead_advisor,
        4,
    )
    assert hasattr(delivery, "aid")  # recorded through record_delivery: state aid applies
    assert [e.to_status for e in asked.history.all()] == [
        "requested",
        "accepted",
        "planned",
        "delivered",
    ]


def test_a_double_submitted_delivery_is_recorded_once(asked, lead_advisor):
    flow.accept(asked, by=lead_advisor, version=asked.version)
    flow.plan(asked, by=lead_advisor, version=asked.version, planned_for=date(2021, 5, 3))
    loaded = asked.version
    flow.deliver(asked, by=lead_advisor, version=loaded, date=date(2021, 5, 3), quantity=Decimal(1))
    with pytest.raises(StaleEdit):
        flow.deliver(
            asked, by=lead_advisor, version=loaded, date=date(2021, 5, 3), quantity=Decimal(1)
        )
    assert Delivery.objects.count() == 1


def test_a_delivery_refused_by_its_own_rules_leaves_the_request_planned(asked, lead_advisor):
    flow.accept(asked, by=lead_advisor, version=asked.version)
    flow.plan(asked, by=lead_advisor, version=asked.version, planned_for=date(2021, 5, 3))
    with pytest.raises(ValidationError) as error:
        # The programme ended in 2022: a delivery after it is refused.
        flow.deliver(
            asked, by=lead_advisor, version=asked.version, date=date(2023, 1, 5), quantity=1
        )
    assert "date" in error.value.message_dict
    asked = fresh(asked)
    assert (asked.status, asked.delivery) == (RequestStatus.PLANNED, None)
    assert not Delivery.objects.exists()
    assert asked.history.count() == 3


@pytest.mark.parametrize(
    "status",
    [RequestStatus.PLANNED, RequestStatus.DELIVERED],
)
def test_a_request_cannot_skip_being_accepted(asked, lead_advisor, status):
    assert (RequestStatus.REQUESTED, status) not in TRANSITIONS
    with pytest.raises(ValidationError) as error:
        if status == RequestStatus.PLANNED:
            flow.plan(asked, by=lead_advisor, version=asked.version, planned_for=date(2021, 5, 3))
        else:
            flow.deliver(
                asked, by=lead_advisor, version=asked.version, date=date(2021, 5, 3), quantity=1
            )
    assert "to" in error.value.message_dict
    assert fresh(asked).status == RequestStatus.REQUESTED
    assert not Delivery.objects.exists()


def test_a_closed_request_stays_closed(asked, advisor, lead_advisor):
    flow.withdraw(asked, by=advisor, version=asked.version)
    with pytest.raises(ValidationError):
        flow.accept(asked, by=lead_advisor, version=asked.version)
    assert fresh(asked).status == RequestStatus.WITHDRAWN


def test_a_declined_request_needs_a_reason(asked, lead_advisor):
    with pytest.raises(ValidationError) as error:
        flow.decline(asked, by=lead_advisor, version=asked.version, reason="  ")
    assert "reason" in error.value.message_dict
    flow.decline(asked, by=lead_advisor, version=asked.version, reason="No coach free before June")
    last = asked.history.last()
    assert (last.to_status, last.reason, last.by) == (
        RequestStatus.DECLINED,
        "No coach free before June",
        lead_advisor,
    )


def test_only_the_requesting_side_withdraws(asked, advisor, lead_advisor):
    with pytest.raises(PermissionDenied):
        flow.withdraw(asked, by=lead_advisor, version=asked.version)
    flow.withdraw(asked, by=advisor, version=asked.version, reason="Found a consultant")
    assert asked.status == RequestStatus.WITHDRAWN


def test_only_the_partner_asked_answers(asked, advisor, third_advisor):
    for someone in (advisor, third_advisor):
        with pytest.raises(PermissionDenied):
            flow.accept(asked, by=someone, version=asked.version)
    assert fresh(asked).status == RequestStatus.REQUESTED


def test_the_assigned_advisor_works_for_the_partner_asked(asked, lead_advisor, advisor):
    with pytest.raises(ValidationError) as error:
        flow.accept(asked, by=lead_advisor, version=asked.version, advisor=advisor)
    assert "advisor" in error.value.message_dict
    assert fresh(asked).advisor is None


def test_of_two_answers_given_at_once_the_second_is_refused(asked, lead_advisor, manager):
    loaded = asked.version
    flow.accept(asked, by=lead_advisor, version=loaded)
    with pytest.raises(StaleEdit):
        flow.decline(asked, by=manager, version=loaded, reason="Full")
    assert fresh(asked).status == RequestStatus.ACCEPTED


def test_an_open_request_past_its_due_date_is_overdue(asked):
    assert asked.is_overdue  # wanted by 2021-06-01
    assert list(ServiceRequest.objects.overdue()) == [asked]
    asked.due_date = date.today() + timedelta(days=3)
    asked.save()
    assert not fresh(asked).is_overdue
    assert not ServiceRequest.objects.overdue(today=date(2021, 1, 1)).exists()


# --- Who sees what -----------------------------------------------------------------------------


def test_requests_are_seen_by_their_two_sides_and_the_programme_managers(
    asked, advisor, lead_advisor, manager, third_advisor, outsider, sme_user, other_company
):
    theirs = request_service(service=asked.service, company=other_company, by=advisor)
    assert set(ServiceRequest.objects.visible_to(advisor)) == {asked, theirs}
    assert set(ServiceRequest.objects.visible_to(lead_advisor)) == {asked, theirs}
    assert set(ServiceRequest.objects.visible_to(manager)) == {asked, theirs}
    # Another partner of the same programme is not a side of them.
    assert not ServiceRequest.objects.visible_to(third_advisor).exists()
    assert not ServiceRequest.objects.visible_to(outsider).exists()
    # An SME sees only its own company's.
    assert list(ServiceRequest.objects.visible_to(sme_user)) == [asked]


def test_the_partner_asked_sees_only_the_shared_part_of_the_profile(asked, company, lead_org):
    company.town = "Hudiksvall"
    company.employees = 12
    company.turnover = 2_000_000
    company.vat_number = "SE556000000101"
    company.save()
    Note.objects.create(
        company=company, organisation=asked.referring_organisation, text="Slow payer"
    )
    shown = {row["field"]: row["value"] for row in fresh(asked).shared_profile()}
    assert shown == {
        "name": company.name,
        "country": "Sweden",
        "town": "Hudiksvall",
        "employees": 12,
    }


# --- Notifications -----------------------------------------------------------------------------


def test_the_partner_asked_is_emailed_about_a_new_request_once(asked, lead_advisor, manager):
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([lead_advisor.email, manager.email])
    event = asked.history.get()
    assert notices.send(event) == 0  # a retry sends nothing again
    assert len(mail.outbox) == 2
    assert RequestNotice.objects.filter(event=event).count() == 2


def test_the_requester_is_emailed_about_each_answer_and_the_other_side_about_comments(
    asked, advisor, lead_advisor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        flow.accept(asked, by=lead_advisor, version=asked.version)
    assert [m.to for m in mail.outbox] == [[advisor.email]]
    assert "accepted" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        flow.comment(asked, by=advisor, text="Can you start in May?")
    # Accepted: the assigned advisor speaks for the partner asked.
    assert [m.to for m in mail.outbox] == [[lead_advisor.email]]
    assert "Can you start in May?" in mail.outbox[0].body
    assert f"http://127.0.0.1:8000/requests/{asked.pk}/" in mail.outbox[0].body


def test_a_refused_change_sends_nothing(asked, lead_advisor, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        flow.decline(asked, by=lead_advisor, version=asked.version, reason="")
    assert mail.outbox == []


def test_only_the_two_sides_comment(asked, third_advisor):
    with pytest.raises(PermissionDenied):
        flow.comment(asked, by=third_advisor, text="Hello")


# --- Figures -----------------------------------------------------------------------------------


def test_figures_per_partner_count_and_time_the_answers(
    asked, advisor, lead_advisor, lead_org, partner_org, other_company, coaching
):
    flow.accept(asked, by=lead_advisor, version=asked.version)
    # Accepted two days after it was asked (2021-04-01 09:00).
    asked.history.filter(to_status="accepted").update(at=datetime(2021, 4, 3, 9, tzinfo=UTC))
    other = request_service(service=coaching, company=other_company, by=advisor)
    flow.decline(other, by=lead_advisor, version=other.version, reason="Full")
    figures = stats.for_programme(asked.service.programme)
    rows = {row.organisation: row for row in figures["partners"]}
    assert (rows[partner_org].sent, rows[partner_org].received) == (2, 0)
    lead = rows[lead_org]
    assert (lead.received, lead.open, lead.declined) == (2, 1, 1)
    assert lead.median_days_to_accept == 2.0 and lead.median_days_to_deliver is None
    assert figures["most_requested"] == [(coaching, 2)]
    assert figures["most_declined"] == [(coaching, 1)]
