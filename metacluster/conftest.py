"""Fixed characters for every test: a programme run by two partner organisations, and people
inside and outside it. Permission tests always check that the outsider is refused."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from metacluster.accounts.choices import OrganisationKind, Role
from metacluster.accounts.models import Organisation, User
from metacluster.companies.models import Company, engage
from metacluster.programmes.choices import PartnerRole
from metacluster.programmes.models import Indicator, Partnership, Programme
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service

PASSWORD = "correct-horse-battery-staple"

# Property tests check what holds, not how fast: on a busy 2-core CI machine hypothesis's
# per-example deadline (200 ms) fails examples that are merely slow. Reproducible runs: a fixed
# seed and no example database between runs.
hypothesis_settings.register_profile("metacluster", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("metacluster")


def pytest_configure(config):
    """Real hashing costs a third of a second per user; tests need only that it round-trips."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_in_utc():
    """Each test starts in English and UTC. A request leaves its user's language and time zone
    active in the thread, as the next request would replace them; the next test must not
    depend on which test ran before it on the same process."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()


@pytest.fixture
def lead_org(db):
    return Organisation.objects.create(
        name="Fibre Valley Test", kind=OrganisationKind.CLUSTER, country="SE"
    )


@pytest.fixture
def partner_org(db):
    return Organisation.objects.create(
        name="Tallinn Test Park", kind=OrganisationKind.SCIENCE_PARK, country="EE"
    )


@pytest.fixture
def outsider_org(db):
    return Organisation.objects.create(
        name="Elsewhere Cluster", kind=OrganisationKind.CLUSTER, country="LV"
    )


@pytest.fixture
def programme(lead_org, partner_org):
    programme = Programme.objects.create(
        name="Test Export Programme",
        acronym="tep",
        funding_programme="Interreg Central Baltic",
        start_date=date(2020, 1, 1),
        end_date=date(2022, 12, 31),
        total_budget=1_000_000,
    )
    Partnership.objects.create(
        programme=programme,
        organisation=lead_org,
        role=PartnerRole.LEAD,
        budget=600_000,
        co_financing_rate=75,
    )
    Partnership.objects.create(
        programme=programme,
        organisation=partner_org,
        role=PartnerRole.PARTNER,
        budget=400_000,
        co_financing_rate=85,
    )
    return programme


@pytest.fixture
def outsider_programme(outsider_org):
    programme = Programme.objects.create(
        name="Other Programme",
        acronym="other",
        funding_programme="Interreg Baltic Sea Region",
        start_date=date(2020, 1, 1),
        end_date=date(2022, 12, 31),
        total_budget=500_000,
    )
    Partnership.objects.create(
        programme=programme, organisation=outsider_org, role=PartnerRole.LEAD
    )
    return programme


def make_user(username, **fields):
    user = User(username=username, email=f"{username}@example.org", **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def manager(lead_org):
    return make_user("manager", organisation=lead_org, role=Role.MANAGER)


@pytest.fixture
def advisor(partner_org):
    return make_user("advisor", organisation=partner_org, role=Role.ADVISOR)


@pytest.fixture
def viewer(lead_org):
    return make_user("viewer", organisation=lead_org, role=Role.VIEWER)


@pytest.fixture
def outsider(outsider_org):
    return make_user("outsider", organisation=outsider_org, role=Role.MANAGER)


@pytest.fixture
def company(programme, lead_org):
    company = Company.objects.create(
        name="Alpha Fictional AB", country="SE", registry_code="5560000001", owner=lead_org
    )
    engage(company, programme, lead_org)
    return company


@pytest.fixture
def other_company(programme, partner_org):
    company = Company.objects.create(
        name="Beta Fictional OÜ", country="EE", registry_code="10000001", owner=partner_org
    )
    engage(company, programme, partner_org)
    return company


@pytest.fixture
def outsider_company(outsider_programme, outsider_org):
    company = Company.objects.create(name="Gamma Fictional SIA", country="LV", owner=outsider_org)
    engage(company, outsider_programme, outsider_org)
    return company


@pytest.fixture
def sme_user(company):
    return make_user("sme", company=company, role=Role.SME)


@pytest.fixture
def coaching(programme, lead_org):
    return Service.objects.create(
        programme=programme,
        provider=lead_org,
        kind=ServiceKind.COACHING,
        name="Export coaching",
        unit="hours",
        value_per_unit=100,
    )


@pytest.fixture
def training(programme, partner_org):
    return Service.objects.create(
        programme=programme,
        provider=partner_org,
        kind=ServiceKind.TRAINING,
        name="Export workshop",
        unit="hours",
        value_per_unit=50,
    )


@pytest.fixture
def nonfin_indicator(programme):
    return Indicator.objects.create(
        programme=programme,
        code="SME-NONFIN",
        name="SMEs receiving non-financial support",
        unit="companies",
        target=2,
        definition={"kind": "service_units", "min_units": 1},
    )
