"""Specification of deals: the rules of the pipeline and the querysets indicators rely on."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal

OPENED = date(2020, 3, 1)


@pytest.fixture
def new_deal(programme, company, lead_org):
    """An unsaved deal of Alpha with a Chinese buyer; keyword arguments override fields."""

    def build(**fields) -> Deal:
        fields = {
            "programme": programme,
            "company": company,
            "partner": lead_org,
            "market": "CN",
            "counterpart": "Fictional Buyer Ltd",
            "opened_on": OPENED,
            **fields,
        }
        return Deal(**fields)

    return build


def won_sale(**fields) -> dict:
    return {"stage": "won", "agreement_type": "sale", "closed_on": date(2020, 9, 1), **fields}


def errors_of(deal: Deal) -> set[str]:
    try:
        deal.full_clean()
    except ValidationError as error:
        return set(error.error_dict)
    return set()


# --- clean ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "needs_type"),
    [
        ("lead", False),
        ("meeting", False),
        ("pilot", False),
        ("agreement", True),  # an agreement is of some kind
        ("won", True),  # so is a won deal
        ("lost", False),  # a lost deal may never have got that far
    ],
)
def test_an_agreement_type_is_needed_at_agreement_and_won(new_deal, stage, needs_type):
    closed_on = date(2020, 9, 1) if stage in ("won", "lost") else None
    deal = new_deal(stage=stage, closed_on=closed_on)

    assert ("agreement_type" in errors_of(deal)) is needs_type


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        (won_sale(), True),  # a won sale
        (won_sale(agreement_type="licence"), False),  # a won licence is no sale
        (won_sale(agreement_type="representation"), False),  # nor is representation
        ({"stage": "agreement", "agreement_type": "sale"}, False),  # not won yet
        (won_sale(stage="lost"), False),  # lost
    ],
)
def test_only_a_won_sale_can_be_a_first_sale(new_deal, fields, allowed):
    deal = new_deal(first_sale=True, **fields)

    assert ("first_sale" not in errors_of(deal)) is allowed


@pytest.mark.parametrize("stage", ["won", "lost"])
def test_a_closed_deal_needs_its_closing_date(new_deal, stage):
    deal = new_deal(stage=stage, agreement_type="sale", closed_on=None)

    assert errors_of(deal) == {"closed_on"}


@pytest.mark.parametrize(
    ("closed_on", "valid"),
    [
        (date(2020, 2, 29), False),  # the day before it opened
        (OPENED, True),  # the same day it opened
        (date(2020, 3, 2), True),  # the day after
    ],
)
def test_a_deal_cannot_close_before_it_opened(new_deal, closed_on, valid):
    deal = new_deal(stage="lost", closed_on=closed_on)

    assert errors_of(deal) == (set() if valid else {"closed_on"})


def test_the_responsible_partner_must_be_a_partner_of_the_programme(new_deal, outsider_org):
    assert errors_of(new_deal(partner=outsider_org)) == {"partner"}


# --- one first sale per company and market ----------------------------------------------------


@pytest.fixture
def first_sale(new_deal):
    deal = new_deal(first_sale=True, **won_sale())
    deal.save()
    return deal


def test_a_company_has_one_first_sale_per_market(new_deal, first_sale):
    second = new_deal(first_sale=True, **won_sale(closed_on=date(2021, 1, 5)))

    assert errors_of(second) == {"first_sale"}


def test_the_database_refuses_a_second_first_sale_in_a_market(new_deal, first_sale):
    with pytest.raises(IntegrityError), transaction.atomic():
        new_deal(first_sale=True, **won_sale()).save()


def test_the_database_refuses_a_first_sale_that_is_not_a_won_sale(new_deal):
    with pytest.raises(IntegrityError), transaction.atomic():
        new_deal(first_sale=True, stage="pilot").save()


def test_a_first_sale_can_be_edited(first_sale):
    # Its own row is not "an earlier first sale".
    first_sale.value = 12_000

    assert errors_of(first_sale) == set()


@pytest.mark.parametrize(
    "fields",
    [
        {"market": "US"},  # the same company in another market
        {"company": "other_company"},  # another company in the same market
        {"first_sale": False},  # a later sale in the same market that is no first sale
    ],
)
def test_other_first_sales_are_allowed(new_deal, first_sale, request, fields):
    if fields.get("company") == "other_company":
        fields["company"] = request.getfixturevalue("other_company")
    deal = new_deal(**{"first_sale": True, **won_sale(), **fields})

    assert errors_of(deal) == set()
    deal.save()


# --- querysets --------------------------------------------------------------------------------


@pytest.fixture
def pipeline(new_deal):
    """One saved deal at every stage, in a market of its own."""
    markets = {
        "lead": "US",
        "meeting": "SE",
        "pilot": "NO",
        "agreement": "CN",
        "won": "JP",
        "lost": "DE",
    }
    deals = {}
    for stage, market in markets.items():
        fields = {"stage": stage, "market": market}
        if stage in ("agreement", "won"):
            fields["agreement_type"] = "sale"
        if stage in ("won", "lost"):
            fields["closed_on"] = date(2020, 9, 1)
        deals[stage] = new_deal(**fields)
        deals[stage].save()
    return deals


def stages(queryset) -> set[str]:
    return set(queryset.values_list("stage", flat=True))


def test_open_deals_are_those_not_yet_won_or_lost(pipeline):
    assert stages(Deal.objects.open()) == {"lead", "meeting", "pilot", "agreement"}
    assert set(DealStage.open_stages()) | {"won", "lost"} == set(DealStage.values)


def test_outside_eu_efta_excludes_eu_and_efta_markets(pipeline):
    # SE (EU), NO (EFTA) and DE (EU) are left out; US, CN and JP stay.
    assert set(Deal.objects.outside_eu_efta().values_list("market", flat=True)) == {
        "US",
        "CN",
        "JP",
    }


@pytest.mark.parametrize(
    ("market", "inside"),
    [
        ("SE", True),  # EU
        ("NO", True),  # EFTA
        ("CH", True),  # EFTA, not in the EEA
        ("CN", False),  # neither
        ("GB", False),  # left the EU
    ],
)
def test_in_eu_or_efta(new_deal, market, inside):
    assert new_deal(market=market).in_eu_or_efta is inside


def test_first_sales_are_won_deals_marked_first_sale(new_deal, first_sale):
    new_deal(market="US", **won_sale()).save()  # won, but not a first sale
    new_deal(market="JP", stage="agreement", agreement_type="sale").save()

    assert list(Deal.objects.first_sales()) == [first_sale]


def test_the_querysets_chain(new_deal, first_sale):
    new_deal(market="SE", first_sale=True, **won_sale()).save()

    assert list(Deal.objects.first_sales().outside_eu_efta()) == [first_sale]


@pytest.mark.parametrize(
    ("closed_on", "refused"),
    [
        (date(2020, 1, 1), False),  # the programme's first day
        (date(2022, 12, 31), False),  # its last day
        (date(2023, 1, 1), True),  # after it: not the programme's result
    ],
)
def test_a_deal_closed_outside_the_programme_period_is_refused_as_a_delivery_is(
    new_deal, closed_on, refused
):
    deal = new_deal(**won_sale(closed_on=closed_on, opened_on=date(2019, 6, 1)))
    assert ("closed_on" in errors_of(deal)) is refused


def test_a_deal_may_close_within_the_follow_up_its_programmes_indicators_count(new_deal, programme):
    from metacluster.programmes.models import Indicator

    Indicator.objects.create(
        programme=programme, code="SALES", name="Sales", unit="deals",
        definition={"kind": "deals", "window": "period", "follow_up_months": 24},
    )  # fmt: skip
    assert "closed_on" not in errors_of(new_deal(**won_sale(closed_on=date(2024, 12, 31))))
    assert "closed_on" in errors_of(new_deal(**won_sale(closed_on=date(2025, 1, 1))))
    before = won_sale(closed_on=date(2019, 12, 31), opened_on=date(2019, 6, 1))
    assert "closed_on" in errors_of(new_deal(**before))
