"""Export potential on a hand-computed case, and BACI-layout files written by the generator."""

import polars as pl
import pytest

from metacluster.core.markets.generate import generate_trade, write_trade
from metacluster.core.markets.potential import TradeFileError, convert_trade, export_potential

# Exporter 752 (SWE); markets 276 (DEU), 842 (USA, BACI's code), 156 (CHN); product 851712.
ROWS = [
    # t, i, j, k, v
    (2022, 752, 276, 851712, 30.0),
    (2022, 752, 842, 851712, 10.0),
    (2022, 752, 276, 100, 60.0),  # other product to Germany (HS 000100)
    (2022, 156, 276, 851712, 90.0),
    (2022, 156, 842, 851712, 110.0),
    (2022, 156, 752, 851712, 50.0),
    (2022, 276, 842, 100, 200.0),
    (2022, 842, 156, 851712, 100.0),
    (2021, 752, 276, 851712, 999.0),  # another year: ignored
]
CODES = {752: "SWE", 276: "DEU", 842: "USA", 156: "CHN"}


def frame(rows=ROWS):
    return pl.DataFrame(rows, schema=["t", "i", "j", "k", "v"], orient="row")


def test_hand_computed_case():
    result = export_potential(frame(), "SWE", "851712", codes=CODES)
    # World exports of 851712 in 2022: 30+10+90+110+50+100 = 390; Sweden's 40: supply 40/390.
    assert result.year == 2022
    assert result.supply == pytest.approx(40 / 390)
    # All trade 650, Sweden's exports 100. Germany imports 180 of all goods, 120 of the product,
    # 90 from Sweden: ease = 90 / (100 · 180 / 650) = 3.25.
    germany = next(m for m in result.markets if m.market == "DEU")
    assert germany.ease == pytest.approx(3.25)
    assert germany.demand == 120
    assert germany.potential == pytest.approx(40 / 390 * 120 * 3.25)  # = 40.0
    assert germany.actual == 30
    assert germany.untapped == pytest.approx(10.0)
    # USA imports 320 in all, 120 of the product, 10 from Sweden: ease 10 / (100·320/650).
    usa = next(m for m in result.markets if m.market == "USA")
    assert usa.ease == pytest.approx(10 / (100 * 320 / 650))
    assert usa.potential == pytest.approx(40 / 390 * 120 * usa.ease)
    assert usa.untapped == 0  # sells more than the formula expects: nothing untapped
    # China buys the product but not from Sweden: ease 0, no potential the formula can see.
    china = next(m for m in result.markets if m.market == "CHN")
    assert china.ease == 0 and china.potential == 0
    # Sweden is not its own market; biggest potential first.
    assert [m.market for m in result.markets] == ["DEU", "USA", "CHN"]


def test_year_can_be_chosen_and_must_have_trade():
    result = export_potential(frame(), "752", "851712", year=2021, codes=CODES)
    assert result.supply == 1.0 and result.year == 2021
    with pytest.raises(TradeFileError, match="no trade"):
        export_potential(frame(), "SWE", "851712", year=1999, codes=CODES)


def test_it_refuses_a_product_the_exporter_does_not_export():
    with pytest.raises(TradeFileError, match="no exports"):
        export_potential(frame(), "SWE", "010121", codes=CODES)


@pytest.mark.parametrize("product", ["85171", "8517120", "abcdef", ""])
def test_it_refuses_a_malformed_product(product):
    if product == "85171":  # five digits is BACI's form of 085171: valid, but not traded here
        with pytest.raises(TradeFileError, match="no exports"):
            export_potential(frame(), "SWE", product, codes=CODES)
    else:
        with pytest.raises(TradeFileError, match="HS6"):
            export_potential(frame(), "SWE", product, codes=CODES)


