"""Benchmark metacluster.core.aid: checking a new grant against the de minimis ceiling.

Plain Python, no Django. For each size, an undertaking with that many earlier grants spread
over 2014–2030 (fixed seed), then 200 checks of a new grant on random days (a quarter of
them backdated into the middle of the history, which makes the check look at every later
period that reaches back to it). Prints grants, checks per second and the worst time of one
check in milliseconds.

Run it with::

    python benchmarks/bench_aid.py
    python benchmarks/bench_aid.py --sizes 100 1000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

try:
    from metacluster.core.aid import Grant, assess_de_minimis
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from metacluster.core.aid import Grant, assess_de_minimis

FIRST, LAST = date(2014, 1, 1), date(2030, 12, 31)
CHECKS = 200


def history(size: int, rng: random.Random) -> list[Grant]:
    span = (LAST - FIRST).days
    return [
        Grant(FIRST + timedelta(days=rng.randrange(span)), Decimal(rng.randrange(100, 5000)))
        for _ in range(size)
    ]


def run(size: int, seed: int = 0) -> tuple[float, float]:
    rng = random.Random(seed)
    grants = history(size, rng)
    days = [FIRST + timedelta(days=rng.randrange((LAST - FIRST).days)) for _ in range(CHECKS)]
    worst = 0.0
    started = time.perf_counter()
    for day in days:
        one = time.perf_counter()
        assess_de_minimis(grants, Decimal(1000), day, fiscal_year_start_month=7)
        worst = max(worst, time.perf_counter() - one)
    elapsed = time.perf_counter() - started
    return CHECKS / elapsed, worst * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1_000, 10_000])
    options = parser.parse_args(argv)
    print(f"{'grants':>8} {'checks/s':>10} {'worst ms':>9}")
    for size in options.sizes:
        rate, worst = run(size)
        print(f"{size:>8} {rate:>10.0f} {worst:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
