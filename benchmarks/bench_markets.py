"""Benchmark of the export-market tools: export potential over a BACI-size trade file (polars,
lazily, against a straightforward pandas implementation of the same formulas) and the ranking of
every country for one offering.

    .venv/bin/python benchmarks/bench_markets.py                  # 11 million rows, ~3 minutes
    .venv/bin/python benchmarks/bench_markets.py --rows 1000000   # a quick look
    .venv/bin/python benchmarks/bench_markets.py --json rows.json

The trade file is generated once (`metacluster.core.markets.generate`, fixed seed) into
`--dir` (default the system's temporary directory) and reused by later runs. Each
implementation runs in a fresh process, so the peak memory reported (the process's maximum
resident set size) is its own; both must agree on every market's potential. Needs pandas
(`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXPORTER, PRODUCT_RANK = 752, 0  # Sweden; the product it exports most rows of


def pandas_potential(path: str, exporter: int, product: int) -> dict[int, float]:
    """The same formulas as `core.markets.potential`, written the way one would in pandas:
    read the whole file, filter, group, join. Returns market → potential."""
    import pandas as pd

    trade = pd.read_csv(path)
    trade = trade[trade["t"] == trade["t"].max()]
    world = trade["v"].sum()
    from_exporter = trade[trade["i"] == exporter]
    exports = from_exporter["v"].sum()
    imports = trade.groupby("j")["v"].sum().rename("imports")
    bilateral = from_exporter.groupby("j")["v"].sum().rename("bilateral")
    of_product = trade[trade["k"] == product]
    supply = of_product.loc[of_product["i"] == exporter, "v"].sum() / of_product["v"].sum()
    demand = of_product.groupby("j")["v"].sum().rename("demand")
    table = pd.concat([demand, imports, bilateral], axis=1, join="outer")
    table = table[table["demand"].notna()].fillna(0.0)
    table = table.drop(index=exporter, errors="ignore")
    table["ease"] = table["bilateral"] / (exports * table["imports"] / world)
    table["potential"] = supply * table["demand"] * table["ease"]
    return {int(j): float(p) for j, p in table["potential"].items()}


def polars_potential(path: str, exporter: int, product: int) -> dict[int, float]:
    from metacluster.core.markets.potential import export_potential

    result = export_potential(path, str(exporter), str(product))
    return {int(m.market): m.potential for m in result.markets}


def build(path: str, exporter: int, product: int) -> dict[int, float]:
    """The one-off conversion of a year's CSV into a trade store (`metacluster load-trade`)."""
    from metacluster.core.markets.potential import build_store

    build_store(path, store_path(path))
    return {}


def polars_store_potential(path: str, exporter: int, product: int) -> dict[int, float]:
    return polars_potential(str(store_path(path)), exporter, product)


def store_path(path) -> Path:
    return Path(str(path) + ".store")


def child(implementation: str, path: str, exporter: int, product: int) -> None:
    """Run one implementation and print its time, peak memory and result as JSON."""
    function = {
        "polars": polars_potential,
        "pandas": pandas_potential,
        "build-store": build,
        "polars-store": polars_store_potential,
    }[implementation]
    # Libraries are imported before the clock starts: their import time is not the work.
    if implementation == "pandas":
        import pandas  # noqa: F401
    else:
        import polars  # noqa: F401

        import metacluster.core.markets.potential  # noqa: F401
    before, start = os.times(), time.perf_counter()
    potentials = function(path, exporter, product)
    seconds, after = time.perf_counter() - start, os.times()
    # CPU time (all threads, user + system) as well as wall time: on a shared machine the wall
    # clock measures the neighbours too.
    cpu = (after.user - before.user) + (after.system - before.system)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb, "potentials": potentials}
        )
    )


