"""A small smart-city programme: three capabilities, three companies in three countries with
offers that complement each other, and a need that takes all three capabilities."""

import pytest

from metacluster.companies.models import Company, engage
from metacluster.conftest import PASSWORD
from metacluster.consortia.models import ConsortiumNeed
from metacluster.matchmaking.models import Capability, Offer


@pytest.fixture
def capabilities(programme):
    return {
        code: Capability.objects.create(programme=programme, code=code, name=code.title())
        for code in ("mobility", "energy", "water")
    }


@pytest.fixture
def third_company(programme, partner_org):
    company = Company.objects.create(
        name="Delta Fictional Oy", country="FI", registry_code="1234567-8", owner=partner_org
    )
    engage(company, programme, partner_org)
    return company


def offer(programme, company, *caps):
    made = Offer.objects.create(programme=programme, company=company, title=f"{company} offer")
    made.capabilities.set(caps)
    return made


@pytest.fixture
def offers(programme, capabilities, company, other_company, third_company):
    c = capabilities
    return [
        offer(programme, company, c["mobility"]),
        offer(programme, other_company, c["energy"]),
        offer(programme, third_company, c["energy"], c["water"]),
    ]


@pytest.fixture
def need(programme, capabilities, offers, manager):
    need = ConsortiumNeed.objects.create(
        programme=programme,
        title="Da Nang smart-city package",
        market="VN",
        min_countries=2,
        min_size=2,
        max_size=3,
        created_by=manager,
    )
    need.capabilities.set(capabilities.values())
    return need


@pytest.fixture
def log_in(client):
    def log_in(user):
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return log_in
