"""Reporting fixtures: half-year periods of the test programme (2020–2022) and a helper that
records a delivery on a given day."""

from datetime import date
from decimal import Decimal

import pytest

from metacluster.companies.models import Company
from metacluster.reporting.figures import generate_periods
from metacluster.services.models import Delivery


@pytest.fixture
def periods(programme):
    """Six half-years: 2020-01-01 – 2020-06-30, 2020-07-01 – 2020-12-31, ..."""
    return generate_periods(programme, 6)


@pytest.fixture
def deliver():
    def deliver(service, company, on: date, quantity="1"):
        return Delivery.objects.create(
            service=service,
            company=company,
            provider=service.provider,
            date=on,
            quantity=Decimal(quantity),
        )

    return deliver


@pytest.fixture
def make_company(lead_org):
    def make_company(name, country="SE", employees=None):
        return Company.objects.create(
            name=name, country=country, owner=lead_org, employees=employees
        )

    return make_company
