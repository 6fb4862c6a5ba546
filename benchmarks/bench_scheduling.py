"""Benchmark metacluster.core.scheduling against the literature and first come, first served.

Plain Python, no Django. For each event size the issue names, it generates a synthetic event
(`metacluster.core.scheduling.generate`, fixed seeds) and runs, each in a fresh process so
that peak memory is its own:

- ``optimiser``: `schedule` with the given time limit (the heuristic, the LP bound, and
  CP-SAT on top where the event is small enough);
- ``cp-sat cold``: the exact model of Bofill et al. (weight, then gaps; their minimum-breaks
  objective) given to CP-SAT alone with the same time limit and no warm start, as a stand-in
  for the MaxSAT/CP/MIP approaches of the paper, whose instances and solvers are not
  shipped here; skipped where the model would not fit the time limit;
- ``fcfs``: the way platforms book at acceptance time, each accepted request taking the
  earliest common free slot, in acceptance order.

Run it with::

    python benchmarks/bench_scheduling.py                # every scale, several minutes
    python benchmarks/bench_scheduling.py --scales small tradefair
    python benchmarks/bench_scheduling.py --scales twosession cli   # about 1.5 minutes
    python benchmarks/bench_scheduling.py --help

``twosession`` schedules the tight two-session trade-fair events kept as test fixtures
(metacluster/core/scheduling/tests/fixtures/), where every meeting fits. ``cli`` runs the
commands `metacluster schedule` and `python -m metacluster.core.scheduling` on one of them
as separate processes and reports each process's wall time against `--time-limit`, which
covers start-up and writing the output.

Columns: requests; scheduled; weight as a share of the proven upper bound (the optimiser's
bound, the best one known, is used for every row of a scale); gaps; seconds of solving
(reading and validating the JSON excluded); peak resident memory of the process in MB
(Python, OR-Tools and the event included); and "opt" when the schedule is proven optimal on
both weight and gaps.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from metacluster.core.scheduling import generate_event
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from metacluster.core.scheduling import generate_event

# name: (description, generate_event arguments, time limit in seconds, run cold CP-SAT)
SCALES = {
    "small": (
        "feasible B2B forum, 50-80 participants (the setting of Bofill et al.)",
        [
            dict(
                participants=n,
                requests=4 * n,
                tables=t,
                sessions=1,
                slots_per_session=16,
                feasible=True,
                seed=seed,
            )
            for n, t, seed in ((50, 10, 1), (65, 13, 2), (80, 16, 3))
        ],
        10.0,
        True,
    ),
    "tight": (
        "tight capacity: 200 participants ask for 1,400 meetings in 12 slots; equal weights,"
        " then 30% of requests of weight 2 (mutual interest)",
        [
            dict(
                participants=200,
                requests=1400,
                tables=100,
                sessions=1,
                slots_per_session=12,
                buyers=0.5,
                mutual_share=share,
                seed=4,
            )
            for share in (0.0, 0.3)
        ],
        10.0,
        True,
    ),
    "tradefair": (
        "trade fair: 700 participants, 2,500 requests, 60 tables, 2 days of 24 slots",
        [
            dict(
                participants=700, requests=2500, tables=60, sessions=2, slots_per_session=24, seed=1
            )
        ],
        10.0,
        True,
    ),
    "hosted": (
        "hosted buyers online: 15,000 participants, 90,000 requests, 3 UTC days",
        [
            dict(
                participants=15000,
                requests=90000,
                sessions=3,
                slots_per_session=48,
                online=True,
                buyers=0.15,
                seed=1,
            )
        ],
        60.0,
        False,
    ),
}

FIXTURES = Path(__file__).resolve().parent.parent / "metacluster/core/scheduling/tests/fixtures"
# name: (description, event files, time limit in seconds, run cold CP-SAT)
FILE_SCALES = {
    "twosession": (
        "tight two-session trade fairs, 71-76 participants, 12-14 tables full in nearly every"
        " slot, every meeting fits (test fixtures)",
        sorted(FIXTURES.glob("tight-*.json")),
        10.0,
        False,
    ),
}

# Extra seconds a command may take beyond --time-limit before it counts as late: the
# interpreter's exit (unloading OR-Tools and SciPy) happens after the output is written.
CLI_MARGIN = 0.5


def cli_walls(path: Path, folder: str) -> list[dict]:
    """Wall time of each scheduling command, run as its own process, for limits 3 and 10."""
    metacluster = shutil.which("metacluster") or str(Path(sys.executable).parent / "metacluster")
    commands = {
        "metacluster schedule": [metacluster, "schedule"],
        "python -m ...scheduling": [sys.executable, "-m", "metacluster.core.scheduling"],
    }
    rows = []
    for limit in (3.0, 10.0):
        for label, command in commands.items():
            output = str(Path(folder) / "agenda.json")
            began = time.perf_counter()
            completed = subprocess.run(
                [*command, str(path), "--output", output, "--time-limit", f"{limit:g}"],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(FIXTURES.parents[4])},
            )
            wall = time.perf_counter() - began
            stats = (
                json.loads(Path(output).read_text())["stats"] if not completed.returncode else {}
            )
            rows.append(
                {
                    "command": label,
                    "time_limit": limit,
                    "wall": wall,
                    "status": completed.returncode,
                    "solver_seconds": stats.get("seconds"),
                    "scheduled": stats.get("scheduled"),
                    "requests": stats.get("requests"),
                }
            )
    return rows


def _run(path: str, method: str, time_limit: float, queue) -> None:
    """In a fresh process: read the event, solve it, report stats and peak memory."""
    from metacluster.core.scheduling import cpsat, event_from_json, first_come_first_served
    from metacluster.core.scheduling import schedule as optimise
    from metacluster.core.scheduling.bound import trivial_bound
    from metacluster.core.scheduling.model import Problem
    from metacluster.core.scheduling.solve import build_schedule

    with open(path, encoding="utf-8") as f:
        event = event_from_json(json.load(f))
    optimal = False
    if method == "fcfs":
        result = first_come_first_served(event)
    elif method == "optimiser":
        result = optimise(event, time_limit=time_limit)
        optimal = result.optimal
    else:
        began = time.perf_counter()
        pb = Problem(event)
        slot_of, bound, proven = cpsat.solve(
            pb,
            None,
            seconds=time_limit,
            deadline=began + time_limit,
            workers=2,
            deterministic=False,
        )
        weight = sum(pb.iweight[r] for r, s in enumerate(slot_of) if s >= 0)
        known = bound if bound is not None else trivial_bound(pb)
        result = build_schedule(pb, slot_of, known, time.perf_counter() - began)
        optimal = bound == weight and proven
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    queue.put({**result.stats, "optimal": optimal, "peak_mb": peak})


def measure(path: str, method: str, time_limit: float) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(path, method, time_limit, queue))
    process.start()
    stats = queue.get()
    process.join()
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    every = [*SCALES, *FILE_SCALES, "cli"]
    parser.add_argument("--scales", nargs="+", choices=every, default=every, help="default: all")
    parser.add_argument("--json", help="also write every row as JSON here")
    args = parser.parse_args(argv)

    rows = []
    header = (
        f"{'event':<24} {'method':<12} {'requests':>8} {'scheduled':>9} {'% bound':>8}"
        f" {'gaps':>7} {'seconds':>8} {'peak MB':>8}  opt"
    )
    print(f"Python {sys.version.split()[0]}, {multiprocessing.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.scales:
            if name == "cli":
                fixture = FILE_SCALES["twosession"][1][-1]
                print(f"\ncli: each command as its own process on {fixture.name}")
                print(
                    f"{'command':<24} {'limit':>6} {'wall':>7} {'solver':>7}"
                    f" {'scheduled':>10}  ends in time"
                )
                for row in cli_walls(fixture, folder):
                    late = row["wall"] > row["time_limit"] + CLI_MARGIN
                    print(
                        f"{row['command']:<24} {row['time_limit']:>6g} {row['wall']:>7.2f}"
                        f" {row['solver_seconds'] or 0:>7.2f}"
                        f" {row['scheduled']!s:>4}/{row['requests']!s:<5}"
                        f"  {'LATE' if late else 'yes'}{'' if not row['status'] else ' (failed)'}"
                    )
                    rows.append({"scale": "cli", **row})
                continue
            if name in FILE_SCALES:
                description, instances, time_limit, cold = FILE_SCALES[name]
            else:
                description, instances, time_limit, cold = SCALES[name]
            print(f"\n{name}: {description}; time limit {time_limit:g} s")
            print(header)
            for options in instances:
                if isinstance(options, Path):
                    event = json.loads(options.read_text(encoding="utf-8"))
                else:
                    event = generate_event(**options)
                path = str(Path(folder) / f"{name}-{len(rows)}.json")
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(event, f)
                label = f"{len(event['participants'])}p/{len(event['requests'])}r/" + (
                    f"{event['tables']}t" if event["tables"] is not None else "online"
                )
                methods = ["optimiser", "cp-sat cold", "fcfs"] if cold else ["optimiser", "fcfs"]
                results = {method: measure(path, method, time_limit) for method in methods}
                bound = min(r["upper_bound"] for r in results.values() if r["upper_bound"])
                for method, stats in results.items():
                    share = 100 * stats["weight_scheduled"] / bound if bound else 100.0
                    print(
                        f"{label:<24} {method:<12} {stats['requests']:>8,} {stats['scheduled']:>9,}"
                        f" {share:>7.2f}% {stats['gaps']:>7,} {stats['seconds']:>8.2f}"
                        f" {stats['peak_mb']:>8.0f}  {'yes' if stats['optimal'] else ''}"
                    )
                    rows.append(
                        {"scale": name, "event": label, "method": method, **stats, "bound": bound}
                    )
                sys.stdout.flush()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
