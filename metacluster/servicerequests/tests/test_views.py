"""The request pages: inbox and sent lists, the request with its answers, asking, figures."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from metacluster.accounts.choices import Role
from metacluster.companies.models import Contact, Note
from metacluster.conftest import make_user
from metacluster.markets.models import FeasibilityStudy
from metacluster.servicerequests import flow
from metacluster.servicerequests.choices import RequestStatus
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_advisor(lead_org):
    return make_user("lead_advisor", organisation=lead_org, role=Role.ADVISOR)


@pytest.fixture
def asked(advisor, coaching, company, lead_advisor):
    company.town = "Hudiksvall"
    company.turnover = 1_234_567
    company.save()
    contact = Contact.objects.create(
        company=company, name="Anna Shared", email="anna@alpha.example", lawful_basis="contract"
    )
    Contact.objects.create(
        company=company, name="Bo Private", email="bo@alpha.example", lawful_basis="contract"
    )
    Note.objects.create(
        company=company, organisation=advisor.organisation, text="Secret pricing remark"
    )
    request = flow.request_service(
        service=coaching,
        company=company,
        by=advisor,
        due_date=date(2021, 6, 1),
        shared_fields=["town"],
        shared_contacts=[contact],
    )
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=datetime(2021, 4, 1, tzinfo=UTC))
    return ServiceRequest.objects.get(pk=request.pk)


def table(client, url: str) -> str:
    """The list's table alone, as htmx fetches it when a filter changes."""
    headers = {"HX-Request": "true", "HX-Target": "request-table"}
    return client.get(url, headers=headers).content.decode()


def test_the_partner_asked_finds_the_request_in_its_inbox(client, asked, lead_advisor, advisor):
    client.force_login(lead_advisor)
    assert "Export coaching" in client.get("/requests/").content.decode()
    rows = table(client, "/requests/")
    assert "Export coaching" in rows and "overdue" in rows
    client.force_login(advisor)
    assert "Export coaching" not in table(client, "/requests/")
    assert "Export coaching" in table(client, "/requests/sent/")


def test_the_inbox_filters_by_status_and_overdue(client, asked, lead_advisor):
    client.force_login(lead_advisor)
    assert "Export coaching" in table(client, "/requests/?status=requested")
    assert "Export coaching" not in table(client, "/requests/?status=accepted")
    assert "Export coaching" in table(client, "/requests/?overdue=on")


def test_the_request_page_shows_only_what_is_shared(client, asked, lead_advisor):
    client.force_login(lead_advisor)
    page = client.get(f"/requests/{asked.pk}/").content.decode()
    assert "Hudiksvall" in page and "Anna Shared" in page
    assert "1234567" not in page and "1 234 567" not in page
    assert "Bo Private" not in page
    assert "Secret pricing remark" not in page
    # The whole company page is linked only for the side that asked.
    assert f"/companies/{asked.company_id}/" not in page


def test_other_partners_and_outsiders_do_not_find_the_request(
    client, asked, outsider, sme_user, other_company, coaching, advisor
):
    client.force_login(outsider)
    assert client.get(f"/requests/{asked.pk}/").status_code == 404
    assert client.post(f"/requests/{asked.pk}/move/", {"to": "accepted"}).status_code == 404
    # The SME sees its own company's request, but not another company's.
    theirs = flow.request_service(service=coaching, company=other_company, by=advisor)
    client.force_login(sme_user)
    assert client.get(f"/requests/{asked.pk}/").status_code == 200
    assert client.get(f"/requests/{theirs.pk}/").status_code == 404


def test_accept_plan_and_deliver_through_the_page(client, asked, lead_advisor):
    client.force_login(lead_advisor)
    url = f"/requests/{asked.pk}/move/"
    client.post(url, {"to": "accepted", "version": asked.version, "advisor": lead_advisor.pk})
    asked.refresh_from_db()
    client.post(url, {"to": "planned", "version": asked.version, "planned_for": "2021-05-03"})
    asked.refresh_from_db()
    form = {"to": "delivered", "version": asked.version, "date": "2021-05-03", "quantity": "3"}
    client.post(url, form)
    # The same form sent again (a double click) records nothing more.
    response = client.post(url, form, follow=True)
    assert "already done" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DELIVERED
    assert Delivery.objects.get().quantity == 3


