import json

from metacluster.core.markets.cli import main
from metacluster.core.markets.generate import main as generate


def test_rank_prints_the_documented_json(capsys):
    assert (
        main(["rank", "--home", "SE", "--offering", "ict-services", "--json", "--limit", "3"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [m["score"] for m in data["markets"]] == sorted(
        (m["score"] for m in data["markets"]), reverse=True
    )


def test_rank_refuses_bad_weights_with_status_2(capsys):
    assert main(["rank", "--home", "SE", "--offering", "goods", "--weight", "lpi=-3"]) == 2
    assert "weights.lpi" in capsys.readouterr().err


def test_potential_on_a_generated_file(tmp_path, capsys):
    path = tmp_path / "trade.csv"
    assert (
        generate(["--rows", "5000", "--products", "5", "--output", str(path), "--seed", "1"]) == 0
    )
    lines = path.read_text().splitlines()[1:]
    exporter, product = lines[0].split(",")[1], lines[0].split(",")[3]
    assert (
        main(["potential", "--trade", str(path), "--exporter", exporter, "--product", product]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"exporter", "product", "year", "supply", "markets"}
    assert data["markets"] and all(m["untapped"] >= 0 for m in data["markets"])


def test_potential_reports_an_unreadable_file(tmp_path, capsys):
    assert (
        main(
            [
                "potential",
                "--trade",
                str(tmp_path / "x.csv"),
                "--exporter",
                "SWE",
                "--product",
                "851712",
            ]
        )
        == 2
    )
    assert "no such file" in capsys.readouterr().err


def test_store_once_then_ask_the_store(tmp_path, capsys):
    path = tmp_path / "trade.csv"
    generate(["--rows", "5000", "--products", "5", "--output", str(path), "--seed", "3"])
    exporter, _j, product = path.read_text().splitlines()[1].split(",")[1:4]
    question = ["--exporter", exporter, "--product", product]
    assert main(["potential", "--trade", str(path), *question]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["store", "--trade", str(path), "--output", str(tmp_path / "s")]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == len(path.read_text().splitlines()) - 1
    assert main(["potential", "--trade", str(tmp_path / "s"), *question]) == 0
    assert json.loads(capsys.readouterr().out) == from_file
    assert main(["store", "--trade", str(tmp_path / "nope.csv"), "--output", "x"]) == 2


def test_rank_with_a_tariff_file(tmp_path, capsys):
    tariffs = tmp_path / "tariffs.csv"
    tariffs.write_text("reporter,product,year,tariff\nUSA,,2022,2\nJPN,85,2022,0\n")
    args = ["rank", "--home", "SE", "--offering", "goods", "--details"]
    assert main([*args, "--tariffs", str(tariffs), "--product", "851712"]) == 0
    markets = {m["country"]: m for m in json.loads(capsys.readouterr().out)["markets"]}
    assert markets["USA"]["components"]["tariff"]["value"] == 2
    assert markets["JPN"]["components"]["tariff"]["value"] == 0
    tariffs.write_text("reporter,product,year,tariff\nUSA,,2022,much\n")
    assert main([*args, "--tariffs", str(tariffs)]) == 2
    assert "line 2" in capsys.readouterr().err
