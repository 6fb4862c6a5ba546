"""The periods aid is summed over, and the ceiling checks, as the regulations state them."""

import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metacluster.core.aid import (
    DE_MINIMIS_2013,
    DE_MINIMIS_2023,
    Grant,
    Status,
    assess_de_minimis,
    assess_project_limit,
    fiscal_year_start,
    regime_for,
    retention_until,
    window_start,
)

K = Decimal(1000)


@pytest.mark.parametrize(
    ("day", "month", "expected"),
    [
        (date(2019, 3, 15), 1, date(2019, 1, 1)),  # calendar fiscal year
        (date(2019, 3, 15), 7, date(2018, 7, 1)),  # before July: the year that began last July
        (date(2019, 7, 1), 7, date(2019, 7, 1)),  # the first day opens the new fiscal year
        (date(2019, 6, 30), 7, date(2018, 7, 1)),  # the last day still belongs to the old one
    ],
)
def test_fiscal_year_starts_on_the_first_of_its_month(day, month, expected):
    assert fiscal_year_start(day, month) == expected


def test_a_fiscal_year_cannot_start_in_month_13():
    with pytest.raises(ValueError):
        fiscal_year_start(date(2019, 1, 1), 13)


@pytest.mark.parametrize(
    ("granted_on", "month", "expected"),
    [
        # Regulation 1407/2013: this fiscal year and the two before it.
        (date(2019, 12, 31), 1, date(2017, 1, 1)),
        (date(2020, 1, 1), 1, date(2018, 1, 1)),  # one day later, a whole year drops out
        (date(2019, 6, 30), 7, date(2016, 7, 1)),
        (date(2019, 7, 1), 7, date(2017, 7, 1)),
        (date(2023, 12, 31), 1, date(2021, 1, 1)),  # the last day of the old regulation
        # Regulation 2023/2831: the three years ending on the day of the grant.
        (date(2024, 1, 1), 1, date(2021, 1, 2)),
        (date(2024, 1, 1), 7, date(2021, 1, 2)),  # the fiscal year no longer matters
        (date(2027, 2, 28), 1, date(2024, 2, 29)),
        (date(2028, 2, 29), 1, date(2025, 3, 1)),  # a leap day: back to 28 Feb, then a day on
    ],
)
def test_window_start(granted_on, month, expected):
    assert window_start(granted_on, fiscal_year_start_month=month) == expected


def test_the_regulation_changes_on_1_january_2024():
    assert regime_for(date(2023, 12, 31)) is DE_MINIMIS_2013
    assert regime_for(date(2024, 1, 1)) is DE_MINIMIS_2023
    assert DE_MINIMIS_2013.ceiling == 200 * K
    assert DE_MINIMIS_2023.ceiling == 300 * K


def test_records_are_kept_ten_years_from_the_grant():
    assert retention_until(date(2019, 5, 2)) == date(2029, 5, 2)
    assert retention_until(date(2024, 2, 29)) == date(2034, 2, 28)


def test_aid_older_than_the_rolling_three_years_no_longer_counts():
    grants = [Grant(date(2024, 6, 1), 250 * K)]
    on_the_last_day = assess_de_minimis(grants, 60 * K, date(2027, 5, 31))
    a_day_later = assess_de_minimis(grants, 60 * K, date(2027, 6, 1))
    assert on_the_last_day.status is Status.OVER
    assert on_the_last_day.before == 250 * K
    assert a_day_later.status is Status.OK
    assert a_day_later.before == 0


def test_fiscal_years_count_whole_years_across_the_boundary():
    # Fiscal years from July. Aid on 1 July 2016 is in FY 2016/17, which is still one of the
    # three fiscal years of a grant on 30 June 2019 (FY 2018/19) but not of one on 1 July 2019.
    grants = [Grant(date(2016, 7, 1), 150 * K)]
    assert (
        assess_de_minimis(grants, 60 * K, date(2019, 6, 30), fiscal_year_start_month=7).status
        is Status.OVER
    )
    assert (
        assess_de_minimis(grants, 60 * K, date(2019, 7, 1), fiscal_year_start_month=7).status
        is Status.OK
    )
    # With calendar fiscal years the same aid already fell out on 1 January 2019.
    assert assess_de_minimis(grants, 60 * K, date(2019, 1, 1)).status is Status.OK


