"""A service request across partners in a real browser: an advisor of one partner asks, an
advisor of the partner offering the service accepts, plans and delivers it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metacluster.accounts.choices import Role
from metacluster.companies.models import Note
from metacluster.conftest import make_user
from metacluster.e2e.browser import log_in
from metacluster.programmes.models import Programme
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.models import Delivery

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_one_partner_asks_and_another_accepts_plans_and_delivers(
    page, live_server, advisor, lead_org, programme, company, coaching
):
    # The programme runs until next year, so that today is a day a delivery can be made on.
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(end_date=today + timedelta(days=365))
    company.town = "Hudiksvall"
    company.turnover = 7_654_321
    company.save()
    Note.objects.create(company=company, organisation=advisor.organisation, text="Pays late")
    coach = make_user("coach", organisation=lead_org, role=Role.ADVISOR, first_name="Cora")

    # The advisor of the Tallinn partner asks the lead partner for coaching, from the company.
    log_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/companies/{company.pk}/")
    page.click("#request-service")
    page.select_option("#id_service", str(coaching.pk))
    page.fill("#id_message", "Needs coaching before a fair in Osaka")
    page.uncheck("input[name=shared_fields][value=employees]")
    page.click("text=Send the request")
    page.wait_for_url(re.compile(r".*/requests/\d+/$"))
    assert page.locator("#request-status").inner_text() == "requested"
    made = ServiceRequest.objects.get()

    # The coach of the lead partner finds it in the inbox and opens it.
    log_in(page, live_server, coach)
    page.click("nav >> text=Requests")
    page.click(f"#request-table >> text={coaching.name}")
    page.wait_for_url(re.compile(rf".*/requests/{made.pk}/$"))
    shared = page.locator("#shared-profile").inner_text()
    assert "Hudiksvall" in shared and company.name in shared
    assert "654" not in shared  # the turnover is not shared
    assert "Pays late" not in page.content()

    page.click("#action-accepted button")
    page.wait_for_selector("#request-status:has-text('accepted')")
    assert "Cora" in page.locator("#request-advisor").inner_text()

    page.fill("#id_planned_for", today.isoformat())
    page.click("#action-planned button")
    page.wait_for_selector("#request-status:has-text('planned')")

    page.fill("#id_quantity", "3")
    page.click("#action-delivered button")
    page.wait_for_selector("#request-status:has-text('delivered')")
    assert "3" in page.locator("#request-delivery").inner_text()
    delivery = Delivery.objects.get()
    assert (delivery.provider, delivery.advisor, delivery.company) == (lead_org, coach, company)

    # The advisor who asked sees the delivered request with its whole history.
    log_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/requests/sent/")
    page.click(f"#request-table >> text={coaching.name}")
    expect(page.locator("#request-status")).to_have_text("delivered")
    assert page.locator("#request-history tr").count() == 4
