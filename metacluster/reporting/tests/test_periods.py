"""Period maths: months from the programme start, clipped at month ends, contiguous."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metacluster.reporting.periods import add_months, split_into_periods


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2020, 1, 31), 1, date(2020, 2, 29)),  # leap year: clipped to the 29th
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2020, 8, 31), 6, date(2021, 2, 28)),
        (date(2020, 3, 31), 6, date(2020, 9, 30)),
        (date(2020, 11, 15), 3, date(2021, 2, 15)),  # across the new year
        (date(2020, 5, 31), -3, date(2020, 2, 29)),
        (date(2019, 12, 31), 12, date(2020, 12, 31)),
    ],
)
def test_adding_months_clips_to_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_half_years_from_the_first_of_january():
    assert split_into_periods(date(2020, 1, 1), date(2021, 12, 31), 6) == [
        (date(2020, 1, 1), date(2020, 6, 30)),
        (date(2020, 7, 1), date(2020, 12, 31)),
        (date(2021, 1, 1), date(2021, 6, 30)),
        (date(2021, 7, 1), date(2021, 12, 31)),
    ]


def test_a_start_at_the_end_of_a_month_does_not_drift_towards_the_28th():
    # Each period start is counted from the programme start, not from the previous period.
    periods = split_into_periods(date(2020, 1, 31), date(2020, 5, 30), 1)
    assert periods == [
        (date(2020, 1, 31), date(2020, 2, 28)),
        (date(2020, 2, 29), date(2020, 3, 30)),
        (date(2020, 3, 31), date(2020, 4, 29)),
        (date(2020, 4, 30), date(2020, 5, 30)),
    ]


def test_the_last_period_ends_with_the_programme_however_short():
    # ICT Meta Cluster: 1 September 2015 to 28 February 2019.
    periods = split_into_periods(date(2015, 9, 1), date(2019, 2, 28), 6)
    assert len(periods) == 7
    assert periods[-1] == (date(2018, 9, 1), date(2019, 2, 28))
    assert split_into_periods(date(2020, 1, 1), date(2020, 1, 10), 6) == [
        (date(2020, 1, 1), date(2020, 1, 10))
    ]


def test_no_periods_for_an_empty_range_and_none_of_zero_months():
    assert split_into_periods(date(2020, 2, 1), date(2020, 1, 1), 6) == []
    with pytest.raises(ValueError):
        split_into_periods(date(2020, 1, 1), date(2020, 12, 31), 0)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    days=st.integers(min_value=0, max_value=3000),
    months=st.integers(min_value=1, max_value=24),
)
def test_periods_cover_the_range_without_gaps_or_overlaps(start, days, months):
    end = start + timedelta(days=days)
    periods = split_into_periods(start, end, months)
    assert periods[0][0] == start
    assert periods[-1][1] == end
    for (_, previous_end), (next_start, _) in zip(periods, periods[1:], strict=False):
        assert next_start == previous_end + timedelta(days=1)
    assert all(first <= last for first, last in periods)
