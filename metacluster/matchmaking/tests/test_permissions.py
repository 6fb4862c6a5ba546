"""Who sees and does what: outsiders 404, SMEs only their own, private stays private."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from metacluster.matchmaking.choices import Visibility
from metacluster.matchmaking.models import Interest, Opportunity
from metacluster.testing import assert_error, ids, token_client

from .conftest import make_opportunity


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_outsider_gets_404_for_page_and_api(opportunity, outsider):
    assert browser(outsider).get(f"/matchmaking/opportunities/{opportunity.pk}/").status_code == 404
    assert_error(token_client(outsider).get(f"/api/v1/opportunities/{opportunity.pk}"), 404)
    assert_error(token_client(outsider).get(f"/api/v1/opportunities/{opportunity.pk}/matches"), 404)


def test_another_partners_private_opportunity_is_invisible_to_staff_and_smes(
    programme, partner_org, capabilities, manager, advisor, sme_user, other_sme, offers
):
    private = make_opportunity(programme, partner_org, capabilities, visibility=Visibility.PARTNER)
    # manager (lead_org) and sme_user (company handled by lead_org) must not see it.
    assert not Opportunity.objects.visible_to(manager).filter(pk=private.pk).exists()
    assert not Opportunity.objects.visible_to(sme_user).filter(pk=private.pk).exists()
    assert browser(sme_user).get(f"/matchmaking/opportunities/{private.pk}/").status_code == 404
    # Its own partner's advisor and that partner's SME do.
    assert Opportunity.objects.visible_to(advisor).filter(pk=private.pk).exists()
    assert Opportunity.objects.visible_to(other_sme).filter(pk=private.pk).exists()


def test_smes_never_see_an_expired_opportunity(opportunity, sme_user):
    opportunity.deadline = timezone.localdate() - timedelta(days=1)
    opportunity.save()
    assert browser(sme_user).get(f"/matchmaking/opportunities/{opportunity.pk}/").status_code == 404
    assert ids(token_client(sme_user).get("/api/v1/opportunities")) == []


def test_an_sme_sees_only_its_own_offers_and_interests(
    opportunity, offers, company, other_company, sme_user
):
    from metacluster.matchmaking.workflows import express_interest

    express_interest(opportunity, other_company)
    client = token_client(sme_user)
    assert {o["company_id"] for o in client.get("/api/v1/offers").json()["items"]} == {company.pk}
    assert client.get("/api/v1/interests").json()["count"] == 0
    assert_error(client.get(f"/api/v1/offers/{offers[1].pk}"), 404)
    assert_error(client.get(f"/api/v1/companies/{other_company.pk}/matches"), 404)
    page = browser(sme_user).get(f"/matchmaking/offers/{offers[1].pk}/edit/")
    assert page.status_code == 404


def test_an_sme_acts_only_for_its_own_company(opportunity, other_company, sme_user, company):
    client = token_client(sme_user)
    response = client.post(
        f"/api/v1/opportunities/{opportunity.pk}/interests",
        {"company": other_company.pk},
        content_type="application/json",
    )
    assert_error(response, 400, "company")
    response = client.post(
        f"/api/v1/opportunities/{opportunity.pk}/interests", {}, content_type="application/json"
    )
    assert response.status_code == 201
    assert Interest.objects.get().company == company


def test_a_viewer_cannot_publish_or_notify(opportunity, viewer, company):
    client = browser(viewer)
    assert client.get("/matchmaking/opportunities/new/").status_code == 403
    response = client.post(
        f"/matchmaking/opportunities/{opportunity.pk}/notify/", {"company": company.pk}
    )
    assert response.status_code == 403


def test_an_advisor_cannot_edit_another_partners_opportunity(opportunity, advisor):
    # opportunity is lead_org's; advisor belongs to partner_org.
    response = browser(advisor).get(f"/matchmaking/opportunities/{opportunity.pk}/edit/")
    assert response.status_code == 403
