"""Deal pages: everyone in the programme reads a deal; advisors and managers change it."""

from datetime import date

import pytest

from metacluster.conftest import PASSWORD
from metacluster.deals.models import Deal


@pytest.fixture
def deal(programme, company, lead_org):
    return Deal.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        market="CN",
        counterpart="Fictional Smart City Bureau",
        stage="pilot",
        opened_on=date(2021, 2, 1),
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_viewer_reads_a_deal_but_cannot_edit_it(client, viewer, deal):
    client = login(client, viewer)
    assert "Fictional Smart City Bureau" in client.get(f"/deals/{deal.pk}/").text
    assert client.get(f"/deals/{deal.pk}/edit/").status_code == 403


def test_an_outsider_cannot_read_a_deal(client, outsider, deal):
    assert login(client, outsider).get(f"/deals/{deal.pk}/").status_code == 404


def test_winning_a_first_sale_needs_the_agreement_details(client, advisor, deal, partner_org):
    data = {
        "programme": deal.programme_id,
        "company": deal.company_id,
        "partner": partner_org.pk,
        "market": "CN",
        "counterpart": deal.counterpart,
        "stage": "won",
        "currency": "EUR",
        "opened_on": "2021-02-01",
        "first_sale": "on",
        "version": deal.version,
    }
    response = login(client, advisor).post(f"/deals/{deal.pk}/edit/", data)
    assert response.status_code == 200
    assert {"agreement_type", "closed_on"} <= set(response.context["form"].errors)
    deal.refresh_from_db()
    assert deal.stage == "pilot"

    response = client.post(
        f"/deals/{deal.pk}/edit/",
        data | {"agreement_type": "sale", "closed_on": "2021-09-30", "value": "120000"},
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.stage, deal.first_sale, deal.value) == ("won", True, 120000)


def test_the_pipeline_counts_deals_per_stage(client, viewer, deal):
    response = login(client, viewer).get("/deals/?programme=tep")
    counts = {value: count for value, _label, count in response.context["stages"]}
    assert counts["pilot"] == 1 and counts["won"] == 0
