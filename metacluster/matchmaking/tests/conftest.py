"""Matchmaking fixtures: a capability taxonomy, offers and opportunities in the test programme."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metacluster.conftest import make_user
from metacluster.matchmaking.models import Capability, Offer, Opportunity


@pytest.fixture(autouse=True)
def lexical_ranking(monkeypatch):
    # The sentence-embedding model takes seconds to load; these tests are about the platform,
    # and the core's tests cover both modes.
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")


@pytest.fixture
def capabilities(programme):
    return {
        code: Capability.objects.create(programme=programme, code=code, name=name)
        for code, name in [
            ("smart-mobility", "Smart mobility"),
            ("iot", "IoT and sensors"),
            ("water", "Water"),
            ("fintech", "Fintech"),
        ]
    }


def offer(company, programme, title, description, codes, capabilities):
    item = Offer.objects.create(
        programme=programme, company=company, title=title, description=description
    )
    item.capabilities.set([capabilities[c] for c in codes])
    return item


@pytest.fixture
def offers(company, other_company, programme, capabilities):
    return [
        offer(
            company,
            programme,
            "Parking sensors",
            "Wireless parking sensors for cities.",
            ["smart-mobility", "iot"],
            capabilities,
        ),
        offer(
            other_company,
            programme,
            "Parking payments",
            "Pay for parking with a phone.",
            ["fintech"],
            capabilities,
        ),
    ]


def make_opportunity(programme, partner, capabilities, codes=("smart-mobility", "iot"), **fields):
    values = dict(
        programme=programme,
        partner=partner,
        title="Smart parking for Da Nang",
        description="The city seeks parking sensors and a guidance app.",
        country="VN",
        buyer="Da Nang transport department",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    values.update(fields)
    opportunity = Opportunity.objects.create(**values)
    opportunity.capabilities.set([capabilities[c] for c in codes])
    return opportunity


@pytest.fixture
def opportunity(programme, lead_org, capabilities, offers):
    return make_opportunity(programme, lead_org, capabilities)


@pytest.fixture
def other_sme(other_company):
    return make_user("other-sme", company=other_company, role="sme")
