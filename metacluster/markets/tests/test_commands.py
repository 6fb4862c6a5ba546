import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from metacluster.core.markets.generate import generate_trade, write_trade


@pytest.mark.django_db
def test_rank_markets_prints_the_documented_shape():
    out = StringIO()
    call_command("rank_markets", "--home", "SE", "--offering", "ict-services", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"home", "offering", "markets"}
    assert data["home"] == "SE" and data["offering"] == "ict-services"
    scores = [m["score"] for m in data["markets"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    codes = {m["country"] for m in data["markets"]}
    assert "SWE" not in codes and not codes & {"WLD", "EUU", "EMU", "OED"}
    for market in data["markets"]:
        assert set(market) == {"country", "name", "score", "components"}
        for component in market["components"].values():
            assert set(component) == {"value", "year", "points"}


@pytest.mark.django_db
def test_rank_markets_refuses_bad_weights():
    with pytest.raises(CommandError) as error:
        call_command("rank_markets", "--home", "SE", "--offering", "goods", "--weight", "lpi=-2")
    assert error.value.returncode == 2


def test_export_potential_command(tmp_path):
    path = tmp_path / "trade.csv"
    write_trade(path, generate_trade(5000, products=3, seed=2))
    first = path.read_text().splitlines()[1].split(",")
    out = StringIO()
    call_command(
        "export_potential",
        "--trade",
        str(path),
        "--exporter",
        first[1],
        "--product",
        first[3],
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["markets"] and data["supply"] > 0


TARIFFS = """reporter,product,year,tariff,source
USA,,2021,3.5,WITS test
USA,,2022,3.3,WITS test
JPN,,2022,12.0,WITS test
JPN,85,2022,0,WITS test
DEU,,2022,25,WITS test
XXK,,2022,4,WITS test
"""


def goods_ranking(*extra):
    out = StringIO()
    call_command(
        "rank_markets", "--home", "SE", "--offering", "goods", "--details", *extra, stdout=out
    )
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_goods_ranking_weighs_loaded_tariffs_and_treats_the_rest_as_missing(tmp_path):
    assert "tariff" not in goods_ranking()["markets"][0]["components"]  # nothing loaded
    path = tmp_path / "tariffs.csv"
    path.write_text(TARIFFS)
    out = StringIO()
    call_command("load_tariffs", str(path), stdout=out)
    assert "5 tariffs stored" in out.getvalue() and "XXK" in out.getvalue()
    data = goods_ranking()
    assert data["weights"]["tariff"] == 10
    markets = {m["country"]: m["components"]["tariff"] for m in data["markets"]}
    # The newest all-products rate; 0 % scores 100, 20 % or more scores 0.
    assert markets["USA"]["value"] == 3.3 and markets["USA"]["year"] == 2022
    assert markets["USA"]["points"] == pytest.approx(83.5)
    assert markets["DEU"]["points"] == 0
    assert markets["JPN"]["value"] == 12.0
    assert markets["CHN"]["missing"] and markets["CHN"]["points"] == 0
    assert "no figure" in markets["CHN"]["treatment"]
    # A product's chapter rate wins over the all-products one.
    by_product = goods_ranking("--product", "851712")
    japan = next(m for m in by_product["markets"] if m["country"] == "JPN")
    assert japan["components"]["tariff"]["value"] == 0
    assert "HS 85" in japan["components"]["tariff"]["source"]
    # ICT services do not weigh tariffs.
    out = StringIO()
    call_command("rank_markets", "--home", "SE", "--offering", "ict-services", stdout=out)
    assert "tariff" not in json.loads(out.getvalue())["markets"][0]["components"]


@pytest.mark.django_db
def test_a_bad_tariff_file_stores_nothing(tmp_path):
    from metacluster.markets.models import Tariff

    path = tmp_path / "tariffs.csv"
    path.write_text(TARIFFS + "FRA,,2022,lots,x\n")
    with pytest.raises(CommandError) as error:
        call_command("load_tariffs", str(path))
    assert error.value.returncode == 2 and "line 8" in str(error.value)
    assert not Tariff.objects.exists()


@pytest.mark.django_db
def test_load_trade_registers_a_dataset_whose_potential_matches_the_file(tmp_path, settings):
    from metacluster.core.markets.cli import baci_codes
    from metacluster.core.markets.potential import export_potential
    from metacluster.markets.models import TradeDataset

    settings.TRADE_DATA_DIR = tmp_path / "stores"
    path = tmp_path / "trade.csv"
    write_trade(path, generate_trade(20_000, products=5, seed=7))
    first = path.read_text().splitlines()[1].split(",")
    out = StringIO()
    call_command("load_trade", str(path), "--name", "Test", "--source", "generated", stdout=out)
    dataset = TradeDataset.objects.get(name="Test")
    assert dataset.rows == len(path.read_text().splitlines()) - 1  # every row
    assert f"dataset {dataset.pk}" in out.getvalue()
    from_file = export_potential(path, first[1], first[3], codes=baci_codes())
    from_store = export_potential(dataset.store_path(), first[1], first[3], codes=baci_codes())
    assert [m.market for m in from_store.markets] == [m.market for m in from_file.markets]
    for a, b in zip(from_store.markets, from_file.markets, strict=True):
        assert a.potential == pytest.approx(b.potential, rel=1e-12)
        assert a.untapped == pytest.approx(b.untapped, rel=1e-12, abs=1e-9)
    with pytest.raises(CommandError) as error:  # the name is taken
        call_command("load_trade", str(path), "--name", "Test", "--source", "generated")
    assert error.value.returncode == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError):
        call_command("load_trade", str(bad), "--name", "Bad", "--source", "x")
    assert TradeDataset.objects.count() == 1
    assert sorted(p.name for p in settings.TRADE_DATA_DIR.iterdir()) == [dataset.store]
