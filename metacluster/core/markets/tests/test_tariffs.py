"""Tariff files, the rate a ranking uses, and the tariff indicator in goods rankings."""

import pytest

from metacluster.core.markets import load, rank
from metacluster.core.markets.data import Observation
from metacluster.core.markets.tariffs import (
    TariffFileError,
    TariffRate,
    best_rate,
    read_tariffs,
)

FILE = """reporter,product,year,tariff,source
USA,,2022,3.3,WITS
USA,85,2022,1.5,WITS
USA,851712,2021,0,WITS
JPN,total,2020,4.0,
"""


def test_reads_rows_with_products_normalised_and_a_default_source():
    rates = read_tariffs(FILE, default_source="my.csv")
    assert rates[0] == TariffRate("USA", "", 2022, 3.3, "WITS")
    assert rates[2].product == "851712" and rates[3].product == ""
    assert rates[3].source == "my.csv"


def test_reads_wits_headers():
    text = "Reporter ISO3,ProductCode,Tariff Year,Simple Average\nDEU,8517,2022,2\n"
    with pytest.raises(TariffFileError, match="line 2"):  # four digits: neither HS2 nor HS6
        read_tariffs(text)
    rates = read_tariffs(text.replace("8517", "85"))
    assert rates == [TariffRate("DEU", "85", 2022, 2.0, "tariff file")]


@pytest.mark.parametrize(
    "row, problem",
    [
        ("U1A,,2022,3,x", "country code"),
        ("USA,,20x2,3,x", "not a year"),
        ("USA,,2022,-1,x", "from 0"),
        ("USA,,2022,nan,x", "from 0"),
        ("USA,abc,2022,3,x", "HS2"),
    ],
)
def test_a_bad_row_is_named_by_its_line(row, problem):
    with pytest.raises(TariffFileError, match=f"line 3: .*{problem}"):
        read_tariffs("reporter,product,year,tariff,source\nUSA,,2022,1,x\n" + row + "\n")


def test_a_file_without_the_columns_or_rows_is_refused():
    with pytest.raises(TariffFileError, match="'tariff' column"):
        read_tariffs("reporter,year\nUSA,2022\n")
    with pytest.raises(TariffFileError, match="no rows"):
        read_tariffs("reporter,product,year,tariff\n")


def test_the_most_specific_rate_covering_the_product_is_used():
    rates = read_tariffs(FILE)
    assert best_rate(rates, "851712").value == 0  # its HS6 line
    assert best_rate(rates, "851790").value == 1.5  # its chapter
    assert best_rate(rates, "020130").value == 3.3  # all products
    assert best_rate(rates).value == 3.3 and "all products" in best_rate(rates).source
    japan = [r for r in rates if r.market == "JPN"]
    assert best_rate(japan, "851712") == Observation(4.0, 2020, "tariff file (all products)")
    assert best_rate([TariffRate("USA", "85", 2022, 1.0, "x")], "020130") is None


def test_goods_rankings_weigh_tariffs_only_when_there_are_some():
    table = load()
    without = rank(table, "SE", "goods")
    assert "tariff" not in without.weights or without.weights["tariff"] == 0
    with_tariffs = table.with_series(
        "tariff", {"USA": Observation(0.0, 2022, "t"), "CHN": Observation(20.0, 2022, "t")}
    )
    ranking = rank(with_tariffs, "SE", "goods")
    assert ranking.weights["tariff"] == 10
    usa, china = ranking.market("USA"), ranking.market("CHN")
    assert usa.components["tariff"].points == 100 and china.components["tariff"].points == 0
    japan = ranking.market("JPN").components["tariff"]
    assert japan.missing and japan.points == 0  # the zero policy, as for every indicator
    median = rank(with_tariffs, "SE", "goods", missing="median").market("JPN")
    assert median.components["tariff"].points == 50  # median of 100 and 0
    excluded = rank(with_tariffs, "SE", "goods", missing="exclude")
    assert {m.country.iso3 for m in excluded.markets} <= {"USA", "CHN"}
    # The shipped table itself is unchanged, and ICT services ignore tariffs.
    assert rank(table, "SE", "goods").weights.get("tariff", 0) == 0
    assert rank(with_tariffs, "SE", "ict-services").weights["tariff"] == 0
    # A user can switch tariffs off, or weigh them without any loaded (all missing).
    assert rank(with_tariffs, "SE", "goods", {"tariff": 0}).weights["tariff"] == 0
