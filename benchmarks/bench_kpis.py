"""Time metacluster.core.kpis.aggregate on synthetic facts.

Plain Python, no Django: the core aggregation is what every indicator page and report runs, so
its cost should stay linear in the number of facts. Run it with::

    python benchmarks/bench_kpis.py                 # 10k, 100k and 1M facts
    python benchmarks/bench_kpis.py --sizes 10000 --repeat 10

The facts imitate a large four-year programme: each record appears in about two facts (a
company supported several times), half of the facts count in the programme total and half for
one of six partners, and dates spread evenly over 48 months with a year of stragglers either
side to exercise the clamping. Generation is outside the timed part and uses a fixed seed, so
runs are comparable.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

try:
    from metacluster.core.kpis import Fact, aggregate
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from metacluster.core.kpis import Fact, aggregate

START = date(2016, 1, 1)
END = date(2019, 12, 31)  # 48 months
PARTNERS = ("SE", "FI", "EE", "LV", "LT", "PL")


def synthetic_facts(n: int, *, seed: int = 2016) -> list[Fact]:
    """`n` facts over about n/2 distinct keys, half of them per partner."""
    rng = random.Random(seed)
    # Share date objects across facts, as rows loaded from a database would not, but it keeps
    # a million facts within a few hundred megabytes.
    first = START - timedelta(days=365)
    days = [first + timedelta(days=i) for i in range((END - START).days + 2 * 365)]
    keys = max(n // 2, 1)
    facts = []
    for _ in range(n):
        partner = None if rng.random() < 0.5 else rng.choice(PARTNERS)
        facts.append(Fact(rng.randrange(keys), rng.choice(days), partner))
    return facts


def time_aggregate(facts: list[Fact], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        aggregate(facts, start=START, end=END)
        timings.append(time.perf_counter() - began)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="numbers of facts to time (default: 10000 100000 1000000)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size (default 5)")
    parser.add_argument("--seed", type=int, default=2016, help="random seed (default 2016)")
    args = parser.parse_args(argv)

    print(
        f"aggregate() over {len(PARTNERS)} partners and 48 months, Python {sys.version.split()[0]}"
    )
    print(f"{'facts':>10}  {'achieved':>9}  {'best ms':>9}  {'median ms':>9}  {'ns/fact':>8}")
    for n in args.sizes:
        facts = synthetic_facts(n, seed=args.seed)
        figures = aggregate(facts, start=START, end=END)  # warm-up, and a sanity check
        assert figures.by_month[-1][1] == figures.achieved
        timings = time_aggregate(facts, args.repeat)
        best, median = min(timings), statistics.median(timings)
        print(
            f"{n:>10,}  {figures.achieved:>9,}  {best * 1e3:>9.1f}  {median * 1e3:>9.1f}"
            f"  {best / n * 1e9:>8.0f}"
        )
        del facts
    return 0


if __name__ == "__main__":
    sys.exit(main())
