"""`python -m metacluster.core.markets rank|potential ...`: rankings and export potential as JSON.

    python -m metacluster.core.markets rank --home SE --offering ict-services --json
    python -m metacluster.core.markets rank --home FI --offering goods --weight lpi=40 \\
        --eu-efta exclude --region Asia --details
    python -m metacluster.core.markets potential --trade baci.csv --exporter SWE --product 851712
    python -m metacluster.core.markets convert --trade baci.csv --output baci.parquet
    python -m metacluster.core.markets store --trade baci.csv --output baci-2022/   # then
    python -m metacluster.core.markets potential --trade baci-2022/ --exporter SWE --product 851712

Bad input exits with status 2 and one line on standard error saying what is wrong. The
project's `metacluster rank-markets` and `metacluster export-potential` commands share the
options and the `run_*` functions below.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..cliutils import fail
from ..errors import CoreError, InputError
from .data import load
from .indicators import INDICATORS, OFFERINGS
from .potential import (
    TradeFileError,
    build_store,
    convert_trade,
    export_potential,
    iso3_from_baci,
)
from .scoring import MISSING_POLICIES, InvalidRanking, rank
from .tariffs import TariffFileError, best_rate, read_tariffs

__all__ = [
    "InputError",
    "add_potential_arguments",
    "add_rank_arguments",
    "main",
    "run_potential",
    "run_rank",
]


def _weight(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"give a weight as INDICATOR=NUMBER, not {text!r}")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None


def add_rank_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home", required=True, help="the exporter's country, e.g. SE or SWE")
    parser.add_argument("--offering", required=True, choices=list(OFFERINGS))
    parser.add_argument(
        "--weight",
        type=_weight,
        action="append",
        default=[],
        metavar="INDICATOR=NUMBER",
        help=f"override a default weight (repeatable); indicators: {', '.join(INDICATORS)}",
    )
    parser.add_argument(
        "--eu-efta", choices=["only", "exclude"], help="EU/EFTA markets only, or none"
    )
    parser.add_argument(
        "--region", action="append", default=[], help="a UN region to keep (repeatable), e.g. Asia"
    )
    parser.add_argument("--market", action="append", default=[], help="keep only these markets")
    parser.add_argument("--missing", choices=MISSING_POLICIES, default="zero")
    parser.add_argument("--limit", type=int, help="print only the best N markets")
    parser.add_argument(
        "--product",
        default="",
        help="HS2 or HS6 product whose tariffs count (goods, when tariffs are loaded)",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="add sources, weights, missing figures and left-out markets to the JSON",
    )
    parser.add_argument("--json", action="store_true", help="JSON output (the default)")


def run_rank(options: dict, stdout=None, data=None) -> dict:
    """Print a ranking; `data` is the country table (the shipped one, or with tariffs)."""
    if data is None:
        data = load()
        if options.get("tariffs"):
            data = _with_tariffs(data, options["tariffs"], options.get("product") or "")
    try:
        ranking = rank(
            data,
            options["home"],
            options["offering"],
            dict(options.get("weight") or []),
            eu_efta=options.get("eu_efta"),
            regions=options.get("region") or None,
            markets=options.get("market") or None,
            missing=options.get("missing") or "zero",
        )
    except InvalidRanking as error:
        raise InputError(str(error)) from None
    data = ranking.to_json(details=bool(options.get("details")))
    if options.get("limit") is not None:
        data["markets"] = data["markets"][: max(options["limit"], 0)]
    (stdout or sys.stdout).write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return data


def _with_tariffs(data, path: str, product: str):
    """The country table with a tariff file's rates for `product` (see `tariffs`)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            rates = read_tariffs(f.read(), default_source=path)
        by_market: dict[str, list] = {}
        for rate in rates:
            country = data.resolve(rate.market)
            if country is not None:
                by_market.setdefault(country.iso3, []).append(rate)
        figures = {iso3: best_rate(found, product) for iso3, found in by_market.items()}
    except (OSError, UnicodeDecodeError, TariffFileError, ValueError) as error:
        raise InputError(f"tariffs: {error}") from None
    return data.with_series("tariff", {k: v for k, v in figures.items() if v is not None})


def add_potential_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trade",
        required=True,
        help="trade in the CEPII BACI layout (CSV or Parquet), or a trade store's directory",
    )
    parser.add_argument("--exporter", required=True, help="ISO3 code, e.g. SWE, or the file's code")
    parser.add_argument("--product", required=True, help="HS6 product code, e.g. 851712")
    parser.add_argument(
        "--year", type=int, help="the year to use (default: the latest in the file)"
    )
    parser.add_argument("--limit", type=int, help="print only the N markets of largest potential")
    parser.add_argument("--json", action="store_true", help="JSON output (the default)")


def baci_codes() -> dict[int, str]:
    """BACI numeric code → ISO3 from the shipped country table."""
    return iso3_from_baci(
        {c.numeric: c.iso3 for c in load().countries.values() if c.numeric is not None}
    )


def run_potential(options: dict, stdout=None) -> dict:
    try:
        result = export_potential(
            options["trade"],
            options["exporter"],
            options["product"],
            year=options.get("year"),
            codes=baci_codes(),
        )
    except TradeFileError as error:
        raise InputError(str(error)) from None
    data = result.to_json()
    if options.get("limit") is not None:
        data["markets"] = data["markets"][: max(options["limit"], 0)]
    (stdout or sys.stdout).write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.markets",
        description="Rank export markets for an offering, or compute export potential from trade.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ranking = commands.add_parser("rank", help="score every market 0–100")
    add_rank_arguments(ranking)
    ranking.add_argument("--tariffs", help="a tariff CSV (reporter,product,year,tariff,source)")
    add_potential_arguments(
        commands.add_parser("potential", help="ITC-style export potential from BACI trade data")
    )
    convert = commands.add_parser(
        "convert", help="write a BACI CSV as Parquet once, for fast repeated potentials"
    )
    convert.add_argument("--trade", required=True)
    convert.add_argument("--output", required=True)
    store = commands.add_parser(
        "store", help="convert a BACI file once into a trade store (what load-trade does)"
    )
    store.add_argument("--trade", required=True)
    store.add_argument("--output", required=True, help="the store's directory")
    args = parser.parse_args(argv)
    try:
        if args.command == "rank":
            run_rank(vars(args))
        elif args.command == "convert":
            try:
                rows = convert_trade(args.trade, args.output)
            except TradeFileError as error:
                raise InputError(str(error)) from None
            print(f"{rows} rows → {args.output}")
        elif args.command == "store":
            try:
                meta = build_store(args.trade, args.output)
            except TradeFileError as error:
                raise InputError(str(error)) from None
            print(json.dumps(meta))
        else:
            run_potential(vars(args))
    except CoreError as error:
        return fail(error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
