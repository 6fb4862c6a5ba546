"""ITC-style export potential of one exporter and product, per market, from bilateral trade.

Input is trade in the CEPII BACI layout: CSV columns ``t,i,j,k,v,q`` (year, exporter, importer,
HS6 product, value in thousand US$, quantity in tonnes), one year ~11 million rows. Exporters
and importers are BACI's numeric country codes (ISO 3166 numeric, with BACI's own codes for a
few countries, see `BACI_CODES`) or ISO3 letters. Parquet files with the same columns work too.

For exporter i, product k and every market j, in the chosen year (the latest by default), with
X the trade values::

    supply_ik  = X_i·k / X_··k                 i's share of world exports of k
    demand_jk  = X_·jk                         j's imports of k (thousand US$)
    ease_ij    = X_ij· / (X_i·· · X_·j· / X_···)   actual over hypothetical i→j trade, all products
    potential  = supply_ik · demand_jk · ease_ij
    untapped   = max(potential − X_ijk, 0)

This is the structure of ITC's Export Potential Indicator (Decreux & Spies 2016, "Export
Potential Assessments: a methodology to identify export opportunities for developing
countries", ITC): potential exports = supply × demand × ease of trade, untapped = the part not
yet realised. Simplifications, stated so nobody mistakes this for ITC's figures: current rather
than GDP-projected supply and demand, no tariff or distance adjustment of demand, and no
rescaling of the potentials to the exporter's total supply. A market with no trade at all with
the exporter has ease 0 and so no potential: the formula cannot see opportunities that no
existing trade relation hints at.

Every total the formulas need is one of four sums per (year, market), taken in one pass over
the file. A plain numeric BACI CSV is read by a compiled loop that adds each row into those
sums as it parses it (`baci_csv`); any other file by polars, lazily and columnar: only the
needed columns are read, the year filter is pushed into the scan, and one group-by over (year,
market) with four conditional sums yields the same table. Parsing the text is most of that
cost and is the same for every question, so `build_store` converts a file once into a *trade
store* (rows sorted by product in Parquet, plus bilateral totals); `export_potential` given a
store reads only the totals and the product's row groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = [
    "BACI_CODES",
    "ExportPotential",
    "MarketPotential",
    "TradeFileError",
    "build_store",
    "convert_trade",
    "is_store",
    "export_potential",
    "iso3_from_baci",
]

# BACI (like UN Comtrade) uses its own numeric codes for a few countries instead of ISO 3166
# numeric: the reporter codes of the CEPII BACI country_codes file.
BACI_CODES = {251: "FRA", 579: "NOR", 699: "IND", 757: "CHE", 842: "USA", 490: "TWN"}


class TradeFileError(InputError):
    """The trade file cannot be read as BACI-layout data, or lacks what was asked for."""


@dataclass(frozen=True)
class MarketPotential:
    market: str  # ISO3, or BACI's code when it has no ISO3
    demand: float
    ease: float
    potential: float
    actual: float
    untapped: float

    @property
    def realised(self) -> float | None:
        """Actual exports as a share of the potential."""
        return self.actual / self.potential if self.potential else None

    def to_json(self) -> dict:
        return {
            "market": self.market,
            "demand": round(self.demand, 3),
            "ease": round(self.ease, 4),
            "potential": round(self.potential, 3),
            "actual": round(self.actual, 3),
            "untapped": round(self.untapped, 3),
            "realised": None if self.realised is None else round(self.realised, 4),
        }


@dataclass
class ExportPotential:
    exporter: str
    product: str
    year: int
    supply: float  # share of world exports of the product
    exports: float  # the exporter's exports of the product, thousand US$
    world_exports: float
    markets: list[MarketPotential]
    unit: str = "thousand US$"

    def to_json(self) -> dict:
        return {
            "exporter": self.exporter,
            "product": self.product,
            "year": self.year,
            "unit": self.unit,
            "supply": round(self.supply, 6),
            "exports": round(self.exports, 3),
            "world_exports": round(self.world_exports, 3),
            "potential": round(sum(m.potential for m in self.markets), 3),
            "untapped": round(sum(m.untapped for m in self.markets), 3),
            "markets": [m.to_json() for m in self.markets],
        }


def iso3_from_baci(numeric_to_iso3: dict[int, str]) -> dict[int, str]:
    """BACI numeric code → ISO3: ISO 3166 numeric codes with BACI's own codes added."""
    return {**numeric_to_iso3, **BACI_CODES}


