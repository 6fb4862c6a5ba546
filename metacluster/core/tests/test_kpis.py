"""Specification of metacluster.core.kpis: indicator figures from dated facts.

Plain pytest, no Django: the core module must never need a database.
"""

import doctest
import json
import random
import subprocess
import sys
from datetime import date, timedelta

import pytest

from metacluster.core import kpis
from metacluster.core.kpis import Fact, aggregate, months_between

START = date(2020, 1, 1)
END = date(2020, 6, 30)


def series(figures) -> dict[str, int]:
    return dict(figures.by_month)


# --- months_between ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # one day: one month
        (date(2020, 5, 17), date(2020, 5, 17), [(2020, 5)]),
        # partial months at both ends are still whole calendar months
        (date(2020, 1, 31), date(2020, 3, 1), [(2020, 1), (2020, 2), (2020, 3)]),
        # December rolls over into January of the next year
        (
            date(2019, 11, 15),
            date(2020, 2, 3),
            [(2019, 11), (2019, 12), (2020, 1), (2020, 2)],
        ),
        # end before start: no months at all
        (date(2020, 3, 1), date(2020, 2, 28), []),
    ],
)
def test_months_between_lists_calendar_months_inclusively(start, end, expected):
    assert months_between(start, end) == expected


def test_months_between_covers_a_four_year_programme():
    months = months_between(date(2015, 9, 1), date(2019, 8, 31))

    assert len(months) == 48
    assert len(set(months)) == 48
    assert months == sorted(months)


# --- aggregate: counting ----------------------------------------------------------------------


def test_it_counts_distinct_keys():
    facts = [Fact("a", date(2020, 1, 5)), Fact("a", date(2020, 2, 5)), Fact("b", date(2020, 3, 5))]

    assert aggregate(facts, start=START, end=END).achieved == 2


def test_a_key_counts_once_in_total_but_once_in_each_partner():
    # A company supported by two partners: per-partner figures need not add up to the total.
    facts = [
        Fact("a", date(2020, 1, 5)),
        Fact("a", date(2020, 1, 5), partner="SE"),
        Fact("a", date(2020, 2, 5), partner="EE"),
    ]

    figures = aggregate(facts, start=START, end=END)

    assert figures.achieved == 1
    assert figures.by_partner == {"SE": 1, "EE": 1}


def test_partner_facts_do_not_count_in_the_total():
    figures = aggregate([Fact("a", date(2020, 1, 5), partner="SE")], start=START, end=END)

    assert figures.achieved == 0
    assert figures.by_partner == {"SE": 1}
    assert figures.by_month[-1] == ("2020-06", 0)


def test_a_partner_counts_each_of_its_keys_once():
    facts = [Fact(key, date(2020, 1, 5), partner="SE") for key in ("a", "a", "b")]

    assert aggregate(facts, start=START, end=END).by_partner == {"SE": 2}


@pytest.mark.parametrize(
    "dates",
    [
        # earliest first
        [date(2020, 2, 1), date(2020, 4, 1)],
        # earliest last: input order must not matter
        [date(2020, 4, 1), date(2020, 2, 1)],
        # earliest in the middle
        [date(2020, 5, 1), date(2020, 2, 1), date(2020, 3, 1)],
    ],
)
def test_the_earliest_date_of_a_key_wins(dates):
    figures = aggregate([Fact("a", on) for on in dates], start=START, end=END)

    assert figures.first_counted == {"a": date(2020, 2, 1)}
    assert series(figures)["2020-01"] == 0
    assert series(figures)["2020-02"] == 1


def test_empty_input_gives_zero_everywhere():
    figures = aggregate([], start=START, end=END)

    assert figures.achieved == 0
    assert figures.by_partner == {}
    assert figures.first_counted == {}
    assert figures.by_month == [(f"2020-{m:02d}", 0) for m in range(1, 7)]


def test_it_accepts_any_iterable_of_facts():
    facts = (Fact(key, date(2020, 1, 5)) for key in "abc")

    assert aggregate(facts, start=START, end=END).achieved == 3


# --- aggregate: the monthly series ------------------------------------------------------------


def test_the_series_is_cumulative_by_month():
    facts = [
        Fact("a", date(2020, 1, 31)),
        Fact("b", date(2020, 3, 1)),
        Fact("c", date(2020, 3, 31)),
    ]

    figures = aggregate(facts, start=START, end=END)

    assert figures.by_month == [
        ("2020-01", 1),
        ("2020-02", 1),
        ("2020-03", 3),
        ("2020-04", 3),
        ("2020-05", 3),
        ("2020-06", 3),
    ]


