"""Specification of counting windows: an indicator counts records within the programme period,
the period plus a follow-up, or whenever they happened (its definition says which)."""

from datetime import date

import pytest
import time_machine

from metacluster.companies.models import Company
from metacluster.conftest import PASSWORD
from metacluster.deals.models import Deal
from metacluster.programmes.kpis import DefinitionError, figures, parse_definition, records_behind
from metacluster.programmes.models import Indicator
from metacluster.programmes.windows import add_months, parse_window

SALES = {"kind": "deals", "stages": ["won"], "agreement_types": ["sale"]}


def sales_indicator(programme, **window) -> Indicator:
    return Indicator.objects.create(
        programme=programme, code="SALES", name="Sales", definition=SALES | window
    )


@pytest.fixture
def sales(programme, lead_org):
    """Three sales of a programme running 2020–2022: one during it, one 18 months after its
    end and one four years after."""
    for index, closed_on in enumerate([date(2021, 5, 1), date(2024, 6, 30), date(2026, 12, 1)]):
        company = Company.objects.create(name=f"Seller {index} (fictional)", country="SE")
        Deal.objects.create(
            programme=programme,
            company=company,
            partner=lead_org,
            market="CN",
            counterpart="Buyer (fictional)",
            stage="won",
            agreement_type="sale",
            opened_on=date(2020, 6, 1),
            closed_on=closed_on,
        )


@time_machine.travel("2027-06-01", tick=False)
@pytest.mark.parametrize(
    ("window", "achieved"),
    [
        ({}, 3),  # no window: every record, as indicators always counted
        ({"window": "period"}, 1),  # only the sale during the programme
        ({"window": "period", "follow_up_months": 24}, 2),  # SME2GO: "shortly (1–2 years) after"
        ({"window": "period", "follow_up_months": 120}, 3),
    ],
)
def test_an_indicator_counts_the_records_inside_its_window(programme, sales, window, achieved):
    indicator = sales_indicator(programme, **window)
    assert figures(indicator).achieved == achieved
    assert len(records_behind(indicator)) == achieved


@time_machine.travel("2027-06-01", tick=False)
def test_with_a_follow_up_the_monthly_series_runs_on_past_the_period(programme, sales):
    result = figures(sales_indicator(programme, window="period", follow_up_months=24))
    assert result.by_month[-1] == ("2024-12", 2)


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"window": "forever"}, "window must be"),
        ({"window": "period", "follow_up_months": -1}, "follow_up_months must be"),
        ({"window": "period", "follow_up_months": "24"}, "follow_up_months must be"),
        ({"follow_up_months": 12}, "needs"),  # a follow-up only extends the period
    ],
)
def test_a_bad_window_is_refused(window, message):
    with pytest.raises(DefinitionError, match=message):
        parse_definition(SALES | window)


def test_the_window_is_described_in_words():
    assert parse_window({}).describe() == "Counts records whenever they happened."
    assert (
        parse_window({"window": "period", "follow_up_months": 24}).describe()
        == "Counts records within the programme period and 24 months after it."
    )


def test_months_are_added_to_the_end_of_a_month():
    assert add_months(date(2018, 9, 30), 24) == date(2020, 9, 30)
    assert add_months(date(2021, 12, 31), 2) == date(2022, 2, 28)


def test_the_dashboard_and_the_records_page_show_the_window(client, viewer, programme):
    sales_indicator(programme, window="period", follow_up_months=24)
    assert client.login(username=viewer.username, password=PASSWORD)
    page = client.get(f"/programmes/{programme.acronym}/").content.decode()
    assert "within the programme period and 24 months after it" in page
    page = client.get(f"/programmes/{programme.acronym}/indicators/SALES/").content.decode()
    assert "24 months after it" in page


def test_a_manager_sets_the_window_in_the_indicator_form(client, manager, programme):
    assert client.login(username=manager.username, password=PASSWORD)
    client.post(
        f"/programmes/{programme.acronym}/indicators/new/",
        {
            "code": "SALES",
            "name": "Sales",
            "unit": "deals",
            "position": 0,
            "kind": "deals",
            "deal_stages": ["won"],
            "deal_count": "deals",
            "counting_window": "period",
            "follow_up_months": 24,
        },
    )
    definition = Indicator.objects.get(programme=programme, code="SALES").definition
    assert definition == {
        "kind": "deals",
        "stages": ["won"],
        "count": "deals",
        "window": "period",
        "follow_up_months": 24,
    }