def _scan(source, pl):
    """A lazy frame of t, i, j, k, v, and whether countries are numeric codes (BACI) or text.

    The first rows decide the column types, so a BACI file is read as integers throughout,
    which is several times faster than reading its codes as text."""
    if isinstance(source, pl.DataFrame | pl.LazyFrame):
        frame = source.lazy()
        schema = frame.collect_schema()
    else:
        path = Path(source)
        if not path.is_file():
            raise TradeFileError(f"no such file: {path}")
        try:
            if path.suffix == ".parquet":
                frame = pl.scan_parquet(path)
                schema = frame.collect_schema()
            else:
                head = pl.read_csv(path, n_rows=100, null_values=["NA", ""])
                schema = head.schema
                frame = None
        except (Exception, pl.exceptions.PanicException) as error:  # noqa: BLE001
            # polars reports unreadable input with many exception types, some of them panics.
            raise TradeFileError(f"cannot read the trade file: {error}") from None
    lacking = [c for c in ("t", "i", "j", "k", "v") if c not in schema]
    if lacking:
        raise TradeFileError(
            f"the trade file lacks the column(s) {', '.join(lacking)}; BACI's are t,i,j,k,v,q"
        )
    numeric = schema["i"].is_integer() and schema["j"].is_integer()
    country = pl.Int32 if numeric else pl.String
    if frame is None:
        dtypes = {"t": pl.Int32, "i": country, "j": country, "k": pl.Int32, "v": pl.Float64}
        frame = pl.scan_csv(
            path,
            schema_overrides={**dtypes, "q": pl.String} if "q" in schema else dtypes,
            null_values=["NA", ""],
        ).select("t", "i", "j", "k", "v")
    else:
        frame = frame.select(
            pl.col("t").cast(pl.Int32),
            pl.col("i").cast(country),
            pl.col("j").cast(country),
            pl.col("k").cast(pl.Int32),
            pl.col("v").cast(pl.Float64),
        )
    return frame, numeric


def export_potential(
    source,
    exporter: str,
    product: str,
    *,
    year: int | None = None,
    codes: dict[int, str] | None = None,
    reader: str = "auto",
) -> ExportPotential:
    """Supply, demand, ease, potential and untapped potential of `exporter` for `product`,
    per market, biggest potential first.

    Parameters
    ----------
    source : a path to a BACI-layout CSV (or Parquet) file, a trade store's directory
      (`build_store`), or a polars (Lazy)DataFrame.
    exporter : ISO3 ("SWE"), or the file's own code for it ("752").
    product : an HS6 code ("851712"; BACI drops the leading zero of chapters 01–09, so
      "010121" and "10121" are the same product).
    year : the year to use; the latest in the file by default.
    codes : numeric code → ISO3, for files with numeric country codes (BACI's); see
      `iso3_from_baci`. Markets are named by ISO3 where a code is known.
    reader : "auto" reads a plain numeric BACI CSV with the compiled reader (`baci_csv`) and
      anything else with polars; "polars" always uses polars (the two must agree: tests).

    Raises
    ------
    TradeFileError : unreadable file, missing columns, no such year, or no exports of the
      product by the exporter in that year.

    Notes
    -----
    From a file: one streaming pass, four conditional sums per (year, market); the totals
    are sums over that small table. A plain BACI CSV is read by a compiled loop that adds
    each row into those sums as it parses it (`baci_csv`, about 3× faster than polars' reader).
    O(rows) time, memory O(years × countries) beyond the read buffers. From a store:
    O(bilateral pairs + the product's row groups).
    """
    import polars as pl

    if reader not in ("auto", "polars"):
        raise InputError(f"reader must be 'auto' or 'polars', not {reader!r}")
    text = str(product).strip()
    if not (text.isdigit() and len(text) in (5, 6)):
        raise TradeFileError(f"{product!r} is not an HS6 product code (six digits)")
    product_code = int(text)
    if is_store(source):
        trade, numeric = None, _store_meta(Path(source))["numeric"]
    else:
        trade, numeric = _scan(source, pl)
    codes = codes or {}
    exporter_code = _exporter_code(exporter, numeric, codes)

    if is_store(source):
        summary = _store_summary(Path(source), product_code, exporter_code, year, pl)
    else:
        summary = None
        if numeric and reader != "polars":
            summary = _compiled_summary(source, product_code, exporter_code, year, pl)
        if summary is None:
            summary = _scan_summary(trade, product_code, exporter_code, year, pl)
    label = f"in {year}" if year is not None else "in the file"
    if summary.is_empty():
        raise TradeFileError(f"the trade file has no trade {label}")
    year = int(summary["t"].max())
    per_market = summary.filter(pl.col("t") == year)
    world, exports, world_k, exports_k = per_market.select(
        pl.col("imports", "bilateral", "demand", "actual").sum()
    ).row(0)
    if not world:
        raise TradeFileError(f"the trade file has no trade {label}")
    if not exports_k:
        raise TradeFileError(
            f"no exports of {text.zfill(6)} by {exporter} in {year}: the exporter has no supply"
        )
    supply = exports_k / world_k
    table = (
        per_market.filter((pl.col("demand") > 0) & (pl.col("j") != exporter_code))
        .with_columns((pl.col("bilateral") / (exports * pl.col("imports") / world)).alias("ease"))
        .with_columns((supply * pl.col("demand") * pl.col("ease")).alias("potential"))
        .with_columns(
            (pl.col("potential") - pl.col("actual")).clip(lower_bound=0).alias("untapped")
        )
        .sort(["potential", "j"], descending=[True, False])
    )
    markets = [
        MarketPotential(
            market=codes.get(row["j"], str(row["j"])),
            demand=row["demand"],
            ease=row["ease"],
            potential=row["potential"],
            actual=row["actual"],
            untapped=row["untapped"],
        )
        for row in table.iter_rows(named=True)
    ]
    return ExportPotential(
        exporter=codes.get(exporter_code, str(exporter_code)),
        product=text.zfill(6),
        year=year,
        supply=supply,
        exports=exports_k,
        world_exports=world_k,
        markets=markets,
    )


