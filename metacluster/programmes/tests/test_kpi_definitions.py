"""Specification of indicator definitions: which records count, from when, and for whom."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from metacluster.companies.models import Company, engage
from metacluster.consortia.models import Consortium
from metacluster.deals.models import Deal
from metacluster.programmes.kpis import (
    ConsortiumCount,
    DealCount,
    DefinitionError,
    ServiceUnits,
    StageReached,
    figures,
    parse_definition,
    records_behind,
)
from metacluster.programmes.models import Indicator
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service


def at(year, month, day) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def new_company(name, country="SE") -> Company:
    return Company.objects.create(name=name, country=country)


def indicator(programme, definition, code="KPI") -> Indicator:
    return Indicator.objects.create(
        programme=programme, code=code, name=code, definition=definition
    )


def by_month(result) -> dict[str, int]:
    return dict(result.by_month)


def deliver(service, company, on, quantity, provider=None) -> Delivery:
    return Delivery.objects.create(
        service=service,
        company=company,
        provider=provider or service.provider,
        date=on,
        quantity=Decimal(quantity),
    )


def deal(programme, company, partner, market, **fields) -> Deal:
    fields.setdefault("opened_on", date(2020, 2, 1))
    return Deal.objects.create(
        programme=programme,
        company=company,
        partner=partner,
        market=market,
        counterpart="Fictional Buyer Ltd",
        **fields,
    )


def won_sale(programme, company, partner, market, closed_on=date(2020, 6, 1), **fields) -> Deal:
    return deal(
        programme,
        company,
        partner,
        market,
        stage="won",
        agreement_type="sale",
        closed_on=closed_on,
        **fields,
    )


# --- stage_reached ----------------------------------------------------------------------------


@pytest.fixture
def supported(programme):
    return indicator(programme, {"kind": "stage_reached", "stage": "supported"})


def test_stage_reached_counts_companies_at_or_past_the_stage(programme, lead_org, supported):
    counted = []
    for stage in ("identified", "contacted", "assessed", "supported", "exporting", "first_sale"):
        company = new_company(f"Company at {stage}")
        engage(company, programme, lead_org, stage=stage, at=at(2020, 2, 1))
        if stage in ("supported", "exporting", "first_sale"):
            counted.append(company)

    assert figures(supported).achieved == 3
    assert {c for c, _ in records_behind(supported)} == set(counted)


def test_stage_reached_counts_from_the_date_the_stage_was_crossed(programme, lead_org, supported):
    company = new_company("Alpha")
    engagement = engage(company, programme, lead_org, at=at(2020, 1, 10))
    engagement.move_to("supported", at=at(2020, 3, 15))
    # Moving further on does not move the date it started to count.
    engagement.move_to("exporting", at=at(2020, 6, 1))

    result = figures(supported)

    assert by_month(result)["2020-02"] == 0
    assert by_month(result)["2020-03"] == 1
    assert result.by_month[-1] == ("2022-12", 1)
    assert records_behind(supported) == [(company, date(2020, 3, 15))]


def test_stage_reached_stops_counting_a_company_moved_back_below_the_stage(
    programme, lead_org, supported
):
    engagement = engage(new_company("Alpha"), programme, lead_org, at=at(2020, 1, 10))
    engagement.move_to("supported", at=at(2020, 3, 15))
    engagement.move_to("contacted", at=at(2020, 4, 1))

    assert figures(supported).achieved == 0
    assert records_behind(supported) == []


def test_stage_reached_counts_a_company_moved_back_and_forth_from_its_last_crossing(
    programme, lead_org, supported
):
    company = new_company("Alpha")
    engagement = engage(company, programme, lead_org, at=at(2020, 1, 10))
    engagement.move_to("supported", at=at(2020, 3, 15))
    engagement.move_to("contacted", at=at(2020, 5, 1))
    engagement.move_to("exporting", at=at(2020, 8, 20))

    assert records_behind(supported) == [(company, date(2020, 8, 20))]


def test_stage_reached_counts_a_company_engaged_directly_past_the_stage(
    programme, lead_org, supported
):
    company = new_company("Alpha")
    engage(company, programme, lead_org, stage="exporting", at=at(2021, 4, 2))

    assert records_behind(supported) == [(company, date(2021, 4, 2))]


def test_stage_reached_counts_per_partner_by_the_engagements_responsible_partner(
    programme, lead_org, partner_org, supported
):
    engagement = engage(new_company("Beta", "EE"), programme, partner_org, at=at(2020, 1, 10))
    engagement.move_to("supported", at=at(2020, 3, 15))

    result = figures(supported)

    assert result.achieved == 1
    assert result.by_partner == {partner_org.pk: 1}


def test_stage_reached_figures_do_not_depend_on_the_viewers_time_zone(
    programme, lead_org, supported
):
    engagement = engage(new_company("Alpha"), programme, lead_org, at=at(2020, 1, 10))
    # 23:30 UTC on 31 March is already 1 April in Stockholm.
    engagement.move_to("supported", at=datetime(2020, 3, 31, 23, 30, tzinfo=UTC))

    with timezone.override("UTC"):
        in_utc = figures(supported).by_month
    with timezone.override("Europe/Stockholm"):
        in_stockholm = figures(supported).by_month

    assert in_utc == in_stockholm


def test_stage_reached_ignores_other_programmes(
    programme, outsider_programme, outsider_org, supported
):
    engage(new_company("Gamma", "LV"), outsider_programme, outsider_org, stage="supported")

    assert figures(supported).achieved == 0


# --- service_units ----------------------------------------------------------------------------


def test_service_units_count_from_the_delivery_that_reaches_the_threshold(programme, coaching):
    kpi = indicator(programme, {"kind": "service_units", "min_units": 10})
    company = new_company("Alpha")
    for month in (3, 5, 7):
        deliver(coaching, company, date(2020, month, 10), 4)

    result = figures(kpi)

    assert by_month(result)["2020-06"] == 0
    assert by_month(result)["2020-07"] == 1
    assert records_behind(kpi) == [(company, date(2020, 7, 10))]


@pytest.mark.parametrize(
    ("quantities", "counted"),
    [
        # exactly the threshold counts
        (["10"], True),
        # just under the threshold does not
        (["9.99"], False),
        # fractions add up
        (["2.5", "2.5", "2.5", "2.5"], True),
        # many small deliveries that stay below
        (["1"] * 9, False),
    ],
)
def test_service_units_threshold(programme, coaching, quantities, counted):
    kpi = indicator(programme, {"kind": "service_units", "min_units": 10})
    company = new_company("Alpha")
    for day, quantity in enumerate(quantities, start=1):
        deliver(coaching, company, date(2020, 3, day), quantity)

    assert figures(kpi).achieved == (1 if counted else 0)


def test_service_units_count_only_the_given_kinds(programme, coaching, training):
    kpi = indicator(programme, {"kind": "service_units", "service_kinds": ["coaching"]})
    coached, trained = new_company("Coached"), new_company("Trained")
    deliver(coaching, coached, date(2020, 3, 1), 1)
    deliver(training, trained, date(2020, 3, 1), 1)

    assert [c for c, _ in records_behind(kpi)] == [coached]


def test_service_units_add_up_units_of_the_given_kinds_only(programme, coaching, training):
    kpi = indicator(
        programme, {"kind": "service_units", "service_kinds": ["coaching"], "min_units": 2}
    )
    company = new_company("Alpha")
    deliver(coaching, company, date(2020, 3, 1), 1)
    deliver(training, company, date(2020, 3, 2), 5)

    assert figures(kpi).achieved == 0


def test_service_units_without_kinds_count_every_kind(programme, coaching, training):
    kpi = indicator(programme, {"kind": "service_units", "min_units": 2})
    company = new_company("Alpha")
    deliver(coaching, company, date(2020, 3, 1), 1)
    deliver(training, company, date(2020, 4, 1), 1)

    assert records_behind(kpi) == [(company, date(2020, 4, 1))]


def test_service_units_per_partner_count_only_that_partners_units(programme, coaching, training):
    kpi = indicator(programme, {"kind": "service_units", "min_units": 10})
    company = new_company("Alpha")
    deliver(coaching, company, date(2020, 3, 1), 6)
    deliver(training, company, date(2020, 4, 1), 6)

    result = figures(kpi)

    # 12 units in total reach the threshold; neither partner's 6 does.
    assert result.achieved == 1
    assert result.by_partner == {}


def test_service_units_count_a_company_served_by_two_partners_once_in_total_and_once_each(
    programme, coaching, training, lead_org, partner_org
):
    kpi = indicator(programme, {"kind": "service_units", "min_units": 1})
    company = new_company("Alpha")
    deliver(coaching, company, date(2020, 3, 1), 2)
    deliver(training, company, date(2020, 4, 1), 2)

    result = figures(kpi)

    assert result.achieved == 1
    assert result.by_partner == {lead_org.pk: 1, partner_org.pk: 1}
    assert records_behind(kpi, partner_id=partner_org.pk) == [(company, date(2020, 4, 1))]


def test_service_units_per_partner_follow_the_delivering_partner(
    programme, coaching, lead_org, partner_org
):
    # The partner that delivered, not the one that lists the service, gets the credit.
    kpi = indicator(programme, {"kind": "service_units"})
    deliver(coaching, new_company("Alpha"), date(2020, 3, 1), 1, provider=partner_org)

    assert figures(kpi).by_partner == {partner_org.pk: 1}


def test_service_units_ignore_other_programmes(
    programme, outsider_programme, outsider_org, nonfin_indicator
):
    service = Service.objects.create(
        programme=outsider_programme,
        provider=outsider_org,
        kind=ServiceKind.COACHING,
        name="Other coaching",
    )
    deliver(service, new_company("Gamma", "LV"), date(2020, 3, 1), 5)

    assert figures(nonfin_indicator).achieved == 0


# --- deals ------------------------------------------------------------------------------------


def test_deals_count_only_the_given_stages(programme, lead_org):
    kpi = indicator(programme, {"kind": "deals", "stages": ["won"]})
    company = new_company("Alpha")
    won = won_sale(programme, company, lead_org, "CN")
    deal(programme, company, lead_org, "US", stage="pilot")
    deal(programme, company, lead_org, "JP", stage="lost", closed_on=date(2020, 5, 1))

    assert [d for d, _ in records_behind(kpi)] == [won]


def test_deals_count_only_the_given_agreement_types(programme, lead_org):
    kpi = indicator(programme, {"kind": "deals", "agreement_types": ["licence", "partnership"]})
    company = new_company("Alpha")
    licence = deal(programme, company, lead_org, "CN", stage="agreement", agreement_type="licence")
    deal(programme, company, lead_org, "US", stage="agreement", agreement_type="representation")
    won_sale(programme, company, lead_org, "JP")

    assert [d for d, _ in records_behind(kpi)] == [licence]


def test_deals_first_sale_counts_only_won_first_sales(programme, lead_org):
    kpi = indicator(programme, {"kind": "deals", "first_sale": True})
    company = new_company("Alpha")
    first = won_sale(programme, company, lead_org, "CN", first_sale=True)
    won_sale(programme, company, lead_org, "CN", closed_on=date(2020, 9, 1))

    assert records_behind(kpi) == [(first, date(2020, 6, 1))]


@pytest.mark.parametrize(
    ("market", "counted"),
    [
        ("SE", False),  # EU member
        ("DE", False),  # EU member
        ("NO", False),  # EFTA, not EU
        ("CH", False),  # EFTA, not EU
        ("IS", False),  # EFTA, not EU
        ("LI", False),  # EFTA, not EU
        ("CN", True),  # outside Europe
        ("US", True),  # outside Europe
        ("GB", True),  # in Europe, but neither EU nor EFTA since 2020
        ("UA", True),  # in Europe, neither EU nor EFTA
    ],
)
def test_deals_outside_eu_efta(programme, lead_org, market, counted):
    kpi = indicator(programme, {"kind": "deals", "outside_eu_efta": True})
    deal(programme, new_company("Alpha"), lead_org, market)

    assert figures(kpi).achieved == (1 if counted else 0)


def test_deals_count_only_the_given_markets(programme, lead_org):
    kpi = indicator(programme, {"kind": "deals", "markets": ["CN", "US"]})
    company = new_company("Alpha")
    deal(programme, company, lead_org, "CN")
    deal(programme, company, lead_org, "US")
    deal(programme, company, lead_org, "JP")

    assert sorted(d.market for d, _ in records_behind(kpi)) == ["CN", "US"]


def test_deals_count_companies_counts_each_company_once(programme, lead_org, partner_org):
    by_deals = indicator(programme, {"kind": "deals"}, code="DEALS")
    by_companies = indicator(programme, {"kind": "deals", "count": "companies"}, code="FIRMS")
    alpha, beta = new_company("Alpha"), new_company("Beta", "EE")
    deal(programme, alpha, lead_org, "CN", opened_on=date(2020, 3, 1))
    deal(programme, alpha, partner_org, "US", opened_on=date(2020, 2, 1))
    deal(programme, alpha, lead_org, "JP", opened_on=date(2020, 4, 1))
    deal(programme, beta, partner_org, "CN", opened_on=date(2020, 5, 1))

    assert figures(by_deals).achieved == 4
    result = figures(by_companies)
    assert result.achieved == 2
    # Alpha counts for both partners that have a deal with it.
    assert result.by_partner == {lead_org.pk: 1, partner_org.pk: 2}
    # ...from its earliest deal.
    assert records_behind(by_companies) == [(alpha, date(2020, 2, 1)), (beta, date(2020, 5, 1))]


def test_deals_count_from_the_closing_date_or_else_the_opening_date(programme, lead_org):
    kpi = indicator(programme, {"kind": "deals"})
    company = new_company("Alpha")
    closed = won_sale(
        programme, company, lead_org, "CN", opened_on=date(2020, 2, 1), closed_on=date(2021, 1, 5)
    )
    still_open = deal(programme, company, lead_org, "US", opened_on=date(2020, 3, 1))

    assert records_behind(kpi) == [(still_open, date(2020, 3, 1)), (closed, date(2021, 1, 5))]


def test_deals_count_per_responsible_partner(programme, lead_org, partner_org):
    kpi = indicator(programme, {"kind": "deals"})
    company = new_company("Alpha")
    mine = deal(programme, company, partner_org, "CN")
    deal(programme, company, lead_org, "US")

    assert figures(kpi).by_partner == {lead_org.pk: 1, partner_org.pk: 1}
    assert records_behind(kpi, partner_id=partner_org.pk) == [(mine, date(2020, 2, 1))]


def test_deals_ignore_other_programmes(programme, outsider_programme, outsider_org):
    kpi = indicator(programme, {"kind": "deals"})
    deal(outsider_programme, new_company("Gamma", "LV"), outsider_org, "CN")

    assert figures(kpi).achieved == 0


# --- consortia --------------------------------------------------------------------------------


def consortium(programme, coordinator, name, members, formed_on=date(2020, 6, 1)) -> Consortium:
    created = Consortium.objects.create(
        programme=programme, name=name, coordinator=coordinator, formed_on=formed_on
    )
    created.members.set(members)
    return created


def test_consortia_count_consortia_formed(programme, lead_org, partner_org):
    kpi = indicator(programme, {"kind": "consortia"})
    alpha, beta = new_company("Alpha"), new_company("Beta", "EE")
    first = consortium(programme, lead_org, "One", [alpha, beta], formed_on=date(2020, 6, 1))
    second = consortium(programme, partner_org, "Two", [alpha], formed_on=date(2021, 2, 1))

    result = figures(kpi)

    assert result.achieved == 2
    assert by_month(result)["2020-06"] == 1
    assert by_month(result)["2021-02"] == 2
    assert result.by_partner == {lead_org.pk: 1, partner_org.pk: 1}
    assert records_behind(kpi) == [(first, date(2020, 6, 1)), (second, date(2021, 2, 1))]


def test_consortia_count_members_once_across_consortia(programme, lead_org, partner_org):
    kpi = indicator(programme, {"kind": "consortia", "count": "members"})
    alpha, beta, gamma = new_company("Alpha"), new_company("Beta", "EE"), new_company("Gamma")
    consortium(programme, lead_org, "One", [alpha, beta], formed_on=date(2020, 6, 1))
    consortium(programme, partner_org, "Two", [alpha, gamma], formed_on=date(2020, 3, 1))

    result = figures(kpi)

    assert result.achieved == 3
    assert result.by_partner == {lead_org.pk: 2, partner_org.pk: 2}
    # Alpha counts from the earlier of its two consortia.
    assert dict(records_behind(kpi))[alpha] == date(2020, 3, 1)


@pytest.mark.parametrize(
    ("countries", "min_countries", "counted"),
    [
        (["SE", "EE"], 2, True),  # two countries reach two
        (["SE", "SE", "EE"], 3, False),  # three members but only two countries
        (["SE", "EE", "LV"], 3, True),  # three countries reach three
        (["SE"], 1, True),  # the default of one country counts every consortium
    ],
)
def test_consortia_min_countries(programme, lead_org, countries, min_countries, counted):
    kpi = indicator(programme, {"kind": "consortia", "min_countries": min_countries})
    members = [new_company(f"Member {i}", country) for i, country in enumerate(countries)]
    consortium(programme, lead_org, "One", members)

    assert figures(kpi).achieved == (1 if counted else 0)


def test_consortia_min_countries_applies_to_members_too(programme, lead_org):
    kpi = indicator(programme, {"kind": "consortia", "count": "members", "min_countries": 2})
    consortium(programme, lead_org, "Domestic", [new_company("A"), new_company("B")])
    consortium(programme, lead_org, "Baltic", [new_company("C"), new_company("D", "EE")])

    assert sorted(c.name for c, _ in records_behind(kpi)) == ["C", "D"]


# --- parse_definition -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"kind": "stage_reached", "stage": "supported"},
            StageReached(stage="supported"),
        ),
        # defaults: any service, one unit
        (
            {"kind": "service_units"},
            ServiceUnits(service_kinds=(), min_units=Decimal(1)),
        ),
        # a single name is taken as a list of one
        (
            {"kind": "service_units", "service_kinds": "coaching", "min_units": "2.5"},
            ServiceUnits(service_kinds=("coaching",), min_units=Decimal("2.5")),
        ),
        # defaults: all deals, counted as deals
        (
            {"kind": "deals"},
            DealCount((), (), first_sale=False, outside_eu_efta=False, markets=(), count="deals"),
        ),
        (
            {"kind": "deals", "stages": ["won"], "markets": ["CN"], "count": "companies"},
            DealCount(("won",), (), False, False, markets=("CN",), count="companies"),
        ),
        ({"kind": "consortia"}, ConsortiumCount(count="consortia", min_countries=1)),
        (
            {"kind": "consortia", "count": "members", "min_countries": 3},
            ConsortiumCount(count="members", min_countries=3),
        ),
    ],
)
def test_parse_definition_accepts_valid_definitions(data, expected):
    assert parse_definition(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        None,  # not an object
        ["stage_reached"],  # a list, not an object
        {},  # no kind
        {"kind": "revenue"},  # unknown kind
        {"kind": "Stage_Reached", "stage": "supported"},  # kinds are case-sensitive
        {"kind": "stage_reached", "stage": "supported", "since": "2020"},  # unknown key
        {"kind": "deals", "min_units": 1},  # a key of another kind
        {"kind": "stage_reached"},  # stage missing
        {"kind": "stage_reached", "stage": "won"},  # a deal stage, not a pipeline stage
        {"kind": "stage_reached", "stage": "Supported"},  # stages are case-sensitive
        {"kind": "service_units", "min_units": 0},  # zero units
        {"kind": "service_units", "min_units": -1},  # negative units
        {"kind": "service_units", "min_units": "ten"},  # not a number
        {"kind": "service_units", "min_units": None},  # null
        {"kind": "service_units", "min_units": True},  # a boolean is not a number
        {"kind": "service_units", "min_units": [1]},  # a list
        {"kind": "service_units", "min_units": "NaN"},  # not a finite number
        {"kind": "service_units", "min_units": "Infinity"},  # not a finite number
        {"kind": "service_units", "service_kinds": ["haircut"]},  # unknown service kind
        {"kind": "service_units", "service_kinds": [1]},  # not names
        {"kind": "service_units", "service_kinds": {"coaching": 1}},  # not a list
        {"kind": "deals", "stages": ["closed"]},  # unknown deal stage
        {"kind": "deals", "agreement_types": ["loan"]},  # unknown agreement type
        {"kind": "deals", "first_sale": "yes"},  # not a boolean
        {"kind": "deals", "first_sale": 1},  # 1 is not true
        {"kind": "deals", "outside_eu_efta": "false"},  # a string is not a boolean
        {"kind": "deals", "outside_eu_efta": None},  # null is not false
        {"kind": "deals", "markets": ["XX"]},  # unknown country
        {"kind": "deals", "markets": ["se"]},  # country codes are upper case
        {"kind": "deals", "markets": ["SWE"]},  # alpha-3 is not accepted
        {"kind": "deals", "count": "consortia"},  # unknown count
        {"kind": "consortia", "count": "companies"},  # members, not companies
        {"kind": "consortia", "min_countries": 0},  # below one
        {"kind": "consortia", "min_countries": 1.5},  # not whole
        {"kind": "consortia", "min_countries": "2"},  # not a number
        {"kind": "consortia", "min_countries": True},  # a boolean is not a number
    ],
)
def test_parse_definition_rejects(data):
    with pytest.raises(DefinitionError):
        parse_definition(data)


def test_parse_definition_names_the_unknown_keys():
    with pytest.raises(DefinitionError, match="since"):
        parse_definition({"kind": "stage_reached", "stage": "supported", "since": "2020"})


def test_parse_definition_lists_the_allowed_values():
    with pytest.raises(DefinitionError, match="coaching"):
        parse_definition({"kind": "service_units", "service_kinds": ["haircut"]})


def test_every_valid_definition_describes_itself():
    for data in (
        {"kind": "stage_reached", "stage": "first_sale"},
        {"kind": "service_units", "service_kinds": ["coaching", "training"], "min_units": 8},
        {
            "kind": "deals",
            "stages": ["won"],
            "agreement_types": ["sale"],
            "first_sale": True,
            "outside_eu_efta": True,
            "markets": ["CN"],
            "count": "companies",
        },
        {"kind": "consortia", "count": "members", "min_countries": 2},
    ):
        assert parse_definition(data).describe()


@pytest.mark.parametrize(
    "definition",
    [
        {"kind": "revenue"},  # unknown kind
        {"kind": "service_units", "min_units": 0},  # a bad parameter
        None,  # no definition at all
    ],
)
def test_indicator_full_clean_reports_a_bad_definition_on_the_definition_field(
    programme, definition
):
    kpi = Indicator(programme=programme, code="BAD", name="Bad", definition=definition)

    with pytest.raises(ValidationError) as error:
        kpi.full_clean()

    assert list(error.value.error_dict) == ["definition"]


def test_indicator_full_clean_accepts_a_good_definition(nonfin_indicator):
    nonfin_indicator.full_clean()


# --- records_behind ---------------------------------------------------------------------------


def test_records_behind_lists_exactly_the_counted_records_with_their_dates(
    programme, coaching, training, nonfin_indicator
):
    alpha, beta, never = new_company("Alpha"), new_company("Beta", "EE"), new_company("Never")
    deliver(coaching, alpha, date(2020, 5, 1), 1)
    deliver(coaching, alpha, date(2020, 2, 1), 1)
    deliver(training, beta, date(2020, 3, 1), 1)

    behind = records_behind(nonfin_indicator)

    assert behind == [(alpha, date(2020, 2, 1)), (beta, date(2020, 3, 1))]
    assert never not in [c for c, _ in behind]
    # The records behind a figure are exactly as many as the figure says.
    assert len(behind) == figures(nonfin_indicator).achieved


def test_records_behind_for_a_partner_lists_only_that_partners_records(
    programme, coaching, training, lead_org, partner_org, nonfin_indicator
):
    alpha, beta = new_company("Alpha"), new_company("Beta", "EE")
    deliver(coaching, alpha, date(2020, 2, 1), 1)
    deliver(training, beta, date(2020, 3, 1), 1)
    deliver(training, alpha, date(2020, 4, 1), 1)

    assert records_behind(nonfin_indicator, partner_id=partner_org.pk) == [
        (beta, date(2020, 3, 1)),
        (alpha, date(2020, 4, 1)),
    ]
    assert records_behind(nonfin_indicator, partner_id=lead_org.pk) == [(alpha, date(2020, 2, 1))]
    assert (
        len(records_behind(nonfin_indicator, partner_id=partner_org.pk))
        == (figures(nonfin_indicator).by_partner[partner_org.pk])
    )


def test_records_behind_is_empty_when_nothing_counts(nonfin_indicator, outsider_org):
    assert records_behind(nonfin_indicator) == []
    assert records_behind(nonfin_indicator, partner_id=outsider_org.pk) == []
