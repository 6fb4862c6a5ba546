"""The compiled BACI CSV reader: it reads plain BACI exactly as polars does, and declines
(returns None, so polars reads the file) anything outside that layout."""

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metacluster.core.markets import baci_csv
from metacluster.core.markets.generate import generate_trade, write_trade
from metacluster.core.markets.potential import TradeFileError, export_potential

HEADER = "t,i,j,k,v,q\n"


def cell(sums, year, market):
    """The sums of one (year, market) as a dict."""
    return dict(zip(baci_csv.SUMS, sums[year - baci_csv.FIRST_YEAR, market], strict=True))


def expected_totals(path, exporter, product):
    """The same sums computed by polars from the same file."""
    trade = pl.read_csv(path, null_values=["NA", ""]).with_columns(pl.col("v").fill_null(0.0))
    is_exporter, is_product = pl.col("i") == exporter, pl.col("k") == product
    return trade.group_by("t", "j").agg(
        pl.col("v").sum().alias("imports"),
        pl.col("v").filter(is_exporter).sum().alias("bilateral"),
        pl.col("v").filter(is_product).sum().alias("demand"),
        pl.col("v").filter(is_exporter & is_product).sum().alias("actual"),
        pl.len().cast(pl.Float64).alias("rows"),
    )


def write(tmp_path, text, name="trade.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def padded(text):
    """The text with filler rows after it (year 2000, market 999), so that its own rows are
    far enough from the end of the file to be read a word at a time, as most rows are."""
    filler = "2000,1,999,1,1,1" if "q" in text.splitlines()[0] else "2000,1,999,1,1"
    ending = "\r\n" if "\r\n" in text else "\n"
    return text + ending.join(filler for _ in range(20)) + ending


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Two years of generated BACI trade, with the exporter and product that trade most."""
    path = tmp_path_factory.mktemp("baci") / "baci.csv"
    write_trade(path, generate_trade(30_000, years=(2021, 2022), products=40, seed=11))
    raw = pl.read_csv(path, null_values="NA").filter(pl.col("t") == 2022)
    exporter = int(raw["i"].mode().sort()[0])
    product = int(raw.filter(pl.col("i") == exporter)["k"].mode().sort()[0])
    return path, exporter, product


@pytest.mark.parametrize("threads", [1, 2, 7])
@pytest.mark.parametrize("by_word", [True, False], ids=["by-word", "by-byte"])
def test_its_sums_are_the_ones_polars_computes(generated, threads, by_word):
    path, exporter, product = generated
    sums = baci_csv.totals(path, exporter, product, threads=threads, by_word=by_word)
    assert sums is not None
    expected = expected_totals(path, exporter, product)
    assert sums[:, :, -1].sum() == expected["rows"].sum()  # every row, whichever thread read it
    assert np.count_nonzero(sums[:, :, -1]) == expected.height
    for row in expected.iter_rows(named=True):
        got = cell(sums, row["t"], row["j"])
        for name in baci_csv.SUMS:
            assert got[name] == pytest.approx(row[name], rel=1e-12, abs=1e-9), (row, name)


@pytest.mark.parametrize("year", [None, 2021])
def test_export_potential_is_the_same_with_either_reader(generated, year):
    path, exporter, product = generated
    compiled = export_potential(path, str(exporter), str(product), year=year)
    general = export_potential(path, str(exporter), str(product), year=year, reader="polars")
    assert compiled.year == general.year == (year or 2022)
    assert compiled.to_json() == general.to_json()
    assert len(compiled.markets) > 10


@pytest.mark.parametrize(
    "text",
    [
        "t,i,j,k,v\n2022,752,276,851712,1.5\n2022,752,276,851712,2\n",  # no quantity column
        "t,i,j,k,v,q\r\n2022,752,276,851712,1.5,3\r\n2022,752,276,851712,2,NA\r\n",  # CRLF
        "t,i,j,k,v\r\n2022,752,276,851712,1.5\r\n2022,752,276,851712,2\r\n",
        "\ufefft,i,j,k,v,q\n2022,752,276,851712,1.5,\n2022,752,276,851712,2,0.1",  # BOM, no EOL
        '"t","i","j","k","v","q"\n2022,752,276,851712,1.5,1\n2022,752,276,0851712,2.,2\n',
        "t,i,j,k,v,q\n2022,752,276,851712,3.5,1\n2022,752,276,851712,-0,2\n",
    ],
    ids=[
        "no-q",
        "crlf",
        "crlf-no-q",
        "bom-and-no-final-newline",
        "quoted-header-leading-zero",
        "minus-zero",
    ],
)
@pytest.mark.parametrize("pad", [False, True], ids=["at-the-end", "mid-file"])
def test_it_reads_plain_baci_in_its_variants(tmp_path, text, pad):
    if pad and not text.endswith("\n"):
        text += "\n"
    sums = baci_csv.totals(write(tmp_path, padded(text) if pad else text), 752, 851712)
    assert sums is not None
    assert cell(sums, 2022, 276) == {
        "imports": 3.5,
        "bilateral": 3.5,
        "demand": 3.5,
        "actual": 3.5,
        "rows": 2,
    }


@pytest.mark.parametrize("pad", [False, True], ids=["at-the-end", "mid-file"])
def test_unknown_values_add_nothing_but_the_row_counts(tmp_path, pad):
    text = HEADER + "2022,752,276,851712,NA,1\n2022,752,276,100,,NA\n2022,156,276,100,.25,1\n"
    sums = baci_csv.totals(write(tmp_path, padded(text) if pad else text), 752, 851712)
    assert cell(sums, 2022, 276) == {
        "imports": 0.25,
        "bilateral": 0.0,
        "demand": 0.0,
        "actual": 0.0,
        "rows": 3,
    }


@pytest.mark.parametrize(
    "line",
    [
        "2022,SWE,DEU,851712,1.5,1",  # letter codes
        "2022,752,276,851712,1e3,1",  # an exponent
        '2022,752,276,851712,1.5,"1\n2"',  # a quoted field: it could hold a newline
        '2022,752,276,851712,1.5,"a\n2022,752,276,851712,9,1"',  # one that looks like a row
        "2022,752,276,851712x,1.5,1",  # a code with a letter after it
        "2022,752.5,276,851712,1.5,1",  # a decimal code
        "2022, 752,276,851712,1.5,1",  # padding
        "2022,752,1000,851712,1.5,1",  # a market code over 999
        "1850,752,276,851712,1.5,1",  # a year outside 1900–2099
        "2022,752,276,851712,123456789012345678,1",  # more digits than a double holds
        "2022,752,276,851712,+1.5,1",  # a plus sign
        "2022,752,276,851712,lots,1",  # not a number at all
        "2022,752,276,851712,1.5",  # a field short
        "",  # a blank line
        "2022,752,276,1234567890,1.5,1",  # a ten-digit code
    ],
)
@pytest.mark.parametrize("pad", [False, True], ids=["at-the-end", "mid-file"])
def test_it_declines_what_is_not_plain_baci(tmp_path, line, pad):
    text = HEADER + "2022,752,276,851712,1.5,1\n" + line + "\n2022,752,276,851712,2,1\n"
    assert baci_csv.totals(write(tmp_path, padded(text) if pad else text), 752, 851712) is None


@pytest.mark.parametrize(
    "path_text",
    ["a,b,c\n1,2,3\n", "t,i,j,k,v,q,extra\n2022,752,276,851712,1.5,1,x\n", ""],
)
def test_it_declines_other_headers_and_empty_files(tmp_path, path_text):
    assert baci_csv.totals(write(tmp_path, path_text), 752, 851712) is None


def test_it_declines_what_it_cannot_open_or_match(tmp_path):
    path = write(tmp_path, HEADER + "2022,752,276,851712,1.5,1\n")
    assert baci_csv.totals(tmp_path / "missing.csv", 752, 851712) is None
    assert baci_csv.totals(path, "SWE", 851712) is None
    assert baci_csv.totals(path, 10**20, 851712) is None


def test_a_header_alone_has_no_trade(tmp_path):
    sums = baci_csv.totals(write(tmp_path, HEADER), 752, 851712)
    assert sums is not None and not sums.any()


def test_every_split_of_a_small_file_gives_the_same_sums(tmp_path):
    lines = [f"2022,{i},{j},851712,{i * 0.5 + j},1" for i in range(1, 6) for j in range(1, 6)]
    path = write(tmp_path, HEADER + "\n".join(lines) + "\n")
    one = baci_csv.totals(path, 3, 851712, threads=1)
    for threads in range(2, 30):  # more threads than lines too
        assert np.array_equal(baci_csv.totals(path, 3, 851712, threads=threads), one)


def test_a_declined_file_still_gets_polars_and_its_error(tmp_path):
    path = write(tmp_path, HEADER + "2022,752,276,851712,lots,1\n")
    with pytest.raises(TradeFileError, match="cannot read"):
        export_potential(path, "752", "851712")
    letters = write(tmp_path, HEADER + "2022,SWE,DEU,851712,2,1\n2022,DEU,SWE,851712,1,1\n")
    result = export_potential(letters, "SWE", "851712")
    assert [m.market for m in result.markets] == ["DEU"]


def test_reader_must_be_known(generated):
    path, exporter, product = generated
    with pytest.raises(ValueError, match="reader"):
        export_potential(path, str(exporter), str(product), reader="pandas")


# Up to 16 significant digits (always under 2^53): what BACI writes (3 decimals) and longer
# ones, which the word-at-a-time path hands to the byte-at-a-time one.
decimal_text = st.builds(
    lambda whole, fraction, negative: ("-" if negative else "") + whole + fraction,
    st.text("0123456789", min_size=1, max_size=9),
    st.one_of(st.just(""), st.text("0123456789", max_size=7).map(lambda d: "." + d)),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(decimal_text, min_size=1, max_size=40), by_word=st.booleans())
def test_each_value_is_read_as_the_nearest_double(tmp_path_factory, values, by_word):
    # One row per market, so each market's sum is one parsed value: it must equal Python's.
    lines = [f"2022,752,{j},851712,{text},NA" for j, text in enumerate(values)]
    text = padded(HEADER + "\n".join(lines) + "\n")
    sums = baci_csv.totals(
        write(tmp_path_factory.mktemp("values"), text), 752, 851712, by_word=by_word
    )
    assert sums is not None
    assert [cell(sums, 2022, j)["imports"] for j in range(len(values))] == [
        float(text) for text in values
    ]