def test_it_reads_a_generated_baci_file(tmp_path):
    path = tmp_path / "baci.csv"
    write_trade(path, generate_trade(20_000, years=(2021, 2022), products=50, seed=3))
    header = path.read_text().splitlines()[0]
    assert header == "t,i,j,k,v,q"
    assert "NA" in path.read_text()  # unknown quantities, as BACI writes them
    raw = pl.read_csv(path, null_values="NA")
    exporter = raw.filter(pl.col("t") == 2022)["i"].mode()[0]
    product = raw.filter((pl.col("t") == 2022) & (pl.col("i") == exporter))["k"][0]
    result = export_potential(path, str(exporter), str(product))
    assert result.year == 2022
    # Recompute the totals independently with plain Python.
    rows = [r for r in raw.iter_rows(named=True) if r["t"] == 2022]
    world_k = sum(r["v"] for r in rows if r["k"] == product)
    exports_k = sum(r["v"] for r in rows if r["k"] == product and r["i"] == exporter)
    assert result.supply == pytest.approx(exports_k / world_k)
    for market in result.markets[:5]:
        j = int(market.market)
        actual = sum(
            r["v"] for r in rows if r["k"] == product and r["i"] == exporter and r["j"] == j
        )
        assert market.actual == pytest.approx(actual)
        assert market.untapped == pytest.approx(max(market.potential - actual, 0))


def test_iso3_exporter_on_a_numeric_file(tmp_path):
    path = tmp_path / "baci.csv"
    frame().write_csv(path)
    result = export_potential(path, "USA", "851712", codes={840: "USA", 842: "USA", **CODES})
    # BACI's 842, not ISO's 840, is what the file uses for the United States.
    assert result.exporter == "USA" and result.exports == 100


def test_letter_codes_work_too():
    rows = [(t, CODES[i], CODES[j], k, v) for t, i, j, k, v in ROWS]
    result = export_potential(frame(rows), "SWE", "851712")
    assert [m.market for m in result.markets] == ["DEU", "USA", "CHN"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("a,b,c\n1,2,3\n", "lacks the column"),
        ("t,i,j,k,v,q\n2022,752,276,851712,lots,1\n", "cannot read"),
    ],
)
def test_it_refuses_files_that_are_not_baci(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(TradeFileError, match=message):
        export_potential(path, "752", "851712")


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(TradeFileError, match="no such file"):
        export_potential(tmp_path / "nope.csv", "SWE", "851712")


def test_parquet_conversion_gives_the_same_potentials(tmp_path):
    csv = tmp_path / "baci.csv"
    write_trade(csv, generate_trade(20_000, years=(2021, 2022), products=30, seed=5))
    raw = pl.read_csv(csv, null_values="NA").filter(pl.col("t") == 2022)
    exporter = raw["i"].mode()[0]
    product = raw.filter(pl.col("i") == exporter)["k"][0]
    parquet = tmp_path / "baci.parquet"
    assert convert_trade(csv, parquet) == pl.read_csv(csv, null_values="NA").height
    from_csv = export_potential(csv, str(exporter), str(product))
    from_parquet = export_potential(parquet, str(exporter), str(product))
    assert [m.to_json() for m in from_parquet.markets] == [m.to_json() for m in from_csv.markets]


def test_failed_conversion_leaves_no_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(TradeFileError):
        convert_trade(bad, tmp_path / "out.parquet")
    assert list(tmp_path.iterdir()) == [bad]


def test_a_store_gives_the_same_potentials_as_the_file(tmp_path):
    from metacluster.core.markets.potential import build_store, is_store

    path = tmp_path / "trade.csv"
    frame().write_csv(path)
    meta = build_store(path, tmp_path / "store")
    assert is_store(tmp_path / "store") and not is_store(path)
    assert meta["rows"] == len(ROWS) and meta["years"] == [2021, 2022] and meta["numeric"]
    for year in (None, 2021):
        from_file = export_potential(path, "SWE", "851712", codes=CODES, year=year)
        from_store = export_potential(tmp_path / "store", "SWE", "851712", codes=CODES, year=year)
        assert from_store.year == from_file.year and from_store.supply == from_file.supply
        assert [m.to_json() for m in from_store.markets] == [m.to_json() for m in from_file.markets]
    with pytest.raises(TradeFileError, match="no exports"):
        export_potential(tmp_path / "store", "SWE", "100000", codes=CODES)


def test_a_store_of_a_bad_file_is_not_written(tmp_path):
    from metacluster.core.markets.potential import build_store

    bad = tmp_path / "bad.csv"
    bad.write_text("t,i,j,k,v\n2022,1,2,3,lots\n")
    with pytest.raises(TradeFileError):
        build_store(bad, tmp_path / "store")
    assert not (tmp_path / "store").exists() and not list(tmp_path.glob("store*"))
