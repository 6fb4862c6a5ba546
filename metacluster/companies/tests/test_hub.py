"""The company hub: one page with every section an advisor works in, each section also
served alone for htmx, each action returning to the company, and a fixed cost in queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metacluster.companies.tests.records import fill
from metacluster.conftest import PASSWORD
from metacluster.events.models import Event, Session
from metacluster.matchmaking.models import Capability, Offer, Opportunity

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "hub-matches"}


@pytest.fixture(autouse=True)
def lexical_ranking(monkeypatch):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_hub_shows_every_section_to_an_advisor(client, manager, company):
    page = login(client, manager).get(f"/companies/{company.pk}/").text
    for section in ("programmes", "readiness", "events", "requests", "deals", "deliveries"):
        assert f'id="hub-{section}"' in page
    # The computed sections load after the page, through htmx.
    assert f'hx-get="/companies/{company.pk}/?section=matches"' in page
    assert f'hx-get="/companies/{company.pk}/?section=markets"' in page


def test_a_section_is_served_alone_for_htmx_and_on_its_own_page_without(client, manager, company):
    client = login(client, manager)
    fragment = client.get(f"/companies/{company.pk}/?section=deals", **HTMX)
    assert fragment.text.lstrip().startswith('<section class="card" id="hub-deals">')
    page = client.get(f"/companies/{company.pk}/?section=deals")
    assert "<html" in page.text and f'href="/companies/{company.pk}/"' in page.text


def test_an_unknown_section_is_not_found(client, manager, company):
    assert login(client, manager).get(f"/companies/{company.pk}/?section=x").status_code == 404


def test_an_outsider_gets_no_section(client, outsider, company):
    client = login(client, outsider)
    for section in ("deals", "matches", "markets"):
        response = client.get(f"/companies/{company.pk}/?section={section}", **HTMX)
        assert response.status_code == 404


def test_each_action_link_carries_the_way_back(client, manager, company):
    page = login(client, manager).get(f"/companies/{company.pk}/").text
    back = f"next=%2Fcompanies%2F{company.pk}%2F"
    assert f'<input type="hidden" name="company" value="{company.pk}">' in page  # start: one POST
    assert f"/requests/new/?company={company.pk}&amp;{back}" in page
    assert f"/deals/new/?company={company.pk}&amp;{back}" in page


def test_recording_a_deal_from_the_hub_returns_to_the_hub(client, manager, company, programme):
    response = login(client, manager).post(
        f"/deals/new/?company={company.pk}&next=/companies/{company.pk}/",
        {
            "programme": programme.pk,
            "company": company.pk,
            "partner": programme.partnerships.first().organisation_id,
            "market": "DE",
            "counterpart": "Berlin buyer",
            "stage": "lead",
            "currency": "EUR",
            "opened_on": "2021-03-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == f"/companies/{company.pk}/"


def test_a_next_to_another_site_is_ignored(client, manager, company, programme):
    response = login(client, manager).post(
        f"/deals/new/?company={company.pk}&next=https://evil.example/",
        {
            "programme": programme.pk,
            "company": company.pk,
            "partner": programme.partnerships.first().organisation_id,
            "market": "DE",
            "counterpart": "Berlin buyer",
            "stage": "lead",
            "currency": "EUR",
            "opened_on": "2021-03-01",
        },
    )
    assert response["Location"] == f"/companies/{company.pk}/"


def test_the_sme_sees_its_own_hub_without_notes_or_registry_codes(
    client, sme_user, company, manager, lead_org
):
    from metacluster.companies.models import Note

    Note.objects.create(company=company, organisation=lead_org, text="Internal remark")
    page = login(client, sme_user).get(f"/companies/{company.pk}/").text
    assert "Internal remark" not in page
    assert company.registry_code not in page
    assert "Record a deal" not in page
    assert "Request a service" in page


def test_matches_are_ranked_with_reasons_and_weak_ones_are_labelled(
    client, manager, company, programme, lead_org
):
    parking = Capability.objects.create(programme=programme, code="parking", name="Parking")
    offer = Offer.objects.create(
        programme=programme,
        company=company,
        title="Parking sensors",
        description="Wireless parking sensors for smart cities.",
    )
    offer.capabilities.set([parking])
    deadline = timezone.localdate() + timedelta(days=30)
    strong = Opportunity.objects.create(
        programme=programme,
        partner=lead_org,
        title="Smart parking sensors",
        description="The city seeks wireless parking sensors for smart cities.",
        country="VN",
        buyer="Da Nang",
        deadline=deadline,
    )
    strong.capabilities.set([parking])
    weak = Opportunity.objects.create(
        programme=programme,
        partner=lead_org,
        title="Water pipes",
        description="Cast iron water pipes for a harbour.",
        country="VN",
        buyer="Hai Phong",
        deadline=deadline,
    )
    fragment = login(client, manager).get(f"/companies/{company.pk}/?section=matches", **HTMX)
    text = fragment.text
    assert text.index("Smart parking sensors") < text.index("Water pipes")
    weak_item = text[text.index("Water pipes") :]
    assert "weak match" in weak_item
    assert "weak match" not in text[text.index("Smart parking sensors") : text.index("Water pipes")]
    assert "Shared capabilities" in text
    assert weak.pk and strong.pk


def test_an_organiser_brings_the_company_to_an_event_in_one_click(
    client, manager, company, programme
):
    event = Event.objects.create(programme=programme, title="Nordic B2B")
    Session.objects.create(
        event=event,
        name="Day",
        date=timezone.localdate() + timedelta(days=3),
        start_time="09:00",
        end_time="12:00",
    )
    client = login(client, manager)
    assert "Bring to Nordic B2B" in client.get(f"/companies/{company.pk}/").text
    response = client.post(
        f"/companies/{company.pk}/events/{event.pk}/join/", {"next": f"/companies/{company.pk}/"}
    )
    assert response["Location"] == f"/companies/{company.pk}/"
    assert event.participants.filter(company=company, kind="sme").exists()


def test_an_sme_cannot_bring_itself_to_an_event(client, sme_user, company, programme):
    event = Event.objects.create(programme=programme, title="Nordic B2B")
    response = login(client, sme_user).post(f"/companies/{company.pk}/events/{event.pk}/join/")
    assert response.status_code in (403, 404)
    assert not event.participants.exists()


def test_an_outsider_cannot_bring_a_company_to_an_event(client, outsider, company, programme):
    event = Event.objects.create(programme=programme, title="Nordic B2B")
    response = login(client, outsider).post(f"/companies/{company.pk}/events/{event.pk}/join/")
    assert response.status_code == 404


@pytest.mark.parametrize("section", [None, "matches", "markets"])
def test_the_hub_costs_the_same_queries_for_few_and_many_records(
    client, manager, company, programme, lead_org, coaching, django_assert_max_num_queries, section
):
    client = login(client, manager)
    url = f"/companies/{company.pk}/" + (f"?section={section}" if section else "")
    extra = HTMX if section else {}
    fill(company, programme, coaching, lead_org, 2, advisor=manager)
    with django_assert_max_num_queries(80) as few:
        assert client.get(url, **extra).status_code == 200
    fill(company, programme, coaching, lead_org, 8, advisor=manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, **extra)
    assert response.status_code == 200
    if section is None:
        assert "Person 7" in response.text  # the newer records are really on the page
