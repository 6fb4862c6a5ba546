import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from metacluster.core.markets.generate import generate_trade, write_trade


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
