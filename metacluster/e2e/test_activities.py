"""A training in a real browser: an advisor sets it up, it fills and a waiting list forms,
attendance becomes deliveries and the programme's indicator moves."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metacluster.companies.models import Company, engage
from metacluster.e2e.browser import log_in, sideways_overflow
from metacluster.programmes.models import Indicator, Programme
from metacluster.services.models import Delivery

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_training_fills_and_attendance_moves_the_indicator(
    page, live_server, advisor, partner_org, programme, training
):
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(
        start_date=today - timedelta(days=365), end_date=today + timedelta(days=365)
    )
    Indicator.objects.create(
        programme=programme,
        code="SME-TRAINED",
        name="SMEs trained",
        target=10,
        definition={"kind": "service_units", "service_kinds": ["training"]},
    )
    names = ["Kappa Fictional OÜ", "Lambda Fictional OÜ", "Mu Fictional OÜ"]
    for name in names:
        engage(Company.objects.create(name=name, country="EE"), programme, partner_org)

    log_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/programmes/{programme.acronym}/activities/new/")
    page.select_option("#id_kind", "training")
    page.fill("#id_title", "Sales and marketing for export")
    page.select_option("#id_service", str(training.pk))
    page.fill("#id_units_per_participant", "2")
    # Yesterday morning: a date in the past in every time zone, so attendance can be recorded.
    yesterday = today - timedelta(days=1)
    page.fill("#id_starts_at", f"{yesterday:%Y-%m-%d}T10:00")
    page.fill("#id_ends_at", f"{yesterday:%Y-%m-%d}T12:00")
    page.fill("#id_place", "Tehnopol, Tallinn")
    page.fill("#id_capacity", "2")
    page.click("main button[type=submit]")
    page.wait_for_selector("#attendance")

    for name in names:
        page.select_option("#id_company", label=name)
        page.click("#register-company")
    expect(page.locator("#seats")).to_have_text("2")
    assert page.locator("#waiting").inner_text().startswith("Mu Fictional OÜ")

    page.check("li[data-company='Kappa Fictional OÜ'] input")
    page.check("li[data-company='Lambda Fictional OÜ'] input")
    page.click("#record-attendance")
    page.wait_for_selector("text=2 attendances recorded as deliveries")
    assert Delivery.objects.filter(service=training).count() == 2

    activity_url = page.url
    page.goto(f"{live_server.url}/programmes/{programme.acronym}/")
    card = page.locator("#indicator-SME-TRAINED")
    assert card.locator(".achieved").inner_text() == "2"

    # The activity page fits a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(activity_url)
    overflow = sideways_overflow(page)
    assert overflow <= 0
