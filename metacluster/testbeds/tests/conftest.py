from datetime import UTC, datetime, time

import pytest
import time_machine

from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service
from metacluster.testbeds.models import Testbed

# Monday 1 March 2021, 09:00 UTC: inside the test programme's period (2020–2022).
NOW = datetime(2021, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def testbed_service(programme, partner_org):
    return Service.objects.create(
        programme=programme,
        provider=partner_org,
        kind=ServiceKind.TESTBED,
        name="Smart-city pilot area access",
        unit="hours",
        value_per_unit=150,
    )


@pytest.fixture
def testbed(testbed_service):
    """Tallinn, weekdays 09:00–17:00 local time in two four-hour slots, two sites per slot."""
    return Testbed.objects.create(
        service=testbed_service,
        name="Ülemiste pilot area",
        kind="pilot_area",
        town="Tallinn",
        country="EE",
        time_zone="Europe/Tallinn",
        capacity=2,
        weekdays="12345",
        opens_at=time(9),
        closes_at=time(17),
        slot_minutes=240,
    )


def at(day: int, hour_utc: int, month: int = 3) -> datetime:
    return datetime(2021, month, day, hour_utc, 0, tzinfo=UTC)
