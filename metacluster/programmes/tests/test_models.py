"""Specification of programmes, partnerships, target markets and indicators."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from metacluster.programmes.choices import PartnerRole
from metacluster.programmes.models import Indicator, Partnership, Programme, TargetMarket


def new_programme(**fields) -> Programme:
    fields = {
        "name": "Second Programme",
        "acronym": "second",
        "funding_programme": "Interreg Baltic Sea Region",
        "start_date": date(2021, 1, 1),
        "end_date": date(2023, 12, 31),
        "total_budget": Decimal(100_000),
        **fields,
    }
    return Programme(**fields)


def errors_of(instance) -> set[str]:
    try:
        instance.full_clean()
    except ValidationError as error:
        return set(error.error_dict)
    return set()


# --- Programme --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end_date", "valid"),
    [
        (date(2020, 12, 31), False),  # the day before it starts
        (date(2021, 1, 1), True),  # a one-day programme
        (date(2023, 12, 31), True),  # three years
    ],
)
def test_a_programme_cannot_end_before_it_starts(db, end_date, valid):
    assert errors_of(new_programme(end_date=end_date)) == (set() if valid else {"end_date"})


def test_the_database_refuses_a_programme_that_ends_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        new_programme(end_date=date(2020, 12, 31)).save()


@pytest.mark.parametrize(
    ("funder_contribution", "valid"),
    [
        (None, True),  # not known yet
        (Decimal(75_000), True),  # part of the budget
        (Decimal(100_000), True),  # all of it
        (Decimal("100000.01"), False),  # a cent more than the budget
    ],
)
def test_the_funder_cannot_contribute_more_than_the_budget(db, funder_contribution, valid):
    programme = new_programme(funder_contribution=funder_contribution)

    assert errors_of(programme) == (set() if valid else {"funder_contribution"})


def test_the_lead_is_the_lead_partners_organisation(programme, lead_org):
    assert programme.lead == lead_org


def test_a_programme_without_a_lead_has_none(db):
    programme = new_programme()
    programme.save()

    assert programme.lead is None


def test_partner_organisations_are_all_partners_and_only_them(
    programme, lead_org, partner_org, outsider_programme
):
    assert set(programme.partner_organisations()) == {lead_org, partner_org}


# --- Partnership ------------------------------------------------------------------------------


def test_a_programme_has_at_most_one_lead(programme, outsider_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            programme=programme, organisation=outsider_org, role=PartnerRole.LEAD
        )


def test_an_organisation_is_a_partner_of_a_programme_once(programme, partner_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(programme=programme, organisation=partner_org)


@pytest.mark.parametrize(
    ("rate", "valid"),
    [
        (Decimal(0), True),  # no co-financing
        (Decimal(100), True),  # full funding
        (Decimal("100.01"), False),  # more than everything
        (Decimal(-1), False),  # negative
    ],
)
def test_the_co_financing_rate_is_a_percentage(programme, outsider_org, rate, valid):
    partnership = Partnership(
        programme=programme, organisation=outsider_org, co_financing_rate=rate
    )

    assert errors_of(partnership) == (set() if valid else {"co_financing_rate"})


def test_the_database_refuses_a_rate_above_100(programme, outsider_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            programme=programme, organisation=outsider_org, co_financing_rate=Decimal(101)
        )


@pytest.mark.parametrize(
    ("budget", "rate", "share"),
    [
        (Decimal("600000.00"), Decimal(75), Decimal("450000.00")),  # ERDF in Sweden
        (Decimal("1000.01"), Decimal(85), Decimal("850.01")),  # rounded to the cent
        (None, Decimal(75), None),  # budget unknown
        (Decimal(1000), None, None),  # rate unknown
    ],
)
def test_funder_share_is_budget_times_rate(budget, rate, share):
    assert Partnership(budget=budget, co_financing_rate=rate).funder_share == share


# --- TargetMarket -----------------------------------------------------------------------------


def test_a_target_market_is_listed_once_per_programme(programme):
    TargetMarket.objects.create(programme=programme, country="CN")

    with pytest.raises(IntegrityError), transaction.atomic():
        TargetMarket.objects.create(programme=programme, country="CN")


def test_a_target_market_reads_as_its_country_name(programme):
    assert str(TargetMarket(programme=programme, country="CN")) == "China"


# --- Indicator --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("SME-SUPPORTED", True),
        ("RCO01", True),
        ("1-A", True),  # may start with a digit
        ("sme-supported", False),  # lower case
        ("-SME", False),  # starts with a hyphen
        ("SME SUPPORTED", False),  # a space
        ("SME_SUPPORTED", False),  # an underscore
    ],
)
def test_indicator_codes_are_capitals_digits_and_hyphens(programme, code, valid):
    indicator = Indicator(
        programme=programme, code=code, name="x", definition={"kind": "consortia"}
    )

    assert errors_of(indicator) == (set() if valid else {"code"})


def test_an_indicator_code_is_unique_within_a_programme(nonfin_indicator, programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            programme=programme, code=nonfin_indicator.code, name="Copy", definition={}
        )


def test_the_same_indicator_code_may_be_used_in_another_programme(
    nonfin_indicator, outsider_programme
):
    Indicator.objects.create(
        programme=outsider_programme,
        code=nonfin_indicator.code,
        name="Same code elsewhere",
        definition=nonfin_indicator.definition,
    )