def test_old_aid_counts_in_the_first_periods_of_the_new_regulation():
    # Granted under 1407/2013 in 2022, it still counts for a grant in 2024 (rolling three years),
    # now against the higher ceiling.
    grants = [Grant(date(2022, 3, 1), 190 * K)]
    assessment = assess_de_minimis(grants, 100 * K, date(2024, 3, 1))
    assert assessment.before == 190 * K
    assert assessment.ceiling == 300 * K
    assert assessment.status is Status.NEAR
    assert assessment.regulation == "Regulation (EU) 2023/2831"


def test_a_warning_comes_at_the_warning_share():
    grants = [Grant(date(2024, 1, 10), 200 * K)]
    assert assess_de_minimis(grants, 39 * K, date(2024, 2, 1)).status is Status.OK
    assert assess_de_minimis(grants, 40 * K, date(2024, 2, 1)).status is Status.NEAR
    assert assess_de_minimis(grants, 100 * K, date(2024, 2, 1)).status is Status.NEAR  # at it
    assert assess_de_minimis(grants, 100 * K + 1, date(2024, 2, 1)).status is Status.OVER


def test_backdated_aid_is_checked_against_the_periods_of_later_grants():
    # Last year's delivery recorded today: the period ending on its own day holds little, but
    # the period ending on the big grant made since also includes it.
    grants = [Grant(date(2025, 1, 1), 10 * K), Grant(date(2026, 6, 1), 280 * K)]
    assessment = assess_de_minimis(grants, 15 * K, date(2025, 3, 1))
    assert assessment.status is Status.OVER
    assert assessment.window_end == date(2026, 6, 1)
    assert assessment.before == 290 * K


def test_the_gber_limit_is_per_project():
    assert assess_project_limit(Decimal(0), 22 * K).status is Status.NEAR
    assert assess_project_limit(Decimal(1), 22 * K).status is Status.OVER
    assert assess_project_limit(Decimal(0), 5 * K).status is Status.OK


amounts = st.integers(min_value=0, max_value=150_000).map(Decimal)
days = st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 12, 31))


@given(
    st.lists(st.tuples(days, amounts), max_size=12),
    amounts,
    days,
    st.integers(min_value=1, max_value=12),
)
def test_the_result_is_the_tightest_of_all_periods_that_hold_the_new_grant(
    raw, amount, granted_on, month
):
    grants = [Grant(day, value) for day, value in raw]
    result = assess_de_minimis(grants, amount, granted_on, fiscal_year_start_month=month)
    # Brute force: every period ending on the new grant or a later grant that includes it.
    worst = None
    for end in [granted_on] + [g.granted_on for g in grants if g.granted_on > granted_on]:
        start = window_start(end, fiscal_year_start_month=month)
        if start <= granted_on:
            before = sum((g.amount for g in grants if start <= g.granted_on <= end), Decimal(0))
            room = regime_for(end).ceiling - before - amount
            worst = room if worst is None else min(worst, room)
    assert result.ceiling - result.before - amount == worst
    assert (result.status is Status.OVER) == (worst < 0)


def test_cli_reads_a_check_and_writes_the_assessment(tmp_path):
    check = {
        "granted_on": "2024-06-01",
        "amount": "60000",
        "grants": [{"granted_on": "2024-01-10", "amount": "250000"}],
    }
    path = tmp_path / "check.json"
    path.write_text(json.dumps(check))
    result = subprocess.run(
        [sys.executable, "-m", "metacluster.core.aid", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(result.stdout)
    assert out["status"] == "over"
    assert out["total"] == "310000"
    assert out["window_start"] == "2021-06-02"


def test_cli_refuses_a_bad_date_with_one_line(tmp_path):
    path = tmp_path / "check.json"
    path.write_text(json.dumps({"granted_on": "yesterday", "amount": 1}))
    result = subprocess.run(
        [sys.executable, "-m", "metacluster.core.aid", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "granted_on" in result.stderr


def test_a_grant_exactly_three_years_back_is_outside_the_rolling_period():
    # "Any period of three years": 2024-06-01 .. 2027-05-31 and 2024-06-02 .. 2027-06-01 are
    # both such periods; the grant of 2024-06-01 is not in the second.
    assert window_start(date(2027, 6, 1)) - date(2024, 6, 1) == timedelta(days=1)


def test_dates_at_the_ends_of_the_calendar_do_not_fail():
    assert window_start(date(1, 1, 1)) == date.min
    assert window_start(date(2, 3, 1)) == date.min
    assert retention_until(date(9995, 1, 1)) == date.max
