"""Booking, cancelling and using testbed slots; no double booking; a use is one delivery."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from metacluster.services.models import Delivery
from metacluster.stateaid.models import AidRecord
from metacluster.testbeds.models import Booking
from metacluster.testbeds.workflows import book, cancel, mark_used, units_used

from .conftest import at

pytestmark = pytest.mark.django_db


def test_an_sme_books_a_free_slot_for_its_company(now, testbed, sme_user, company):
    booking = book(testbed, company, at(2, 7), by=sme_user, purpose="5G sensor trial")
    assert booking.seat == 1
    assert booking.ends_at == at(2, 11)
    assert booking.status == "booked"


def test_an_sme_cannot_book_for_another_company(now, testbed, sme_user, other_company):
    with pytest.raises(PermissionDenied):
        book(testbed, other_company, at(2, 7), by=sme_user)


def test_an_advisor_books_for_a_company_of_the_programme(now, testbed, advisor, company):
    assert book(testbed, company, at(2, 7), by=advisor).booked_by == advisor


def test_an_outsider_cannot_book(now, testbed, outsider, outsider_company):
    with pytest.raises(PermissionDenied):
        book(testbed, outsider_company, at(2, 7), by=outsider)


def test_a_slot_takes_bookings_up_to_the_capacity(now, testbed, advisor, company, other_company):
    book(testbed, company, at(2, 7), by=advisor)
    assert book(testbed, other_company, at(2, 7), by=advisor).seat == 2
    with pytest.raises(ValidationError, match="fully booked"):
        book(testbed, company, at(2, 7), by=advisor)
    assert Booking.objects.count() == 2


def test_a_cancelled_booking_frees_its_seat(now, testbed, advisor, company, other_company):
    first = book(testbed, company, at(2, 7), by=advisor)
    book(testbed, other_company, at(2, 7), by=advisor)
    cancel(first, by=advisor)
    assert book(testbed, company, at(2, 7), by=advisor).seat == 1


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (at(2, 8), "not one of the testbed's slots"),  # between slots
        (at(6, 7), "not one of the testbed's slots"),  # Saturday
        (at(1, 7), "already begun"),  # this morning
    ],
)
def test_only_future_slots_of_the_calendar_can_be_booked(
    now, testbed, advisor, company, starts_at, message
):
    with pytest.raises(ValidationError, match=message):
        book(testbed, company, starts_at, by=advisor)


def test_slots_after_the_programme_cannot_be_booked(now, testbed, advisor, company):
    with pytest.raises(ValidationError, match="within its period"):
        book(testbed, company, at(2, 7).replace(year=2023, month=1), by=advisor)


def test_a_begun_booking_cannot_be_cancelled(now, testbed, advisor, company):
    booking = book(testbed, company, at(2, 7), by=advisor)
    with time_machine.travel(at(2, 8), tick=False), pytest.raises(ValidationError):
        cancel(booking, by=advisor)


def test_another_company_cannot_cancel(now, testbed, advisor, company, sme_user, other_company):
    booking = book(testbed, other_company, at(2, 7), by=advisor)
    with pytest.raises(PermissionDenied):
        cancel(booking, by=sme_user)


def test_a_used_booking_becomes_one_delivery_of_the_testbed_service(now, testbed, advisor, company):
    booking = book(testbed, company, at(2, 7), by=advisor)
    with time_machine.travel(at(2, 12), tick=False):
        delivery = mark_used(booking, by=advisor)
        with pytest.raises(ValidationError, match="already recorded"):
            mark_used(booking, by=advisor)
    booking.refresh_from_db()
    assert booking.status == "used" and booking.delivery == delivery
    assert delivery.service == testbed.service and delivery.quantity == 4  # four hours
    assert str(delivery.date) == "2021-03-02"
    assert Delivery.objects.count() == 1
    assert AidRecord.objects.get().value == Decimal("600.00")  # 4 h × EUR 150


def test_only_the_facility_records_use(now, testbed, manager, sme_user, company, outsider):
    booking = book(testbed, company, at(2, 7), by=sme_user)
    with time_machine.travel(at(2, 12), tick=False):
        with pytest.raises(PermissionDenied):
            mark_used(booking, by=sme_user)
        with pytest.raises(PermissionDenied):
            mark_used(booking, by=outsider)
        mark_used(booking, by=manager)  # the programme's manager may


def test_use_before_the_slot_begins_is_refused(now, testbed, advisor, company):
    booking = book(testbed, company, at(2, 7), by=advisor)
    with pytest.raises(ValidationError, match="once it has begun"):
        mark_used(booking, by=advisor)


def test_a_use_past_the_aid_ceiling_leaves_the_booking_open(now, testbed, advisor, company):
    from datetime import date

    from metacluster.stateaid.models import AidDeclaration

    booking = book(testbed, company, at(2, 7), by=advisor)
    AidDeclaration.objects.create(
        company=company, grantor="X", granted_on=date(2020, 1, 1), amount=199_900
    )
    with time_machine.travel(at(2, 12), tick=False), pytest.raises(ValidationError):
        mark_used(booking, by=advisor)
    booking.refresh_from_db()
    assert booking.status == "booked" and not Delivery.objects.exists()


@pytest.mark.parametrize(("unit", "expected"), [("hours", 4), ("days", "0.5"), ("reports", 1)])
def test_units_used_follow_the_service_unit(now, testbed, advisor, company, unit, expected):
    testbed.service.unit = unit
    booking = book(testbed, company, at(2, 7), by=advisor)
    booking.testbed.service.unit = unit
    assert units_used(booking) == Decimal(str(expected))


def test_the_database_refuses_two_live_bookings_of_one_seat(now, testbed, company):
    from django.db import IntegrityError, transaction

    Booking.objects.create(
        testbed=testbed, company=company, starts_at=at(2, 7), ends_at=at(2, 11), seat=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            testbed=testbed,
            company=company,
            starts_at=at(2, 7),
            ends_at=at(2, 7) + timedelta(hours=4),
            seat=1,
        )