def test_a_fact_before_the_start_counts_in_the_first_month():
    figures = aggregate([Fact("a", date(2019, 6, 1))], start=START, end=END)

    assert figures.by_month[0] == ("2020-01", 1)
    # The date it really started to count is kept for the records behind the figure.
    assert figures.first_counted == {"a": date(2019, 6, 1)}


def test_a_fact_after_the_end_counts_in_the_last_month():
    figures = aggregate([Fact("a", date(2021, 6, 1))], start=START, end=END)

    assert figures.by_month[-2] == ("2020-05", 0)
    assert figures.by_month[-1] == ("2020-06", 1)
    assert figures.achieved == 1


def test_a_fact_later_in_the_last_month_than_the_end_day_counts_in_that_month():
    # The end is a day, but the series is by month: 30 June and 15 June are the same month.
    figures = aggregate([Fact("a", date(2020, 6, 30))], start=START, end=date(2020, 6, 15))

    assert figures.by_month[-1] == ("2020-06", 1)


def test_the_series_crosses_the_new_year():
    facts = [Fact("a", date(2019, 12, 31)), Fact("b", date(2020, 1, 1))]

    figures = aggregate(facts, start=date(2019, 11, 1), end=date(2020, 2, 29))

    assert figures.by_month == [
        ("2019-11", 0),
        ("2019-12", 1),
        ("2020-01", 2),
        ("2020-02", 2),
    ]


def test_an_end_before_the_start_gives_no_series_but_still_counts():
    facts = [Fact("a", date(2020, 1, 5)), Fact("a", date(2020, 1, 5), partner="SE")]

    figures = aggregate(facts, start=END, end=START)

    assert figures.by_month == []
    assert figures.achieved == 1
    assert figures.by_partner == {"SE": 1}


def test_to_json_gives_plain_json_without_first_counted():
    facts = [Fact("a", date(2020, 1, 5)), Fact("a", date(2020, 1, 5), partner=7)]

    data = aggregate(facts, start=START, end=date(2020, 2, 1)).to_json()

    assert data == {
        "achieved": 1,
        # JSON object keys are strings, so partner ids become strings.
        "by_partner": {"7": 1},
        "by_month": [["2020-01", 1], ["2020-02", 1]],
    }
    assert json.loads(json.dumps(data)) == data


# --- aggregate: invariants on random inputs ---------------------------------------------------
# hypothesis is not installed in the project's venv, so the properties are checked on seeded
# random inputs instead: deterministic, and each seed is its own test case.


def random_facts(rng: random.Random, start: date, end: date) -> list[Fact]:
    span = (end - start).days
    facts = []
    for _ in range(rng.randint(0, 60)):
        # Dates reach a year either side of the period to exercise the clamping.
        on = start + timedelta(days=rng.randint(-365, span + 365))
        partner = rng.choice([None, None, "SE", "EE", "LV"])
        facts.append(Fact(rng.randint(0, 25), on, partner))
    return facts


@pytest.mark.parametrize("seed", range(40))
def test_invariants_hold_on_random_facts(seed):
    rng = random.Random(seed)
    start = date(2019, 1, 1) + timedelta(days=rng.randint(0, 700))
    end = start + timedelta(days=rng.randint(0, 1500))
    facts = random_facts(rng, start, end)

    figures = aggregate(facts, start=start, end=end)

    values = [value for _, value in figures.by_month]
    totals = [f for f in facts if f.partner is None]
    # One point per calendar month of the period, in order.
    assert [label for label, _ in figures.by_month] == [
        f"{y:04d}-{m:02d}" for y, m in months_between(start, end)
    ]
    # The series never goes down and ends at the achieved value.
    assert all(a <= b for a, b in zip(values, values[1:], strict=False))
    assert values[-1] == figures.achieved
    # Achieved is the number of distinct keys; each partner counts its own distinct keys.
    assert figures.achieved == len({f.key for f in totals})
    for partner in ("SE", "EE", "LV"):
        keys = {f.key for f in facts if f.partner == partner}
        assert figures.by_partner.get(partner, 0) == len(keys)
    # Each key is counted from its earliest date.
    assert figures.first_counted == {
        key: min(f.on for f in totals if f.key == key) for key in {f.key for f in totals}
    }


