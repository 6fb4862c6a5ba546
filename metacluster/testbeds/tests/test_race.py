"""Two people book the last free seat of a slot at the same moment: exactly one gets it.

Runs on PostgreSQL only (CI runs the suite there too): SQLite lets one writer in at a time,
so two transactions never truly overlap on it."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from metacluster.testbeds.models import Booking
from metacluster.testbeds.workflows import book

from .conftest import at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two real concurrent transactions"
    ),
]


def test_concurrent_bookings_of_the_last_seat_one_wins(
    now, testbed, advisor, manager, company, other_company
):
    book(testbed, company, at(2, 7), by=advisor)  # one of two seats taken: one left
    start = threading.Barrier(2)
    outcomes = []

    def attempt(user, who):
        try:
            start.wait(timeout=10)
            book(testbed, who, at(2, 7), by=user)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("full")
        finally:
            connections.close_all()  # this thread's own connection

    threads = [
        threading.Thread(target=attempt, args=(advisor, other_company)),
        threading.Thread(target=attempt, args=(manager, company)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "full"]
    assert Booking.objects.filter(starts_at=at(2, 7)).count() == 2  # the capacity, not three