def test_a_decline_without_reason_is_refused_with_a_message(client, asked, lead_advisor):
    client.force_login(lead_advisor)
    response = client.post(
        f"/requests/{asked.pk}/move/",
        {"to": "declined", "version": asked.version, "reason": ""},
        follow=True,
    )
    assert "Say why" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED


def test_the_requester_cannot_answer_its_own_request(client, asked, advisor):
    client.force_login(advisor)
    response = client.post(
        f"/requests/{asked.pk}/move/", {"to": "accepted", "version": asked.version}
    )
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED


def test_a_comment_reaches_the_other_side(
    client, asked, advisor, lead_advisor, manager, django_capture_on_commit_callbacks
):
    client.force_login(lead_advisor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/requests/{asked.pk}/comment/",
            {"text": "Which market?"},
            headers={"HX-Request": "true", "HX-Target": "comments"},
        )
    assert "Which market?" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[advisor.email]]


def test_an_advisor_asks_for_a_service_from_the_company_page(client, advisor, company, coaching):
    client.force_login(advisor)
    form = client.get(f"/requests/new/?company={company.pk}").content.decode()
    assert "Export coaching" in form and "Share from the company profile" in form
    response = client.post(
        f"/requests/new/?company={company.pk}",
        {"service": coaching.pk, "message": "Japan", "shared_fields": ["town", "website"]},
    )
    made = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == f"/requests/{made.pk}/"
    assert (made.referring_organisation, made.shared_fields) == (
        advisor.organisation,
        ["town", "website"],
    )


def test_an_sme_asks_for_its_own_company_only(client, sme_user, company, other_company, coaching):
    client.force_login(sme_user)
    # Whatever company it names, an SME asks for its own.
    client.post(f"/requests/new/?company={other_company.pk}", {"service": coaching.pk})
    made = ServiceRequest.objects.get()
    assert made.company == company and made.referring_organisation is None
    assert "Export coaching" in table(client, "/requests/sent/")


def test_the_figures_per_partner(client, asked, lead_advisor, manager, lead_org, partner_org):
    flow.decline(asked, by=lead_advisor, version=asked.version, reason="Full")
    client.force_login(manager)
    page = client.get("/requests/dashboard/?programme=tep").content.decode()
    assert "Fibre Valley Test" in page and "Tallinn Test Park" in page
    assert "Most declined services" in page and "Export coaching" in page


def test_a_go_feasibility_study_leads_to_a_follow_up_request(
    client, manager, company, training, programme, lead_org
):
    study = FeasibilityStudy.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        market="JP",
        decision="go",
        decided_on=date(2021, 3, 1),
    )
    client.force_login(manager)
    assert "request-follow-up" in client.get(f"/markets/studies/{study.pk}/").content.decode()
    url = f"/requests/new/?company={company.pk}&study={study.pk}"
    assert f"feasibility study no. {study.pk}" in client.get(url).content.decode()
    client.post(url, {"service": training.pk, "message": "Go for Japan"})
    made = ServiceRequest.objects.get()
    assert (made.origin, made.service) == ("feasibility", training)


def test_the_side_that_asked_changes_what_is_shared(client, asked, advisor, lead_advisor):
    client.force_login(lead_advisor)
    assert "1234567" not in client.get(f"/requests/{asked.pk}/").content.decode()
    # The partner asked cannot widen what it sees.
    form = {"version": asked.version, "shared_fields": ["town", "turnover"]}
    assert client.post(f"/requests/{asked.pk}/sharing/", form).status_code == 403
    client.force_login(advisor)
    client.post(f"/requests/{asked.pk}/sharing/", form)
    asked.refresh_from_db()
    assert asked.shared_fields == ["town", "turnover"]
    assert list(asked.shared_contacts.all()) == []  # none ticked: none shared any more
    # A change made on a page loaded before is refused.
    stale = {"version": asked.version - 1, "shared_fields": []}
    response = client.post(f"/requests/{asked.pk}/sharing/", stale, follow=True)
    assert "Someone else changed" in response.content.decode()
    asked.refresh_from_db()
    assert asked.shared_fields == ["town", "turnover"]
    client.force_login(lead_advisor)
    assert "1234567" in client.get(f"/requests/{asked.pk}/").content.decode()