def _compiled_summary(source, product_code, exporter_code, year, pl):
    """The `_scan_summary` table from the compiled reader of plain numeric BACI CSV, or None
    when it does not read this file (then polars does, and words any error)."""
    import numpy as np

    try:
        from . import baci_csv
    except Exception:  # noqa: BLE001  (numba installed but unable to compile or cache here)
        return None
    sums = baci_csv.totals(source, exporter_code, product_code)
    if sums is None:
        return None
    years, markets = np.nonzero(sums[:, :, baci_csv.SUMS.index("rows")])
    cells = sums[years, markets]
    summary = pl.DataFrame(
        {
            "t": pl.Series(years + baci_csv.FIRST_YEAR, dtype=pl.Int32),
            "j": pl.Series(markets, dtype=pl.Int32),
            **{name: cells[:, n] for n, name in enumerate(baci_csv.SUMS[:4])},
        }
    )
    return summary if year is None else summary.filter(pl.col("t") == year)


def _scan_summary(trade, product_code, exporter_code, year, pl):
    """Per (year, market): all imports, those from the exporter, those of the product and
    those of the product from the exporter, in one streaming pass over the file."""
    if year is not None:
        trade = trade.filter(pl.col("t") == year)
    is_product, is_exporter = pl.col("k") == product_code, pl.col("i") == exporter_code
    value = pl.col("v")

    def part(condition):  # a conditional sum: cheaper than a filter inside the aggregation
        return pl.when(condition).then(value).otherwise(0.0).sum()

    summary = trade.group_by("t", "j").agg(
        value.sum().alias("imports"),
        part(is_exporter).alias("bilateral"),
        part(is_product).alias("demand"),
        part(is_product & is_exporter).alias("actual"),
    )
    try:
        return _collect(summary)
    except (Exception, pl.exceptions.PanicException) as error:  # noqa: BLE001
        raise TradeFileError(f"cannot read the trade file: {error}") from None


# A trade store: a directory that `build_store` writes once per data file, holding the rows
# sorted by product (so a product's rows are a few row groups that Parquet statistics find
# without reading the others) and the bilateral totals over all products.
STORE_META, STORE_ROWS, STORE_PAIRS = "store.json", "rows.parquet", "bilateral.parquet"
ROW_GROUP = 65_536


def is_store(source) -> bool:
    return isinstance(source, str | Path) and (Path(source) / STORE_META).is_file()


def _store_meta(directory: Path) -> dict:
    import json

    try:
        return json.loads((directory / STORE_META).read_text())
    except (OSError, ValueError) as error:
        raise TradeFileError(f"not a readable trade store: {directory}: {error}") from None


