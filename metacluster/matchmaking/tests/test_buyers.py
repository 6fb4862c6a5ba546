"""Invited foreign buyers: an advisor invites, the buyer publishes through a personal link and
sees the interest in their own opportunities, and nothing else."""

import re

import pytest
from django.core import mail
from django.test import Client

from metacluster.matchmaking.models import Buyer, Opportunity
from metacluster.matchmaking.workflows import express_interest

from .conftest import make_opportunity


def browser(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def invite(advisor, programme, **fields):
    values = {
        "programme": programme.pk,
        "name": "Nguyen Van An",
        "email": "an@danang.example",
        "organisation": "Da Nang Department of Transport",
        "country": "VN",
        "visibility": "programme",
    }
    values.update(fields)
    response = browser(advisor).post("/matchmaking/buyers/", values)
    assert response.status_code == 200
    return re.search(r"/matchmaking/b/(mcb_[\w-]+)/", mail.outbox[-1].body).group(1)


def publish(key, capabilities, **fields):
    values = {
        "kind": "buyer_request",
        "title": "Parking guidance for Da Nang",
        "description": "Parking sensors and a guidance app for the old town.",
        "country": "VN",
        "capabilities": [capabilities["iot"].pk],
        "currency": "EUR",
        "language": "en",
    }
    values.update(fields)
    return browser().post(f"/matchmaking/b/{key}/new/", values)


def test_no_buyer_can_publish_without_an_invitation(client, programme):
    # Publishing needs an account of a programme partner: anonymous visitors are sent to log in.
    response = client.get("/matchmaking/opportunities/new/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_an_invited_buyer_publishes_for_review_by_the_inviting_partner(
    programme, partner_org, advisor, capabilities, sme_user
):
    key = invite(advisor, programme, moderated="on")
    assert mail.outbox[-1].to == ["an@danang.example"]
    buyer = Buyer.objects.get()
    assert buyer.partner == partner_org and buyer.token_hash and key not in buyer.token_hash

    response = publish(key, capabilities)
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert (opportunity.invited_buyer, opportunity.partner, opportunity.status) == (
        buyer,
        partner_org,
        "draft",
    )
    assert opportunity.buyer == "Da Nang Department of Transport"
    # A draft reaches no SME until the partner publishes it.
    assert not Opportunity.objects.visible_to(sme_user).exists()
    assert Opportunity.objects.visible_to(advisor).filter(pk=opportunity.pk).exists()


def test_an_unmoderated_buyer_publishes_directly(programme, advisor, capabilities, sme_user):
    key = invite(advisor, programme)  # the box left unticked
    publish(key, capabilities)
    assert Opportunity.objects.get().status == "published"
    assert Opportunity.objects.visible_to(sme_user).count() == 1


def test_the_buyer_edits_their_own_opportunity_and_sees_the_interest_in_it(
    programme, advisor, capabilities, company, sme_user, offers
):
    key = invite(advisor, programme)
    publish(key, capabilities)
    opportunity = Opportunity.objects.get()
    express_interest(opportunity, company, by=sme_user, message="We run 40,000 sensors.")

    page = browser().get(f"/matchmaking/b/{key}/").content.decode()
    assert "Parking guidance for Da Nang" in page
    assert company.name in page and "We run 40,000 sensors." in page

    response = browser().post(
        f"/matchmaking/b/{key}/{opportunity.pk}/edit/",
        {
            "kind": "buyer_request",
            "title": "Parking guidance for Da Nang, phase 2",
            "description": "More sensors.",
            "country": "VN",
            "currency": "EUR",
            "language": "en",
            "version": opportunity.version,
        },
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Parking guidance for Da Nang, phase 2"


def test_a_stale_edit_by_the_buyer_is_refused(programme, advisor, capabilities):
    key = invite(advisor, programme)
    publish(key, capabilities)
    opportunity = Opportunity.objects.get()
    response = browser().post(
        f"/matchmaking/b/{key}/{opportunity.pk}/edit/",
        {
            "kind": "tender",
            "title": "Old",
            "description": "x",
            "country": "VN",
            "currency": "EUR",
            "language": "en",
            "version": opportunity.version - 1,
        },
    )
    assert response.status_code == 200
    opportunity.refresh_from_db()
    assert opportunity.title == "Parking guidance for Da Nang"


def test_a_buyer_link_reaches_nothing_but_the_buyers_own_opportunities(
    programme, lead_org, advisor, capabilities, offers
):
    key = invite(advisor, programme)
    other_key = invite(advisor, programme, email="b@example.com")
    publish(other_key, capabilities, title="Someone else's request")
    theirs = Opportunity.objects.get(title="Someone else's request")
    staff_made = make_opportunity(programme, lead_org, capabilities)
    buyer = browser()
    for opportunity in (theirs, staff_made):
        assert buyer.get(f"/matchmaking/b/{key}/{opportunity.pk}/edit/").status_code == 404
        response = buyer.post(
            f"/matchmaking/b/{key}/{opportunity.pk}/edit/",
            {"title": "Hijacked", "description": "x", "kind": "tender", "country": "VN"},
        )
        assert response.status_code == 404
    page = buyer.get(f"/matchmaking/b/{key}/").content.decode()
    assert "Someone else's request" not in page and staff_made.title not in page
    # The link opens no staff or SME page.
    for url in (
        "/matchmaking/",
        f"/matchmaking/opportunities/{staff_made.pk}/",
        "/matchmaking/buyers/",
    ):
        assert buyer.get(url).status_code == 302  # to the login page


@pytest.mark.parametrize("key", ["mcb_not-a-real-key", "mce_an-event-key", "nonsense"])
def test_an_unknown_key_is_a_404(programme, key):
    assert browser().get(f"/matchmaking/b/{key}/").status_code == 404


def test_a_revoked_link_stops_working(programme, advisor, capabilities):
    key = invite(advisor, programme)
    buyer = Buyer.objects.get()
    assert browser(advisor).post(f"/matchmaking/buyers/{buyer.pk}/revoke/").status_code == 302
    assert browser().get(f"/matchmaking/b/{key}/").status_code == 404
    assert publish(key, capabilities).status_code == 404
    assert not Opportunity.objects.exists()


def test_only_partners_staff_invite_buyers_and_see_their_own_invitations(
    programme, advisor, manager, outsider, sme_user, viewer
):
    invite(advisor, programme)
    for user in (sme_user, outsider, viewer):
        assert browser(user).get("/matchmaking/buyers/").status_code == 403
    buyer = Buyer.objects.get()
    # The outsider cannot even see the invitation: 404, not 403.
    assert browser(outsider).post(f"/matchmaking/buyers/{buyer.pk}/revoke/").status_code == 404
    # The lead partner's manager manages the programme and sees every invitation of it.
    assert Buyer.objects.visible_to(manager).count() == 1
    assert not Buyer.objects.visible_to(sme_user).exists()