@pytest.mark.parametrize("seed", range(10))
def test_the_result_does_not_depend_on_the_order_of_facts(seed):
    rng = random.Random(seed)
    facts = random_facts(rng, START, END)
    shuffled = facts[:]
    rng.shuffle(shuffled)

    assert aggregate(facts, start=START, end=END) == aggregate(shuffled, start=START, end=END)


# --- documentation and command line -----------------------------------------------------------


def test_the_docstring_example_runs():
    result = doctest.testmod(kpis)

    assert result.attempted > 0
    assert result.failed == 0


@pytest.fixture
def facts_file(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(
        json.dumps(
            [
                {"key": "a", "on": "2020-01-05"},
                {"key": "a", "on": "2020-03-01"},
                {"key": "b", "on": "2020-02-09"},
                {"key": "a", "on": "2020-01-05", "partner": "SE"},
            ]
        ),
        encoding="utf-8",
    )
    return path


EXPECTED = {
    "achieved": 2,
    "by_partner": {"SE": 1},
    "by_month": [["2020-01", 1], ["2020-02", 2], ["2020-03", 2]],
}


def test_the_command_reads_a_json_file_and_prints_json(facts_file):
    completed = subprocess.run(
        [sys.executable, "-m", "metacluster.core.kpis", str(facts_file)]
        + ["--start", "2020-01-01", "--end", "2020-03-31"],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == EXPECTED


def test_the_command_writes_to_an_output_file(facts_file, tmp_path, capsys):
    output = tmp_path / "figures.json"

    code = kpis._main(
        [str(facts_file), "--start", "2020-01-01", "--end", "2020-03-31", "--output", str(output)]
    )

    assert code == 0
    assert json.loads(output.read_text(encoding="utf-8")) == EXPECTED
    assert capsys.readouterr().out == ""


def test_the_command_reads_standard_input(facts_file, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", facts_file.open(encoding="utf-8"))

    code = kpis._main(["-", "--start", "2020-01-01", "--end", "2020-03-31"])

    assert code == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED


@pytest.mark.parametrize(
    "content",
    [
        # not JSON at all
        "this is not json",
        # truncated JSON
        '[{"key": "a", "on": "2020-01-05"',
        # a fact without a date
        '[{"key": "a"}]',
        # a fact without a key
        '[{"on": "2020-01-05"}]',
        # a date that is not ISO 8601
        '[{"key": "a", "on": "05/01/2020"}]',
        # an impossible date
        '[{"key": "a", "on": "2020-02-30"}]',
        # a date that is not a string
        '[{"key": "a", "on": 20200105}]',
        # an object instead of a list of facts
        '{"key": "a", "on": "2020-01-05"}',
        # a list of something other than facts
        "[1, 2, 3]",
    ],
)
def test_the_command_exits_2_with_a_clear_error_on_malformed_facts(tmp_path, capsys, content):
    path = tmp_path / "facts.json"
    path.write_text(content, encoding="utf-8")

    code = kpis._main([str(path), "--start", "2020-01-01", "--end", "2020-03-31"])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("error: cannot read facts:")
    assert captured.out == ""


@pytest.mark.parametrize(
    "content",
    [
        # a key that is a list
        '[{"key": ["a"], "on": "2020-01-05"}]',
        # a partner that is an object
        '[{"key": "a", "on": "2020-01-05", "partner": {"id": 1}}]',
    ],
)
def test_the_command_exits_2_on_unhashable_keys(tmp_path, capsys, content):
    path = tmp_path / "facts.json"
    path.write_text(content, encoding="utf-8")

    code = kpis._main([str(path), "--start", "2020-01-01", "--end", "2020-03-31"])

    assert code == 2
    assert capsys.readouterr().err.startswith("error: cannot read facts:")


def test_the_command_exits_2_when_the_file_is_missing(tmp_path, capsys):
    code = kpis._main(
        [str(tmp_path / "missing.json"), "--start", "2020-01-01", "--end", "2020-03-31"]
    )

    assert code == 2
    assert "error: cannot read facts:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "dates",
    [
        # --start is not a date
        ["--start", "January 2020", "--end", "2020-03-31"],
        # --end is missing
        ["--start", "2020-01-01"],
    ],
)
def test_the_command_exits_2_on_bad_arguments(facts_file, capsys, dates):
    with pytest.raises(SystemExit) as exit_info:
        kpis._main([str(facts_file), *dates])

    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err
