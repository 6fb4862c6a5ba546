"""Benchmark of the export-market tools: export potential over a BACI-size trade file (the
compiled BACI reader, polars' general reader and a trade store, against a straightforward pandas
implementation of the same formulas) and the ranking of every country for one offering.

    .venv/bin/python benchmarks/bench_markets.py                  # 11 million rows, ~3 minutes
    .venv/bin/python benchmarks/bench_markets.py --rows 1000000   # a quick look
    .venv/bin/python benchmarks/bench_markets.py --json rows.json

The trade file is generated once (`metacluster.core.markets.generate`, fixed seed) into
`--dir` (default the system's temporary directory) and reused by later runs. Each
implementation runs in a fresh process, so the peak memory reported (the process's maximum
resident set size) is its own, and calls the implementation twice: the first call is what a
one-off command costs, the second what a running server costs. All must agree on every
market's potential. Needs pandas (`pip install -e '.[bench]'`).
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


def compiled_potential(path: str, exporter: int, product: int) -> dict[int, float]:
    """What `metacluster export-potential` does with a plain BACI CSV: the compiled reader."""
    return potentials(path, exporter, product, "auto")


def polars_potential(path: str, exporter: int, product: int) -> dict[int, float]:
    return potentials(path, exporter, product, "polars")


def potentials(path: str, exporter: int, product: int, reader: str) -> dict[int, float]:
    from metacluster.core.markets.potential import export_potential

    result = export_potential(path, str(exporter), str(product), reader=reader)
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
    """Run one implementation twice and print its times, peak memory and result as JSON: the
    first call (what a one-off command costs) and the second (what a running server costs)."""
    function = {
        "compiled": compiled_potential,
        "polars": polars_potential,
        "pandas": pandas_potential,
        "build-store": build,
        "polars-store": polars_store_potential,
    }[implementation]
    # Libraries are imported (numba's compiled reader loaded) before the clock starts, as
    # once per process; the time is reported beside the work's.
    start = time.perf_counter()
    if implementation == "pandas":
        import pandas  # noqa: F401
    else:
        import polars  # noqa: F401

        import metacluster.core.markets.baci_csv  # noqa: F401  (numba and the compiled reader)
        import metacluster.core.markets.potential  # noqa: F401
    imported = time.perf_counter() - start
    timings = []
    for _ in range(1 if implementation == "build-store" else 2):
        before, start = os.times(), time.perf_counter()
        found = function(path, exporter, product)
        seconds, after = time.perf_counter() - start, os.times()
        # CPU time (all threads, user + system) as well as wall time: on a shared machine the
        # wall clock measures the neighbours too.
        cpu = (after.user - before.user) + (after.system - before.system)
        timings.append((seconds, cpu))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    (seconds, cpu), (again, again_cpu) = timings[0], timings[-1]
    print(
        json.dumps(
            {
                "import_seconds": imported,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "again_seconds": again,
                "again_cpu_seconds": again_cpu,
                "peak_mb": peak_mb,
                "potentials": found,
            }
        )
    )


def run_child(implementation: str, path: Path, product: int, env: dict | None = None) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", implementation, str(path), str(product)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
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
        f"  {name:11} import {run['import_seconds']:5.2f} s;"
        f" {run['seconds']:6.2f} / {run['again_seconds']:5.2f} s wall"
        f"  {run['cpu_seconds']:6.2f} / {run['again_cpu_seconds']:5.2f} s CPU"
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
    print(
        "  (libraries' import; the first call in a fresh process / the second in it;"
        " peak resident memory)"
    )
    runs = {}
    with tempfile.TemporaryDirectory() as cache:
        # The compiled reader's first use on a machine compiles it into numba's cache; every
        # later process loads it from there. An empty cache directory measures both.
        runs["compile"] = run_child("compiled", path, product, {"NUMBA_CACHE_DIR": cache})
        runs["compiled"] = run_child("compiled", path, product, {"NUMBA_CACHE_DIR": cache})
    runs["polars"] = run_child("polars", path, product)
    # The product's workflow for many questions about one year: `metacluster load-trade`
    # converts the file once into a store, which later questions read.
    runs["build-store"] = run_child("build-store", path, product)
    runs["store"] = run_child("polars-store", path, product)
    if not args.skip_pandas:
        runs["pandas"] = run_child("pandas", path, product)
    for name, run in runs.items():
        show(name, run)
        results[name] = {k: v for k, v in run.items() if k != "potentials"}
    for name in ("compile", "polars", "store"):
        assert_same(runs[name]["potentials"], runs["compiled"]["potentials"])
    if "pandas" in runs:
        pandas_run = runs["pandas"]
        for name in ("compiled", "polars", "store"):
            first = pandas_run["seconds"] / runs[name]["seconds"]
            again = pandas_run["again_seconds"] / runs[name]["again_seconds"]
            cpu = pandas_run["cpu_seconds"] / runs[name]["cpu_seconds"]
            results[f"speedup_{name}"] = {"first": first, "again": again, "cpu_first": cpu}
            print(
                f"  {name} vs pandas: {first:.1f}× faster on the first call, {again:.1f}× on the"
                f" second (wall clock); {cpu:.1f}× less CPU time on the first"
            )
        worst = assert_same(runs["compiled"]["potentials"], pandas_run["potentials"])
        results["max_relative_difference"] = worst
        print(
            f"  same {len(pandas_run['potentials'])} markets; largest relative difference {worst:.1e}"
        )
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
