"""Benchmark metacluster.core.consortia: the optimiser against the greedy cover and the bound.

Plain Python, no Django. Instances are generated SME2GO-like populations
(`metacluster.core.consortia.generate`, fixed seeds): smart-city SMEs from seven countries,
one to four capabilities each, capacity 1 or 2, competitor pairs and past collaborations; needs
of three to six capabilities, at least two countries, two to six members.

For each instance, in one run:

- ``greedy``: the greedy batch cover (scarcest needs first), the baseline;
- ``optimiser``: `form_consortia` (greedy, then CP-SAT: most needs covered, then score) with
  the time limit;

and, per instance, the proven bound on the needs covered and on the score. Then the
interactive path: `suggest` for single needs of the largest population (three alternatives),
whose time an advisor waits for.

Run it with::

    python benchmarks/bench_consortia.py              # every scale, about two minutes
    python benchmarks/bench_consortia.py --scales batch-60
    python benchmarks/bench_consortia.py --help

Targets (issue 8): one-need suggestions under 1 s; 60 companies / 10 needs optimal under 10 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

try:
    from metacluster.core.consortia import (
        form_consortia,
        generate_instance,
        instance_from_json,
        suggest,
    )
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from metacluster.core.consortia import (
        form_consortia,
        generate_instance,
        instance_from_json,
        suggest,
    )

# name: (companies, needs, seeds, time limit in seconds)
SCALES = {
    "batch-60": (60, 10, (1, 2, 3), 10.0),
    "population-300": (300, 30, (1, 2), 20.0),
    "population-500": (500, 50, (1,), 30.0),
}
SUGGEST_NEEDS = 10


def _row(name, method, stats, seconds):
    bound = stats["bound"]
    score_bound = stats.get("score_bound")
    gap = (
        f"{100 * (score_bound - stats['score']) / score_bound:5.1f}%"
        if score_bound and score_bound > 0
        else "    —"
    )
    print(
        f"{name:<22} {method:<10} {stats['needs_covered']:>4}/{bound:<4} "
        f"{stats['score']:>9.2f} {score_bound if score_bound is not None else '—':>9} {gap:>7} "
        f"{'opt' if stats.get('optimal') else '':>4} {seconds:>8.2f}"
    )


def run_scale(name: str) -> None:
    companies, needs, seeds, limit = SCALES[name]
    for seed in seeds:
        instance = instance_from_json(generate_instance(companies, needs, seed=seed))
        label = f"{name} seed {seed}"
        started = time.perf_counter()
        greedy = form_consortia(instance, method="greedy")
        greedy_seconds = time.perf_counter() - started
        started = time.perf_counter()
        exact = form_consortia(instance, time_limit=limit)
        exact_seconds = time.perf_counter() - started
        # The greedy row is measured against the optimiser's bounds, the best known.
        greedy.stats["bound"] = exact.stats["bound"]
        greedy.stats["score_bound"] = exact.stats["score_bound"]
        _row(label, "greedy", greedy.stats, greedy_seconds)
        _row(label, "optimiser", exact.stats, exact_seconds)


def run_suggestions() -> None:
    companies, needs, seeds, _limit = SCALES["population-500"]
    instance = instance_from_json(generate_instance(companies, needs, seed=seeds[0]))
    times, optimal = [], 0
    for need in instance.needs[:SUGGEST_NEEDS]:
        started = time.perf_counter()
        proposals = suggest(instance, need.id, alternatives=3, time_limit=0.6)
        times.append(time.perf_counter() - started)
        optimal += all(p.optimal for p in proposals)
    print(
        f"suggest, {companies} companies, {len(times)} needs x 3 alternatives: "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s, "
        f"all proven best for {optimal} of {len(times)} needs"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="*", choices=list(SCALES), default=list(SCALES))
    parser.add_argument("--no-suggest", action="store_true", help="skip the interactive part")
    args = parser.parse_args(argv)
    print(
        f"{'instance':<22} {'method':<10} {'covered':>9} {'score':>9} {'bound':>9} {'gap':>7} "
        f"{'':>4} {'seconds':>8}"
    )
    for name in args.scales:
        run_scale(name)
    if not args.no_suggest:
        run_suggestions()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