def _store_summary(directory: Path, product_code, exporter_code, year, pl):
    """The per (year, market) summary from a store: the bilateral totals (a few ten thousand
    rows a year) and only the product's rows, found by row-group statistics."""
    try:
        pairs = pl.scan_parquet(directory / STORE_PAIRS)
        rows = pl.scan_parquet(directory / STORE_ROWS)
        if year is not None:
            pairs, rows = pairs.filter(pl.col("t") == year), rows.filter(pl.col("t") == year)
        is_exporter = pl.col("i") == exporter_code
        totals = pairs.group_by("t", "j").agg(
            pl.col("v").sum().alias("imports"),
            pl.col("v").filter(is_exporter).sum().alias("bilateral"),
        )
        product = (
            rows.filter(pl.col("k") == product_code)
            .group_by("t", "j")
            .agg(
                pl.col("v").sum().alias("demand"),
                pl.col("v").filter(is_exporter).sum().alias("actual"),
            )
        )
        summary = totals.join(product, on=["t", "j"], how="left").with_columns(
            pl.col("demand", "actual").fill_null(0.0)
        )
        return summary.collect()
    except (Exception, pl.exceptions.PanicException) as error:  # noqa: BLE001
        raise TradeFileError(f"cannot read the trade store: {error}") from None


def build_store(source, directory) -> dict:
    """Convert a BACI-layout file once into a trade store that later questions read fast.

    Parsing the text is most of the cost of `export_potential` on a full BACI year and is the
    same for every exporter and product; the store pays it once. It holds the typed rows
    (t, i, j, k, v) sorted by year and product in Parquet with small row groups, and the
    bilateral totals per (year, exporter, importer). Written all or nothing; returns the
    store's description (rows, years, exporters, products, numeric codes or not)."""
    import json
    import shutil

    import polars as pl

    trade, numeric = _scan(source, pl)
    directory = Path(directory)
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        table = trade.sort("t", "k").collect()
        if table.is_empty():
            raise TradeFileError("the trade file has no rows")
        table.write_parquet(partial / STORE_ROWS, row_group_size=ROW_GROUP, statistics=True)
        pairs = table.group_by("t", "i", "j").agg(pl.col("v").sum()).sort("t", "i", "j")
        pairs.write_parquet(partial / STORE_PAIRS, statistics=True)
        meta = {
            "rows": table.height,
            "years": sorted(int(t) for t in table["t"].unique()),
            "numeric": numeric,
            "exporters": int(table["i"].n_unique()),
            "products": int(table["k"].n_unique()),
        }
        del table
    except TradeFileError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    except (Exception, pl.exceptions.PanicException) as error:  # noqa: BLE001
        shutil.rmtree(partial, ignore_errors=True)
        raise TradeFileError(f"cannot convert the trade file: {error}") from None
    (partial / STORE_META).write_text(json.dumps(meta))
    shutil.rmtree(directory, ignore_errors=True)
    partial.replace(directory)  # all or nothing: no half-written store under the final name
    return meta


def convert_trade(source, output) -> int:
    """Write a BACI-layout CSV as Parquet (columns t, i, j, k, v, typed), once per data year.

    Parsing the text is most of the cost of `export_potential` on a full BACI year; an advisor
    who asks about many exporters and products of the same year converts it once and points
    later calls at the Parquet file, which is read columnar and compressed. Returns the number
    of rows written. Raises TradeFileError as `export_potential` does."""
    import polars as pl

    trade, _numeric = _scan(source, pl)
    output = Path(output)
    partial = output.with_name(output.name + ".partial")
    try:
        trade.sink_parquet(partial)
        rows = pl.scan_parquet(partial).select(pl.len()).collect().item()
    except (Exception, pl.exceptions.PanicException) as error:  # noqa: BLE001
        partial.unlink(missing_ok=True)
        raise TradeFileError(f"cannot convert the trade file: {error}") from None
    partial.replace(output)  # all or nothing: no half-written file under the final name
    return rows


def _collect(frame):
    """Collect with polars' streaming engine, which reads the file in batches (less memory,
    better use of the cores); polars versions before it collect in memory."""
    try:
        return frame.collect(engine="streaming")
    except TypeError:
        return frame.collect()


def _exporter_code(exporter: str, numeric: bool, codes: dict[int, str]) -> int | str:
    text = str(exporter).strip().upper()
    if not numeric:
        return text
    if text.isdigit():
        return int(text)
    # BACI's own code wins where it has one (842 rather than ISO's 840 for the United States).
    matches = [code for code, iso3 in codes.items() if iso3 == text]
    baci = [code for code in matches if code in BACI_CODES]
    if not matches:
        raise TradeFileError(
            f"unknown exporter {exporter!r}: give an ISO3 code or the file's numeric code"
        )
    return (baci or matches)[0]
