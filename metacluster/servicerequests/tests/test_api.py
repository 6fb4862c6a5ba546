"""Service requests through the API: /api/v1/services/requests."""

from datetime import UTC, datetime

import pytest

from metacluster.accounts.choices import OrganisationKind, Role
from metacluster.accounts.models import Organisation
from metacluster.companies.models import Contact, Note
from metacluster.conftest import make_user
from metacluster.programmes.choices import PartnerRole
from metacluster.programmes.models import Partnership
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service
from metacluster.testing import assert_error, ids, token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/services/requests"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def lead_advisor(lead_org):
    return make_user("lead_advisor", organisation=lead_org, role=Role.ADVISOR)


@pytest.fixture
def made(advisor, coaching, company, lead_advisor):
    contact = Contact.objects.create(
        company=company, name="Anna Shared", email="anna@alpha.example", lawful_basis="contract"
    )
    Note.objects.create(company=company, organisation=advisor.organisation, text="Secret remark")
    response = post(
        token_client(advisor),
        URL,
        {
            "company": company.pk,
            "service": coaching.pk,
            "message": "Japan",
            "due_date": "2021-06-01",
            "shared_fields": ["town"],
            "shared_contacts": [contact.pk],
        },
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    ServiceRequest.objects.filter(pk=pk).update(created_at=datetime(2021, 4, 1, tzinfo=UTC))
    return token_client(lead_advisor).get(f"{URL}/{pk}").json()


def move(user, request_id, body):
    return post(token_client(user), f"{URL}/{request_id}/transitions", body)


def test_the_request_arrives_with_the_shared_profile_only(made, advisor):
    assert made["status"] == "requested" and made["overdue"] is True
    assert [row["field"] for row in made["shared_profile"]] == ["name", "country", "town"]
    assert [c["name"] for c in made["shared_contacts"]] == ["Anna Shared"]
    assert "Secret remark" not in str(made)
    assert made["next_statuses"] == ["accepted", "declined"]
    assert made["referring_organisation_id"] == advisor.organisation_id


def test_received_and_sent_boxes(made, advisor, lead_advisor):
    assert ids(token_client(lead_advisor).get(f"{URL}?box=received")) == [made["id"]]
    assert ids(token_client(lead_advisor).get(f"{URL}?box=sent")) == []
    assert ids(token_client(advisor).get(f"{URL}?box=sent&overdue=true")) == [made["id"]]


def test_accept_plan_deliver_and_the_version_guard(made, lead_advisor):
    accepted = move(lead_advisor, made["id"], {"to": "accepted", "version": made["version"]})
    assert accepted.status_code == 200 and accepted.json()["advisor_id"] == lead_advisor.pk
    # An answer given on the version loaded before is refused and changes nothing.
    stale = move(
        lead_advisor, made["id"], {"to": "declined", "version": made["version"], "reason": "x"}
    )
    assert_error(stale, 409, "version")
    version = accepted.json()["version"]
    planned = move(
        lead_advisor, made["id"], {"to": "planned", "version": version, "planned_for": "2021-05-03"}
    ).json()
    body = {"to": "delivered", "version": planned["version"], "date": "2021-05-03", "quantity": 2}
    delivered = move(lead_advisor, made["id"], body)
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    assert_error(move(lead_advisor, made["id"], body), 409)
    assert Delivery.objects.get().pk == delivered.json()["delivery_id"]
    assert [e["to_status"] for e in delivered.json()["history"]] == [
        "requested",
        "accepted",
        "planned",
        "delivered",
    ]


def test_a_delivery_dated_before_the_request_is_400_on_its_date(made, lead_advisor):
    version = move(lead_advisor, made["id"], {"to": "accepted", "version": made["version"]})
    planned = move(
        lead_advisor,
        made["id"],
        {"to": "planned", "version": version.json()["version"], "planned_for": "2021-05-03"},
    ).json()
    body = {"to": "delivered", "version": planned["version"], "date": "2021-03-31", "quantity": 1}
    assert_error(move(lead_advisor, made["id"], body), 400, "date")
    assert not Delivery.objects.exists()


def test_illegal_jumps_and_missing_reasons_are_400(made, lead_advisor):
    jump = {"to": "delivered", "version": made["version"], "date": "2021-05-03", "quantity": 1}
    assert_error(move(lead_advisor, made["id"], jump), 400, "to")
    assert_error(
        move(lead_advisor, made["id"], {"to": "declined", "version": made["version"]}),
        400,
        "reason",
    )
    assert not Delivery.objects.exists()


def test_the_requester_withdraws_but_does_not_answer(made, advisor):
    assert_error(move(advisor, made["id"], {"to": "accepted", "version": made["version"]}), 403)
    withdrawn = move(advisor, made["id"], {"to": "withdrawn", "version": made["version"]})
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_comment_is_read_by_both_sides(made, advisor, lead_advisor):
    response = post(token_client(lead_advisor), f"{URL}/{made['id']}/comments", {"text": "Hi"})
    assert response.status_code == 201
    seen = token_client(advisor).get(f"{URL}/{made['id']}").json()
    assert [c["text"] for c in seen["comments"]] == ["Hi"]


def test_other_partners_outsiders_and_other_smes_get_404(made, programme, outsider, company):
    third = Organisation.objects.create(name="Third", kind=OrganisationKind.CLUSTER, country="FI")
    Partnership.objects.create(programme=programme, organisation=third, role=PartnerRole.PARTNER)
    third_advisor = make_user("third", organisation=third, role=Role.ADVISOR)
    for someone in (outsider, third_advisor):
        assert_error(token_client(someone).get(f"{URL}/{made['id']}"), 404)
        assert_error(move(someone, made["id"], {"to": "accepted", "version": 1}), 404)
        assert ids(token_client(someone).get(URL)) == []


def test_an_sme_sees_and_makes_only_its_own_requests(made, sme_user, coaching, other_company):
    client = token_client(sme_user)
    assert ids(client.get(URL)) == [made["id"]]
    refused = post(client, URL, {"company": other_company.pk, "service": coaching.pk})
    assert_error(refused, 400, "company")


def test_routing_by_kind_and_chosen_partner(advisor, programme, company, partner_org, coaching):
    theirs = Service.objects.create(
        programme=programme, provider=partner_org, kind=ServiceKind.COACHING, name="Coaching EE"
    )
    client = token_client(advisor)
    body = {"company": company.pk, "programme": programme.pk, "kind": "coaching"}
    # Not chosen: the company's responsible partner (the lead) offers it, so it goes there.
    assert post(client, URL, body).json()["service_id"] == coaching.pk
    chosen = post(client, URL, {**body, "provider": partner_org.pk}).json()
    assert chosen["service_id"] == theirs.pk


def test_unknown_fields_to_share_are_refused(advisor, company, coaching):
    response = post(
        token_client(advisor),
        URL,
        {"company": company.pk, "service": coaching.pk, "shared_fields": ["notes"]},
    )
    assert_error(response, 400, "shared_fields.0")
    assert not ServiceRequest.objects.exists()
