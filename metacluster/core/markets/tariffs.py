"""Applied tariffs per market, read from a WITS/TRAINS-like CSV, and the figure a ranking uses.

No tariff data ships with the project (WITS/TRAINS data are free to download but under the
World Bank's and UNCTAD's terms; see docs/MARKETS.md). A user who has such a file loads it;
the goods ranking then adds the `tariff` indicator (lower is better) for the markets it
covers, and treats the others with the ranking's missing-data policy.

The file: a header row and one row per market, product and year::

    reporter,product,year,tariff,source
    USA,,2022,3.3,WITS TRAINS simple average MFN applied
    USA,85,2022,1.2,WITS TRAINS
    JPN,851712,2022,0,WITS TRAINS

- ``reporter``: the market that applies the tariff, ISO3 (or ISO2) code;
- ``product``: empty or ``total``/``all`` for all products, an HS2 chapter (``85``) or an HS6
  product (``851712``; a five-digit code is an HS6 of chapters 01–09 without its leading zero);
- ``year``: the year the rate applies;
- ``tariff``: simple-average applied tariff in percent (0–1000);
- ``source`` (optional): where the figure comes from; the default names the file.

WITS's own export headers (``Reporter ISO3``/``Reporter``, ``Product``/``ProductCode``,
``Year``/``Tariff Year``, ``Simple Average``/``SimpleAverage``) are accepted as well.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from ..errors import InputError
from .data import Observation

__all__ = ["TariffFileError", "TariffRate", "best_rate", "normalise_product", "read_tariffs"]

ALL_PRODUCTS = ""
MAX_RATE = 1000.0
_COLUMNS = {
    "reporter": ("reporter", "reporter iso3", "reporteriso3", "reporter_iso3", "iso3"),
    "product": ("product", "productcode", "product code", "hs", "hs code"),
    "year": ("year", "tariff year", "tariffyear"),
    "tariff": ("tariff", "simple average", "simpleaverage", "simple_average", "rate"),
    "source": ("source",),
}


class TariffFileError(InputError):
    """The tariff file cannot be read; the message names the line and what is wrong."""


@dataclass(frozen=True)
class TariffRate:
    market: str  # as written in the file (ISO3 or ISO2), upper case
    product: str  # "" for all products, two digits (HS2) or six (HS6)
    year: int
    rate: float  # percent
    source: str


def normalise_product(text) -> str:
    """ "" for all products, "85" for a chapter, "010121" for an HS6 product; ValueError else.

    >>> normalise_product("10121"), normalise_product("total"), normalise_product("8")
    ('010121', '', '08')
    """
    code = str(text or "").strip().lower()
    if code in ("", "total", "all", "all products", "tot"):
        return ALL_PRODUCTS
    if not code.isdigit() or len(code) not in (1, 2, 5, 6):
        raise InputError(f"{text!r} is not an HS2 chapter or an HS6 product code")
    return code.zfill(2) if len(code) <= 2 else code.zfill(6)


def read_tariffs(text: str, default_source: str = "tariff file") -> list[TariffRate]:
    """Every row of a tariff CSV (its text), checked; TariffFileError on the first bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    columns = {}
    for column, names in _COLUMNS.items():
        found = next((header[n] for n in names if n in header), None)
        if found is None and column not in ("product", "source"):
            raise TariffFileError(
                f"the tariff file lacks a {column!r} column; "
                "expected reporter,product,year,tariff,source"
            )
        columns[column] = found
    rates = []
    for line, row in enumerate(reader, start=2):

        def cell(column, row=row):
            name = columns[column]
            return (row.get(name) or "").strip() if name else ""

        market = cell("reporter").upper()
        if not (market.isalpha() and len(market) in (2, 3)):
            raise TariffFileError(f"line {line}: {market!r} is not an ISO3 or ISO2 country code")
        try:
            product = normalise_product(cell("product"))
        except ValueError as error:
            raise TariffFileError(f"line {line}: {error}") from None
        try:
            year = int(cell("year"))
        except ValueError:
            raise TariffFileError(f"line {line}: {cell('year')!r} is not a year") from None
        if not 1950 <= year <= 2100:
            raise TariffFileError(f"line {line}: {year} is not a plausible year")
        try:
            rate = float(cell("tariff").rstrip("%"))
        except ValueError:
            raise TariffFileError(
                f"line {line}: {cell('tariff')!r} is not a tariff in percent"
            ) from None
        if not math.isfinite(rate) or not 0 <= rate <= MAX_RATE:
            raise TariffFileError(f"line {line}: a tariff is a percentage from 0 to {MAX_RATE:g}")
        rates.append(TariffRate(market, product, year, rate, cell("source") or default_source))
    if not rates:
        raise TariffFileError("the tariff file has no rows")
    return rates


def best_rate(rates: list[TariffRate], product: str = ALL_PRODUCTS) -> Observation | None:
    """One market's figure for a ranking: the most specific rate that covers `product` (its
    HS6 line, else its chapter, else all products), the newest year of that kind.

    A rate for a different product is never used: a chapter-85 tariff says nothing of
    textiles."""
    product = normalise_product(product)
    wanted = [product, product[:2], ALL_PRODUCTS] if product else [ALL_PRODUCTS]
    for code in dict.fromkeys(wanted):
        matching = [r for r in rates if r.product == code]
        if matching:
            newest = max(matching, key=lambda r: r.year)
            label = "all products" if not code else f"HS {code}"
            return Observation(newest.rate, newest.year, f"{newest.source} ({label})")
    return None
