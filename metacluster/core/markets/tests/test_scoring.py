"""Ranking formulas on small hand-computed cases, missing figures, filters and weights."""

import math

import pytest

from metacluster.core.markets import INDICATORS, InvalidRanking, load, points, rank
from metacluster.core.markets.data import Country, MarketData, Observation, Pair


def country(iso3, iso2, region="Europe", *, eu=False, zone="Europe/Stockholm"):
    return Country(iso3, iso2, iso3.title(), region, time_zone=zone, eu=eu)


@pytest.fixture
def tiny():
    """Home SWE and three markets with figures chosen so the points are easy to compute."""
    countries = {
        c.iso3: c
        for c in [
            country("SWE", "SE", eu=True),
            country("FIN", "FI", eu=True, zone="Europe/Helsinki"),
            country("USA", "US", "Americas", zone="America/New_York"),
            country("JPN", "JP", "Asia", zone="Asia/Tokyo"),
        ]
    }
    series = {
        # GDP 1e9, 1e11, 1e13: on the log scale 0, 50 and 100 points.
        ("FIN", "gdp"): [Observation(1e11, 2023, "WDI")],
        ("USA", "gdp"): [Observation(1e12, 2019, "WDI"), Observation(1e13, 2023, "WDI")],
        ("JPN", "gdp"): [Observation(1e9, 2023, "WDI")],
        ("FIN", "internet_users"): [Observation(90.0, 2020, "WDI")],
        ("USA", "internet_users"): [Observation(80.0, 2020, "WDI")],
        # Japan has no internet figure.
        ("FIN", "lpi"): [Observation(4.0, 2023, "LPI")],
    }
    pairs = {
        ("SWE", "FIN"): Pair(400.0, False, True),
        ("SWE", "USA"): Pair(4000.0, False, False),
        ("SWE", "JPN"): Pair(8000.0, False, False),
    }
    return MarketData(countries, series, pairs)


def test_points_follow_each_scale():
    # fixed: a share of the range; 80 % online is 80 points, LPI 4 of 1–5 is 75
    assert points(INDICATORS["internet_users"], 80.0, None, None) == 80.0
    assert points(INDICATORS["lpi"], 4.0, None, None) == 75.0
    # fixed scales clip: growth above the top of the range is still 100
    assert points(INDICATORS["gdp_growth_5y"], 15.0, None, None) == 100.0
    # log: 1e10 halfway between 1e8 and 1e12 in logarithms
    assert points(INDICATORS["gdp"], 1e10, 1e8, 1e12) == 50.0
    # lower is better: the nearest market gets 100, the farthest 0
    assert points(INDICATORS["distance"], 100.0, 100.0, 10_000.0) == 100.0
    assert points(INDICATORS["distance"], 10_000.0, 100.0, 10_000.0) == 0.0
    assert points(INDICATORS["common_language"], 1.0, None, None) == 100.0


def test_score_is_the_weighted_mean_of_points(tiny):
    ranking = rank(
        tiny, "SE", "ict-services", {k: 0 for k in INDICATORS} | {"gdp": 1, "internet_users": 3}
    )
    finland = ranking.market("FIN")
    # gdp 50 points (1e11 between 1e9 and 1e13), internet 90: (1·50 + 3·90) / 4 = 80
    assert finland.components["gdp"].points == 50.0
    assert finland.score == 80.0
    usa = ranking.market("USA")
    # the newest GDP figure (2023), not the 2019 one: (1·100 + 3·80) / 4 = 85
    assert usa.components["gdp"].year == 2023
    assert usa.score == 85.0
    assert [m.country.iso3 for m in ranking.markets][:2] == ["USA", "FIN"]


def test_missing_figure_scores_zero_and_says_so(tiny):
    weights = {k: 0 for k in INDICATORS} | {"gdp": 1, "internet_users": 1}
    japan = rank(tiny, "SE", "ict-services", weights).market("JPN")
    component = japan.components["internet_users"]
    assert component.missing and component.value is None and component.points == 0
    assert "scored 0" in component.treatment
    assert japan.missing == ["internet_users"]
    assert japan.coverage == 0.5
    assert japan.score == 0.0  # gdp 0 points too: the smallest economy


def test_missing_figure_never_ranks_a_market_first(tiny):
    # Only LPI is weighted and only Finland has one: the others are left out, not ranked above.
    weights = {k: 0 for k in INDICATORS} | {"lpi": 1}
    ranking = rank(tiny, "SE", "goods", weights)
    assert [m.country.iso3 for m in ranking.markets] == ["FIN"]
    reasons = {c.iso3: reason for c, reason in ranking.excluded}
    assert set(reasons) == {"USA", "JPN"}
    assert "lpi" in reasons["JPN"]


