"""The audit trail: every create, update and delete of the records people argue about later
leaves who, when and what changed (django-auditlog), visible to managers per record and
exportable as CSV."""

import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import Client

from metacluster.companies.models import Contact, Engagement
from metacluster.deals.models import Deal
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery
from metacluster.stateaid.models import AidRecord
from metacluster.testbeds.models import Booking, Testbed
from metacluster.testing import token_client

pytestmark = pytest.mark.django_db


def entries(record):
    return LogEntry.objects.get_for_object(record).order_by("timestamp", "pk")


def test_a_company_edit_records_who_when_and_what(manager, company):
    with set_actor(manager):
        company.name = "Alpha Renamed AB"
        company.save()
    last = entries(company).last()
    assert last.actor == manager and last.action == LogEntry.Action.UPDATE
    assert last.changes_dict["name"] == ["Alpha Fictional AB", "Alpha Renamed AB"]
    assert last.timestamp is not None


def test_every_record_kind_leaves_an_entry(
    manager, programme, company, coaching, lead_org, sme_user
):
    with set_actor(manager):
        programme.total_budget = 1_100_000
        programme.save()
        company.employees = 14
        company.save()
        contact = Contact.objects.create(
            company=company, name="Anna Andersson", lawful_basis="legitimate_interest"
        )
        engagement = Engagement.objects.get(company=company)
        engagement.stage = "contacted"
        engagement.save()
        deal = Deal.objects.create(
            programme=programme, company=company, partner=lead_org, market="JP",
            counterpart="Fictional KK", opened_on=date(2021, 4, 1),
        )  # fmt: skip
        delivery = record_delivery(
            Delivery(
                service=coaching,
                company=company,
                provider=lead_org,
                date=date(2021, 5, 4),
                quantity=Decimal(1),
            )  # fmt: skip
        )
        aid = AidRecord.objects.get(delivery=delivery)
        request = ServiceRequest.objects.create(service=coaching, company=company)
        testbed = Testbed.objects.create(
            service=coaching, name="Pilot area", kind="pilot_area", town="Kista", country="SE",
            time_zone="Europe/Stockholm", capacity=1, weekdays="12345", opens_at=time(9),
            closes_at=time(17), slot_minutes=240,
        )  # fmt: skip
        booking = Booking.objects.create(
            testbed=testbed, company=company, seat=1,
            starts_at=datetime(2021, 3, 2, 8, tzinfo=UTC),
            ends_at=datetime(2021, 3, 2, 12, tzinfo=UTC),
        )  # fmt: skip
        sme_user.first_name = "Sara"
        sme_user.save()
    for record in (programme, company, contact, engagement, deal, delivery, aid, request,
                   booking, sme_user):  # fmt: skip
        assert entries(record).filter(actor=manager).exists(), type(record).__name__


def test_a_users_password_hash_is_never_logged(manager, sme_user):
    with set_actor(manager):
        sme_user.set_password("another-secret-99")
        sme_user.save()
    for entry in entries(sme_user):
        assert "password" not in entry.changes_dict


def test_a_deleted_record_keeps_its_history(manager, programme, company, lead_org):
    deal = Deal.objects.create(
        programme=programme, company=company, partner=lead_org, market="JP",
        counterpart="Fictional KK", opened_on=date(2021, 4, 1),
    )  # fmt: skip
    pk = deal.pk
    with set_actor(manager):
        deal.delete()
    assert LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).exists()


def test_an_api_change_is_attributed_to_the_tokens_owner(manager, company):
    client = token_client(manager)
    response = client.patch(
        f"/api/v1/companies/{company.pk}",
        {"name": "Alpha Via API AB", "version": company.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert entries(company).last().actor == manager


def test_a_page_change_is_attributed_to_the_logged_in_user(manager, programme, company, lead_org):
    client = Client()
    client.force_login(manager)
    deal = Deal.objects.create(
        programme=programme, company=company, partner=lead_org, market="JP",
        counterpart="Fictional KK", opened_on=date(2021, 4, 1),
    )  # fmt: skip
    data = {
        "programme": programme.pk, "company": company.pk, "partner": lead_org.pk,
        "market": "CN", "counterpart": "Fictional KK", "stage": "lead", "currency": "EUR",
        "opened_on": "2021-04-01", "version": deal.version,
    }  # fmt: skip
    assert client.post(f"/deals/{deal.pk}/edit/", data).status_code == 302
    last = entries(deal).last()
    assert last.actor == manager and last.changes_dict["market"] == ["JP", "CN"]


# --- The history page -------------------------------------------------------------------------


def test_a_manager_reads_a_companys_history_and_exports_it(manager, company):
    with set_actor(manager):
        company.name = '=HYPERLINK("http://evil.example/")'
        company.save()
    client = Client()
    client.force_login(manager)
    page = client.get(f"/history/company/{company.pk}/")
    assert page.status_code == 200
    assert "Alpha Fictional AB" in page.content.decode() and "manager" in page.content.decode()
    export = client.get(f"/history/company/{company.pk}/?format=csv")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert rows[-1]["field"] == "name" and rows[-1]["new"].startswith("'=HYPERLINK")


def test_only_managers_read_history(advisor, viewer, sme_user, company):
    for user in (advisor, viewer, sme_user):
        client = Client()
        client.force_login(user)
        assert client.get(f"/history/company/{company.pk}/").status_code in (403, 404)


def test_an_outside_manager_gets_not_found(outsider, company):
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/history/company/{company.pk}/").status_code == 404
    assert client.get("/history/nonsense/1/").status_code == 404


def test_the_company_and_deal_pages_link_their_history_for_managers(
    manager, advisor, programme, company, lead_org
):
    deal = Deal.objects.create(
        programme=programme, company=company, partner=lead_org, market="JP",
        counterpart="Fictional KK", opened_on=date(2021, 4, 1),
    )  # fmt: skip
    client = Client()
    client.force_login(manager)
    assert f"/history/company/{company.pk}/" in client.get(f"/companies/{company.pk}/").text
    assert f"/history/deal/{deal.pk}/" in client.get(f"/deals/{deal.pk}/").text
    client.force_login(advisor)
    assert "/history/" not in client.get(f"/companies/{company.pk}/").text


# --- The history of a deleted record ----------------------------------------------------------


@pytest.fixture
def deleted_deal(manager, programme, company, lead_org):
    """A deal created, changed and deleted: only its log entries remain."""
    with set_actor(manager):
        deal = Deal.objects.create(
            programme=programme, company=company, partner=lead_org, market="JP",
            counterpart="Vanished KK", opened_on=date(2021, 4, 1),
        )  # fmt: skip
        deal.market = "CN"
        deal.save()
        pk = deal.pk
        deal.delete()
    return pk


def test_a_manager_reads_the_history_of_a_deleted_record(manager, deleted_deal):
    client = Client()
    client.force_login(manager)
    page = client.get(f"/history/deal/{deleted_deal}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vanished KK" in text and "CN" in text
    assert [line[0].action for line in page.context["lines"]][0] == LogEntry.Action.DELETE
    export = client.get(f"/history/deal/{deleted_deal}/?format=csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert rows[0]["action"] == "create" and rows[-1]["action"] == "delete"


def test_the_history_of_a_deleted_record_is_for_its_programmes_managers_only(
    advisor, viewer, outsider, deleted_deal
):
    for user, status in ((advisor, 403), (viewer, 403), (outsider, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(f"/history/deal/{deleted_deal}/").status_code == status, user


def test_a_record_that_never_existed_has_no_history(manager):
    client = Client()
    client.force_login(manager)
    assert client.get("/history/deal/987654/").status_code == 404