def run_child(implementation: str, path: Path, product: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", implementation, str(path), str(product)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def trade_file(rows: int, directory: Path) -> Path:
    from metacluster.core.markets.generate import generate_trade, write_trade

    path = directory / f"bench_markets_trade_{rows}.csv"
    if not path.exists():
        start = time.perf_counter()
        write_trade(path, generate_trade(rows, years=(2022,), products=5000, seed=2022))
        size = path.stat().st_size / 1e6
        print(f"generated {path} ({size:.0f} MB) in {time.perf_counter() - start:.1f} s")
    return path


def busiest_product(path: Path) -> int:
    import polars as pl

    frame = (
        pl.scan_csv(path)
        .filter(pl.col("i") == EXPORTER)
        .group_by("k")
        .agg(pl.len().alias("n"))
        .sort(["n", "k"], descending=[True, False])
        .head(1)
        .collect()
    )
    return int(frame["k"][0])


def bench_ranking(repeat: int) -> dict:
    from metacluster.core.markets import load, rank

    start = time.perf_counter()
    data = load()
    load_ms = (time.perf_counter() - start) * 1000
    timings = {}
    for offering in ("ict-services", "goods"):
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            ranking = rank(data, "SE", offering)
            runs.append((time.perf_counter() - start) * 1000)
        timings[offering] = {
            "markets": len(ranking.markets),
            "best_ms": min(runs),
            "median_ms": sorted(runs)[len(runs) // 2],
        }
    return {"load_ms": load_ms, "offerings": timings}


def assert_same(ours: dict, theirs: dict) -> float:
    """Both found the same markets with the same potentials (up to float summation order);
    returns the largest relative difference."""
    assert set(ours) == set(theirs), "the implementations found different markets"
    worst = max(abs(ours[j] - theirs[j]) / max(abs(theirs[j]), 1e-9) for j in ours)
    assert worst < 1e-9, f"potentials differ by up to {worst:.1e}"
    return worst


def show(name: str, run: dict) -> None:
    print(
        f"  {name:8} {run['seconds']:7.2f} s wall  {run['cpu_seconds']:7.2f} s CPU"
        f"  peak {run['peak_mb']:6.0f} MB"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=11_000_000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--repeat", type=int, default=20, help="ranking runs per offering")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        implementation, path, product = args.child
        child(implementation, path, EXPORTER, int(product))
        return 0

    load = os.getloadavg()[0]
    print(f"cores: {os.cpu_count()}, load average {load:.1f}, python {sys.version.split()[0]}")
    path = trade_file(args.rows, args.dir)
    product = busiest_product(path)
    print(f"export potential of {EXPORTER} (Sweden) for HS {product:06d}, {args.rows:,} rows")
    results = {"rows": args.rows, "product": product, "load_average": load}
    polars_run = run_child("polars", path, product)
    results["polars_csv"] = {k: polars_run[k] for k in ("seconds", "cpu_seconds", "peak_mb")}
    show("csv", polars_run)
    # The product's workflow: `metacluster load-trade` converts a year's file once into a
    # store; every later question (many exporters, many products) reads the store.
    conversion = run_child("build-store", path, product)
    results["build_store"] = {k: conversion[k] for k in ("seconds", "cpu_seconds", "peak_mb")}
    show("build", conversion)
    store_run = run_child("polars-store", path, product)
    results["polars_store"] = {k: store_run[k] for k in ("seconds", "cpu_seconds", "peak_mb")}
    show("store", store_run)
    assert_same(store_run["potentials"], polars_run["potentials"])
    if not args.skip_pandas:
        pandas_run = run_child("pandas", path, product)
        results["pandas"] = {k: pandas_run[k] for k in ("seconds", "cpu_seconds", "peak_mb")}
        show("pandas", pandas_run)
        for name, run in (("csv", polars_run), ("store", store_run)):
            speedup = pandas_run["seconds"] / run["seconds"]
            cpu_ratio = pandas_run["cpu_seconds"] / run["cpu_seconds"]
            results[f"speedup_{name}"], results[f"cpu_ratio_{name}"] = speedup, cpu_ratio
            print(
                f"  polars from the {name}: {speedup:.1f}× faster (wall clock),"
                f" {cpu_ratio:.1f}× less CPU time than pandas"
            )
        worst = assert_same(polars_run["potentials"], pandas_run["potentials"])
        ours = polars_run["potentials"]
        results["max_relative_difference"] = worst
        print(f"  same {len(ours)} markets; largest relative difference {worst:.1e}")
    ranking = bench_ranking(args.repeat)
    results["ranking"] = ranking
    print(f"ranking: table loaded in {ranking['load_ms']:.0f} ms (once per process)")
    for offering, row in ranking["offerings"].items():
        print(
            f"  {offering:13} {row['markets']} markets  best {row['best_ms']:.1f} ms"
            f"  median {row['median_ms']:.1f} ms"
        )
    results["load_average_after"] = os.getloadavg()[0]
    print(f"load average after: {results['load_average_after']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
