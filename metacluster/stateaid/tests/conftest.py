from datetime import date
from decimal import Decimal

import pytest

from metacluster.companies.models import Company, engage
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery
from metacluster.stateaid.models import AidDeclaration, Undertaking, UndertakingMember


@pytest.fixture
def sister_company(programme, lead_org):
    """Alpha's sister company: the same group, so one single undertaking with it."""
    sister = Company.objects.create(
        name="Alpha Sister Fictional AB", country="SE", registry_code="5560000002", owner=lead_org
    )
    engage(sister, programme, lead_org)
    return sister


@pytest.fixture
def group(company, sister_company):
    undertaking = Undertaking.objects.create(name="Alpha Group (fictional)")
    UndertakingMember.objects.create(undertaking=undertaking, company=company, link="parent")
    UndertakingMember.objects.create(undertaking=undertaking, company=sister_company, link="a")
    return undertaking


def declare(company, amount, on, scheme="de_minimis"):
    return AidDeclaration.objects.create(
        company=company,
        grantor="Vinnova (fictional grant)",
        granted_on=on,
        amount=Decimal(amount),
        scheme=scheme,
    )


def deliver(service, company, quantity, on=date(2021, 5, 4), *, by=None, override=""):
    delivery = Delivery(
        service=service,
        company=company,
        provider=service.provider,
        date=on,
        quantity=Decimal(quantity),
    )
    return record_delivery(delivery, by=by, aid_override=override)
