"""Every delivery writes its aid record; the ceiling is checked on every path that records."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from metacluster.services.models import Delivery
from metacluster.services.workflows import record_attendance
from metacluster.stateaid.choices import AidScheme
from metacluster.stateaid.ledger import check_delivery
from metacluster.stateaid.models import AidRecord, ProgrammeAidSettings

from .conftest import declare, deliver

pytestmark = pytest.mark.django_db


def test_a_delivery_records_its_aid_at_the_rate_of_the_day(coaching, company, manager):
    delivery = deliver(coaching, company, "3.5", by=manager)
    coaching.value_per_unit = 500
    coaching.save()
    aid = AidRecord.objects.get(delivery=delivery)
    assert aid.value == Decimal("350.00")  # 3.5 h × EUR 100, not × the new 500
    assert aid.market_rate == 100
    assert aid.scheme == AidScheme.DE_MINIMIS
    assert aid.granted_on == date(2021, 5, 4)
    assert aid.retention_until == date(2031, 5, 4)


def test_the_programme_scheme_is_stored_with_the_aid(programme, coaching, company):
    ProgrammeAidSettings.objects.create(programme=programme, scheme=AidScheme.GBER_20A)
    assert deliver(coaching, company, 1).aid.scheme == AidScheme.GBER_20A


def test_past_the_ceiling_a_delivery_is_refused_and_nothing_is_saved(coaching, company, manager):
    # Regulation 1407/2013 for 2021: EUR 200,000 over 2019–2021 (calendar fiscal years).
    declare(company, 199_950, date(2019, 2, 1))
    with pytest.raises(ValidationError) as refused:
        deliver(coaching, company, 1, by=manager)  # EUR 100 → 200,050
    assert "aid_override_reason" in refused.value.message_dict
    assert not Delivery.objects.exists() and not AidRecord.objects.exists()


def test_a_programme_manager_may_override_with_a_reason(coaching, company, manager):
    declare(company, 199_950, date(2019, 2, 1))
    delivery = deliver(coaching, company, 1, by=manager, override="Declaration was wrong.")
    assert delivery.aid.override_reason == "Declaration was wrong."
    assert delivery.aid.overridden_by == manager


def test_an_advisor_cannot_override(training, company, advisor):
    declare(company, 199_990, date(2019, 2, 1))
    with pytest.raises(ValidationError, match="Only a programme manager"):
        deliver(training, company, 1, by=advisor, override="Please")
    assert not Delivery.objects.exists()


def test_aid_outside_the_three_fiscal_years_does_not_count(coaching, company, manager):
    declare(company, 199_950, date(2018, 12, 31))  # fiscal year 2018: before 2019–2021
    assert deliver(coaching, company, 1, by=manager).aid.value == 100


def test_the_programme_fiscal_year_moves_the_window(programme, coaching, company, manager):
    # Fiscal years from July: 2021-05-04 lies in FY 2020/21, so the period starts 1 July 2018
    # and aid of 31 December 2018 still counts.
    ProgrammeAidSettings.objects.create(programme=programme, fiscal_year_start_month=7)
    declare(company, 199_950, date(2018, 12, 31))
    with pytest.raises(ValidationError):
        deliver(coaching, company, 1, by=manager)


def test_linked_companies_share_one_ceiling(coaching, company, sister_company, group, manager):
    declare(sister_company, 150_000, date(2020, 6, 1))
    deliver(coaching, company, 400, by=manager)  # EUR 40,000: 190,000 in all
    check = check_delivery(
        Delivery(service=coaching, company=company, date=date(2021, 6, 1), quantity=101)
    )
    assert check.assessment.before == 190_000
    assert check.over


def test_declared_sgei_and_gber_aid_do_not_count_towards_de_minimis(coaching, company):
    declare(company, 190_000, date(2020, 6, 1), scheme="de_minimis_sgei")
    declare(company, 190_000, date(2020, 6, 1), scheme="gber")
    check = check_delivery(
        Delivery(service=coaching, company=company, date=date(2021, 6, 1), quantity=1)
    )
    assert check.assessment.before == 0


def test_near_the_ceiling_the_check_warns_but_records(coaching, company, manager):
    declare(company, 160_000, date(2020, 6, 1))
    check = check_delivery(
        Delivery(service=coaching, company=company, date=date(2021, 6, 1), quantity=10)
    )
    assert check.near and not check.over
    assert "EUR 161,000.00" in check.message()
    deliver(coaching, company, 10, date(2021, 6, 1), by=manager)


def test_gber_20a_sums_per_project(programme, coaching, company, manager):
    ProgrammeAidSettings.objects.create(programme=programme, scheme=AidScheme.GBER_20A)
    declare(company, 199_000, date(2020, 6, 1))  # de minimis from elsewhere: not this limit
    deliver(coaching, company, 200, by=manager)  # EUR 20,000 of 22,000
    with pytest.raises(ValidationError, match="22,000"):
        deliver(coaching, company, 21, by=manager)


def test_attendance_names_each_company_past_the_ceiling_and_saves_none(
    training, company, other_company, manager, partner_org
):
    declare(other_company, 199_990, date(2020, 6, 1))
    with pytest.raises(ValidationError) as refused:
        record_attendance(
            service=training,
            companies=[company, other_company],
            date=date(2021, 5, 4),
            quantity=1,
            provider=partner_org,
            by=manager,
        )
    assert set(refused.value.message_dict) == {"companies.1"}
    assert not Delivery.objects.exists()


def test_attendance_counts_linked_companies_of_the_same_batch_together(
    training, company, sister_company, group, manager, lead_org, partner_org
):
    declare(company, 199_920, date(2020, 6, 1))
    with pytest.raises(ValidationError) as refused:
        record_attendance(
            service=training,
            companies=[company, sister_company],
            date=date(2021, 5, 4),
            quantity=1,  # EUR 50 each: the first fits, the second does not
            provider=partner_org,
            by=manager,
        )
    assert set(refused.value.message_dict) == {"companies.1"}
