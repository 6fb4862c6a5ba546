"""Outreach messages through the API: staff write drafts and send them; SME users and
outsiders cannot."""

from metacluster.companies.models import Contact
from metacluster.outreach.models import Message
from metacluster.testing import assert_error, ids, token_client

DRAFT = {"subject": "Fair in Osaka", "body": "Dear {company}, join us.", "countries": ["SE"]}


def test_an_advisor_writes_a_draft_and_sends_it_to_the_segment(
    advisor, programme, company, other_company, mailoutbox
):
    Contact.objects.create(
        company=company, name="A", email="a@se.example", lawful_basis="legitimate_interest"
    )
    Contact.objects.create(
        company=other_company, name="B", email="b@ee.example", lawful_basis="legitimate_interest"
    )
    client = token_client(advisor)
    created = client.post(
        "/api/v1/outreach/messages",
        DRAFT | {"programme": programme.pk},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    sent = client.post(f"/api/v1/outreach/messages/{created.json()['id']}/send")
    assert sent.status_code == 202 and sent.json()["status"] == "sent"
    assert [m.to for m in mailoutbox] == [["a@se.example"]]
    assert ids(client.get("/api/v1/outreach/messages")) == [created.json()["id"]]


def test_a_draft_for_a_programme_one_does_not_see_is_refused(outsider, programme):
    response = token_client(outsider).post(
        "/api/v1/outreach/messages",
        DRAFT | {"programme": programme.pk},
        content_type="application/json",
    )
    assert_error(response, 400, "programme")
    assert not Message.objects.exists()


def test_the_forms_rules_apply(advisor, programme, outsider_programme):
    response = token_client(advisor).post(
        "/api/v1/outreach/messages",
        DRAFT | {"programme": programme.pk, "capabilities": [999]},
        content_type="application/json",
    )
    assert_error(response, 400, "capabilities")


def test_outsiders_viewers_and_smes_cannot_read_or_send(outsider, viewer, sme_user, programme):
    message = Message.objects.create(programme=programme, subject="S", body="B")
    assert_error(token_client(outsider).get(f"/api/v1/outreach/messages/{message.pk}"), 404)
    assert_error(token_client(outsider).post(f"/api/v1/outreach/messages/{message.pk}/send"), 404)
    assert_error(token_client(viewer).post(f"/api/v1/outreach/messages/{message.pk}/send"), 403)
    assert_error(token_client(sme_user).get("/api/v1/outreach/messages"), 403)
    message.refresh_from_db()
    assert message.status == "draft"
