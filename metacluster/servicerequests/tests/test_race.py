"""Two answers to one request at the same moment: exactly one is taken, the other refused.

Runs on PostgreSQL only: SQLite lets one writer in at a time, so two transactions never truly
overlap on it (the sequential case is in test_requests.py)."""

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection, connections

from metacluster.accounts.choices import Role
from metacluster.conftest import make_user
from metacluster.servicerequests import flow
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.models import Delivery
from metacluster.versioning import StaleEdit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two real concurrent transactions"
    ),
]


def test_two_deliveries_submitted_at_once_record_one(advisor, coaching, company, lead_org):
    coach = make_user("coach", organisation=lead_org, role=Role.ADVISOR)
    made = flow.request_service(service=coaching, company=company, by=advisor)
    ServiceRequest.objects.filter(pk=made.pk).update(created_at=datetime(2021, 4, 1, tzinfo=UTC))
    flow.accept(made, by=coach, version=made.version)
    flow.plan(made, by=coach, version=made.version, planned_for=date(2021, 5, 3))
    loaded = made.version
    start = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            start.wait(timeout=10)
            request = ServiceRequest.objects.get(pk=made.pk)
            flow.deliver(
                request, by=coach, version=loaded, date=date(2021, 5, 3), quantity=Decimal(2)
            )
            outcomes.append("delivered")
        except StaleEdit:
            outcomes.append("refused")
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["delivered", "refused"]
    assert Delivery.objects.count() == 1
    assert ServiceRequest.objects.get(pk=made.pk).delivery == Delivery.objects.get()
