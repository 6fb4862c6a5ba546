"""A company with a contact, a note, an SME user and (for the legal holds) a delivery whose
state-aid record is recent."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from metacluster.companies.models import Contact, Note
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery


@pytest.fixture
def contact(company):
    return Contact.objects.create(
        company=company,
        name="Anna Andersson",
        email="anna@alpha.example",
        phone="+46 70 123 45 67",
        job_title="Export manager",
        lawful_basis="consent",
        consent_given_at=timezone.now(),
    )


@pytest.fixture
def note(company, lead_org, manager):
    return Note.objects.create(
        company=company, organisation=lead_org, author=manager, text="Anna prefers calls."
    )


@pytest.fixture
def aided(company, coaching, lead_org):
    """A coaching delivery in 2021: its aid record must be kept until 2031."""
    return record_delivery(
        Delivery(
            service=coaching,
            company=company,
            provider=lead_org,
            date=date(2021, 5, 4),
            quantity=Decimal(2),
        )
    )