def _planned(client, request, by, planned_for: str):
    client.force_login(by)
    url = f"/requests/{request.pk}/move/"
    client.post(url, {"to": "accepted", "version": request.version, "advisor": by.pk})
    request.refresh_from_db()
    client.post(url, {"to": "planned", "version": request.version, "planned_for": planned_for})
    request.refresh_from_db()
    assert request.status == RequestStatus.PLANNED
    return request


def _delivery_date_shown(client, request) -> str:
    page = client.get(f"/requests/{request.pk}/").content.decode()
    return page.split('id="id_date"')[1].split('value="')[1].split('"')[0]


def test_the_delivery_date_defaults_to_today_in_the_user_s_time_zone(
    client, advisor, coaching, company, lead_advisor
):
    # 23:30 UTC on 10 May 2021 is already 11 May in Tokyo.
    lead_advisor.time_zone = "Asia/Tokyo"
    lead_advisor.save()
    with time_machine.travel(datetime(2021, 5, 10, 23, 30, tzinfo=UTC), tick=False):
        made = flow.request_service(service=coaching, company=company, by=advisor)
        _planned(client, made, lead_advisor, "2021-06-01")
        assert _delivery_date_shown(client, made) == "2021-05-11"


def test_a_request_made_after_the_programme_never_defaults_to_an_earlier_delivery(
    client, advisor, coaching, company, lead_advisor
):
    # The programme ended on 31 December 2022; the request is made today, in 2023.
    with time_machine.travel(datetime(2023, 3, 1, 10, tzinfo=UTC), tick=False):
        made = flow.request_service(service=coaching, company=company, by=advisor)
        _planned(client, made, lead_advisor, "2023-03-10")
        assert _delivery_date_shown(client, made) == "2023-03-01"


def test_a_delivery_dated_before_the_request_is_refused_with_a_clear_error(
    client, asked, lead_advisor
):
    _planned(client, asked, lead_advisor, "2021-05-03")
    with pytest.raises(ValidationError, match="before the request") as refused:
        flow.deliver(
            asked, by=lead_advisor, version=asked.version, date=date(2021, 3, 15), quantity=1
        )
    assert "date" in refused.value.message_dict
    assert not Delivery.objects.exists()


def test_typed_notes_survive_a_refused_delivery_and_the_error_shows_once(
    client, asked, lead_advisor
):
    _planned(client, asked, lead_advisor, "2021-05-03")
    response = client.post(
        f"/requests/{asked.pk}/move/",
        {
            "to": "delivered",
            "version": asked.version,
            "date": "2021-03-15",  # before the request of 1 April 2021
            "quantity": "2.5",
            "notes": "Calibrated the LoRa gateway with their team",
        },
        follow=True,
    )
    page = response.content.decode()
    assert ">Calibrated the LoRa gateway with their team</textarea>" in page
    assert 'value="2.5"' in page and 'value="2021-03-15"' in page
    assert page.count("before the request") == 1
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PLANNED and not Delivery.objects.exists()


def test_each_refusal_of_a_delivery_shows_once_by_its_input(client, asked, lead_advisor):
    _planned(client, asked, lead_advisor, "2021-05-03")
    response = client.post(
        f"/requests/{asked.pk}/move/",
        {"to": "delivered", "version": asked.version, "date": "", "quantity": ""},
    )
    page = response.content.decode()
    form = page.split('id="action-delivered"')[1].split("</form>")[0]
    after_date = form.split('id="id_date"')[1].split('id="id_quantity"')[0]
    after_quantity = form.split('id="id_quantity"')[1].split('id="id_notes"')[0]
    assert after_date.count("Needed to record the delivery.") == 1
    assert after_quantity.count("Needed to record the delivery.") == 1
    assert page.count("Needed to record the delivery.") == 2  # not again above the page
