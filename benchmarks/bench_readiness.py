"""Time metacluster.core.readiness: scoring assessments and placing them among peers.

Plain Python, no Django. A programme page or a PDF scores one assessment; a programme summary,
a re-scoring after a new instrument version or the CLI over an export scores thousands. Run::

    python benchmarks/bench_readiness.py                    # 1k and 10k assessments
    python benchmarks/bench_readiness.py --sizes 100000 --repeat 1
    python benchmarks/bench_readiness.py --sizes 1000 --repeat 10

The answers are drawn with a fixed seed around a company level (so scores spread over the
stages as a real programme's do), with 5 % "don't know". Generation is outside the timed part.
Columns: assessments; best and median seconds to score them all with `score`; microseconds per
assessment; seconds to give each its percentile among all the others with `percentile_rank`
(the naive all-pairs way, O(n²), skipped above --max-pairs) and with `percentile_ranks`
(one sort and bisection, O(n log n)).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:
    from metacluster.core.readiness import (
        parse_instrument,
        percentile_rank,
        percentile_ranks,
        score,
    )
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(ROOT))
    from metacluster.core.readiness import (
        parse_instrument,
        percentile_rank,
        percentile_ranks,
        score,
    )

INSTRUMENTS = ROOT / "metacluster" / "readiness" / "instruments"


def shipped_instrument():
    latest = sorted(INSTRUMENTS.glob("*.json"))[-1]
    return parse_instrument(json.loads(latest.read_text(encoding="utf-8")))


def synthetic_answers(instrument, n: int, *, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        level = rng.uniform(0.5, 4.5)
        rows.append(
            {
                item.id: None
                if rng.random() < 0.05
                else max(0, min(5, round(level + rng.gauss(0, 0.9))))
                for item in instrument.items
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size (default 3)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--max-pairs", type=int, default=2_000, help="largest size for the O(n²) percentiles"
    )
    args = parser.parse_args(argv)
    instrument = shipped_instrument()
    print(
        f"score() with instrument {instrument.version} ({len(instrument.items)} items), "
        f"Python {sys.version.split()[0]}"
    )
    print(
        f"{'assessments':>11}  {'best s':>7}  {'median s':>8}  {'µs each':>7}  "
        f"{'pct n² s':>8}  {'pct sort s':>10}"
    )
    for n in args.sizes:
        answers = synthetic_answers(instrument, n, seed=args.seed)
        score(instrument, answers[0])  # warm-up
        timings = []
        for _ in range(args.repeat):
            gc.collect()
            began = time.perf_counter()
            results = [score(instrument, a) for a in answers]
            timings.append(time.perf_counter() - began)
        scores = [r.overall for r in results if r.overall is not None]
        naive = "–"
        if n <= args.max_pairs:
            began = time.perf_counter()
            for i, value in enumerate(scores):
                percentile_rank(value, scores[:i] + scores[i + 1 :])
            naive = f"{time.perf_counter() - began:.2f}"
        began = time.perf_counter()
        percentile_ranks(scores)
        fast = time.perf_counter() - began
        best = min(timings)
        print(
            f"{n:>11,}  {best:>7.3f}  {statistics.median(timings):>8.3f}  "
            f"{best / n * 1e6:>7.0f}  {naive:>8}  {fast:>10.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