def test_median_policy_scores_the_median_of_known_points(tiny):
    weights = {k: 0 for k in INDICATORS} | {"gdp": 1, "internet_users": 1}
    japan = rank(tiny, "SE", "ict-services", weights, missing="median").market("JPN")
    # Finland 90 and the USA 80 points: median 85
    assert japan.components["internet_users"].points == 85.0
    assert "median" in japan.components["internet_users"].treatment


def test_exclude_policy_leaves_out_markets_with_gaps(tiny):
    weights = {k: 0 for k in INDICATORS} | {"gdp": 1, "internet_users": 1}
    ranking = rank(tiny, "SE", "ict-services", weights, missing="exclude")
    assert "JPN" not in [m.country.iso3 for m in ranking.markets]
    assert [c.iso3 for c, _ in ranking.excluded] == ["JPN"]


def test_filters_do_not_change_a_markets_points(tiny):
    weights = {k: 0 for k in INDICATORS} | {"gdp": 1}
    everyone = rank(tiny, "SE", "goods", weights)
    outside_eu = rank(tiny, "SE", "goods", weights, eu_efta="exclude")
    assert [m.country.iso3 for m in outside_eu.markets] == ["USA", "JPN"]
    assert outside_eu.market("USA").score == everyone.market("USA").score
    assert [
        m.country.iso3 for m in rank(tiny, "SE", "goods", weights, regions=["Asia"]).markets
    ] == ["JPN"]
    assert [m.country.iso3 for m in rank(tiny, "SE", "goods", weights, eu_efta="only").markets] == [
        "FIN"
    ]


def test_home_is_never_a_market(tiny):
    assert "SWE" not in [m.country.iso3 for m in rank(tiny, "SWE", "goods").markets]


@pytest.mark.parametrize(
    "weights, field",
    [
        ({"gdp": -1}, "weights.gdp"),  # negative
        ({"gdp": math.nan}, "weights.gdp"),  # not finite
        ({"gdp": 5000}, "weights.gdp"),  # above the maximum
        ({"gdp": "ten"}, "weights.gdp"),  # not a number
        ({"gdp": True}, "weights.gdp"),  # a boolean is not a weight
        ({"tariffs": 10}, "weights"),  # unknown indicator
        ({code: 0 for code in INDICATORS}, "weights"),  # all zero
    ],
)
def test_it_refuses_bad_weights(tiny, weights, field):
    with pytest.raises(InvalidRanking) as error:
        rank(tiny, "SE", "goods", weights)
    assert field in error.value.errors


def test_it_refuses_unknown_home_offering_region_and_policy(tiny):
    with pytest.raises(InvalidRanking) as error:
        rank(tiny, "XX", "services", regions=["Atlantis"], missing="guess", eu_efta="maybe")
    assert set(error.value.errors) == {"home", "offering", "regions", "missing", "eu_efta"}


def test_shipped_table_has_no_aggregates_as_markets():
    data = load()
    ranking = rank(data, "SE", "ict-services", missing="median", min_coverage=0)
    codes = {m.country.iso3 for m in ranking.markets}
    assert codes.isdisjoint({"WLD", "EUU", "EMU", "OED", "AFE", "HIC", "LMY", "ARB", "EAS"})
    assert codes <= {c.iso3 for c in data.countries.values()}
    assert len(codes) == len(data.countries) - 1  # every country but home


def test_shipped_ranking_breakdown_has_source_and_year():
    ranking = rank(load(), "SE", "goods")
    best = ranking.markets[0]
    assert 0 <= best.score <= 100
    assert ranking.markets == sorted(ranking.markets, key=lambda m: -m.score)
    lpi = best.components["lpi"]
    assert lpi.source.startswith("World Bank LPI") and lpi.year == 2023
    # A country without an LPI figure is flagged, not silently rewarded.
    for market in ranking.markets:
        if market.components["lpi"].missing:
            assert market.components["lpi"].points == 0
            assert market.components["lpi"].treatment


def test_cli_shape_is_exactly_as_documented():
    data = rank(load(), "SE", "ict-services").to_json()
    assert set(data) == {"home", "offering", "markets"}
    assert data["home"] == "SE" and data["offering"] == "ict-services"
    market = data["markets"][0]
    assert set(market) == {"country", "name", "score", "components"}
    assert len(market["country"]) == 3
    assert all(set(c) == {"value", "year", "points"} for c in market["components"].values())
