from datetime import date

import pytest

from metacluster.accounts.choices import Role
from metacluster.conftest import make_user
from metacluster.guides.choices import BarrierKind, ReportStatus
from metacluster.guides.models import Barrier, ExperienceReport


@pytest.fixture
def make_barrier(programme):
    def make(**fields):
        values = {
            "programme": programme,
            "market": "CN",
            "kind": BarrierKind.LEGAL,
            "title": "Personal data stays in China",
            "description": "The PIPL requires local storage of personal information.",
            "how_to_overcome": "Host with a mainland cloud provider.",
            "source_title": "PIPL (2021), art. 40",
            "last_confirmed_on": date(2024, 1, 10),
        } | fields
        return Barrier.objects.create(**values)

    return make


@pytest.fixture
def barrier(make_barrier):
    return make_barrier()


@pytest.fixture
def other_sme_user(other_company):
    """An SME user of another company in the same programme."""
    return make_user("sme.other", company=other_company, role=Role.SME)


@pytest.fixture
def pending_report(programme, company, sme_user):
    return ExperienceReport.objects.create(
        programme=programme,
        market="CN",
        company=company,
        author=sme_user,
        title="Buyer asked for local hosting",
        text="The buyer would only sign if our servers are in China.",
        suggested_kind=BarrierKind.LEGAL,
        occurred_on=date(2021, 6, 1),
        status=ReportStatus.PENDING,
    )
