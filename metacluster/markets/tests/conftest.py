from datetime import date

import pytest

from metacluster.markets.models import FeasibilityStudy
from metacluster.services.choices import ServiceKind, Unit
from metacluster.services.models import Service


@pytest.fixture
def feasibility(programme, lead_org):
    return Service.objects.create(
        programme=programme,
        provider=lead_org,
        kind=ServiceKind.FEASIBILITY,
        name="Feasibility analysis",
        unit=Unit.REPORTS,
        value_per_unit=2800,
    )


@pytest.fixture
def study(programme, company, lead_org, manager):
    return FeasibilityStudy.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        advisor=manager,
        market="JP",
        offering="ict-services",
        ranking_snapshot={"score": 51.0, "rank": 30},
    )


@pytest.fixture
def other_study(programme, other_company, partner_org):
    return FeasibilityStudy.objects.create(
        programme=programme, company=other_company, partner=partner_org, market="US"
    )


@pytest.fixture
def outsider_study(outsider_programme, outsider_company, outsider_org):
    return FeasibilityStudy.objects.create(
        programme=outsider_programme,
        company=outsider_company,
        partner=outsider_org,
        market="CN",
        decision="go",
        decided_on=date(2021, 5, 1),
    )


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login
