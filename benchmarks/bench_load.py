"""Load benchmark: logged-in users walking the main pages and the API against gunicorn (this
repository's gunicorn.conf.py) on PostgreSQL with the demo data, at several concurrencies,
with the Celery worker idle and then busy (a big register import and a 15,000-participant
scheduling run going on meanwhile).

    .venv/bin/python benchmarks/bench_load.py [--users 10,50,200] [--seconds 60]
        [--import-rows 1000000] [--think 1,5]
        [--database-url postgres://postgres@127.0.0.1:5432/mc_bench_load]

Each virtual user logs in once (a demo login, in turn), then requests the pages of WALK one
after another for --seconds, pausing between pages for a random think time drawn uniformly
from --think seconds (as a person reads a page; locust's `between(1, 5)`); `--think 0` sends
the next request as soon as the last is answered, which measures the server's capacity
rather than what a person waits. Every answer must be 200; a GET that went out on a kept-alive
connection the server was closing is sent again once, as browsers do, and counted. Reported per
concurrency: requests per second and the p50/p95/p99 latency (ms). Needs PostgreSQL and Redis
(REDIS_URL, default redis://127.0.0.1:6379/9). The client runs on the same machine and takes
CPU from the server: on 2 cores the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo2026!"
USERS = ["manager.fov", "advisor.acreo", "advisor.lvit", "manager.sisp"]
WALK = [
    "/programmes/",
    "/companies/",
    "/deals/",
    "/scouting/",
    "/events/",
    "/api/v1/companies?limit=20",
    "/api/v1/programmes",
    "/api/v1/deals?limit=20",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(args) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metacluster.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "load-benchmark-key-" + "x" * 40,
        "DB_CONN_MAX_AGE": "60",
        "METACLUSTER_IMPORT_DIR": args.workdir,
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "ERROR",
    }


def metacluster(args, *command, check=True):
    return subprocess.run(
        [sys.executable, "-m", "metacluster.cli", *command],
        env=env_for(args),
        cwd=args.workdir,
        check=check,
        capture_output=True,
        text=True,
    )


def prepare_database(args) -> None:
    import psycopg

    server, _, name = args.database_url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and not args.fresh:
            print(f"using the existing database {name}")
            return
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    metacluster(args, "migrate", "--noinput")
    metacluster(args, "load-demo")
    print(f"database {name}: migrated, demo loaded in {time.monotonic() - started:.0f} s")


def start_gunicorn(args) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**env_for(args), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "metacluster.wsgi:application"],
        env=env, cwd=args.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


async def log_in(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = await client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    if done.status_code != 302:
        raise SystemExit(f"cannot log in as {username}: {done.status_code}")


async def run_level(base: str, users: int, seconds: float, think: tuple[float, float]) -> dict:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in range(users)]
    for start in range(0, users, 20):  # log in a few at a time
        await asyncio.gather(
            *(
                log_in(c, USERS[(start + i) % len(USERS)])
                for i, c in enumerate(clients[start : start + 20])
            )
        )
    latencies: list[float] = []
    by_path: dict[str, list[float]] = {path: [] for path in WALK}
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds

    async def walk(client: httpx.AsyncClient, offset: int) -> None:
        step = offset
        pause = random.Random(offset)
        while time.monotonic() < deadline:
            if think[1] > 0:
                await asyncio.sleep(pause.uniform(*think))
                if time.monotonic() >= deadline:
                    break
            path = WALK[step % len(WALK)]
            step += 1
            began = time.perf_counter()
            try:
                response = await get(client, path)
                status = response.status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            latencies.append(time.perf_counter() - began)
            by_path[path].append(latencies[-1])
            if status != 200:
                key = f"{path} {status}"
                errors[key] = errors.get(key, 0) + 1

    async def get(client: httpx.AsyncClient, path: str) -> httpx.Response:
        """GET, sent again once when the server had just closed the idle connection it went
        out on (its keep-alive ran out as the user clicked), as browsers do; counted."""
        try:
            return await client.get(path)
        except (httpx.ReadError, httpx.RemoteProtocolError):
            retried[0] += 1
            return await client.get(path)

    retried = [0]
    began = time.monotonic()
    await asyncio.gather(*(walk(c, i) for i, c in enumerate(clients)))
    elapsed = time.monotonic() - began
    await asyncio.gather(*(c.aclose() for c in clients))
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "users": users,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "errors": errors,
        "retried": retried[0],
        "p95_by_path": {
            path: statistics.quantiles(times, n=20)[18] * 1000
            for path, times in by_path.items()
            if len(times) >= 2
        },
    }


def make_register(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as file:
        file.write("Name,Country,Town\n")
        for n in range(rows):
            file.write(f"Load Test Company {n} OÜ,EE,Tartu {n % 500}\n")


def start_busy_work(args) -> list[subprocess.Popen]:
    """The worker importing a big register, and a 15,000-participant scheduling run."""
    work = Path(args.workdir)
    worker = subprocess.Popen(
        [sys.executable, "-m", "metacluster.cli", "worker", "--concurrency", "1",
         "--loglevel", "WARNING"],
        env=env_for(args), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    register = work / "register.csv"
    if not register.exists():
        make_register(register, args.import_rows)
    job = metacluster(
        args, "import-companies", str(register), "--source", f"load {time.time():.0f}",
        "--user", "advisor.acreo", "--background",
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    event = work / "event-15000.json"
    if not event.exists():
        metacluster(
            args, "generate-event", "--participants", "15000", "--requests", "90000",
            "--tables", "500", "--seed", "1", "--output", str(event),
        )  # fmt: skip
    # At the worker's priority (jobs/priority.py), as "Schedule all" would run in the worker.
    scheduler = subprocess.Popen(
        ["chrt", "--idle", "0", "nice", "-n", "19", sys.executable, "-m", "metacluster.cli", "schedule", str(event), "--output",
         str(work / "agenda.json"), "--time-limit", "600"],
        env=env_for(args), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    Path(f"/proc/{scheduler.pid}/autogroup").write_text("19")  # a session of its own
    print(f"busy: import job {job} ({args.import_rows:,} rows) on the worker; scheduler running")
    time.sleep(3)
    return [worker, scheduler]


def busy_work_done(args, processes: list[subprocess.Popen]) -> str:
    """How far the background work got meanwhile: the pages' priority must not starve it."""
    import psycopg

    with psycopg.connect(args.database_url) as connection:
        status, progress = connection.execute(
            "SELECT status, progress FROM scouting_importjob ORDER BY id DESC LIMIT 1"
        ).fetchone()
    scheduler = "finished" if processes[1].poll() is not None else "still running"
    return f"meanwhile: the import is {status}, {progress:.0%} done; the scheduler {scheduler}"


def report(title: str, results: list[dict]) -> None:
    print(f"\n{title}")
    print("| users | requests | req/s | p50 ms | p95 ms | p99 ms | errors | sent again |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        errors = sum(r["errors"].values())
        print(
            f"| {r['users']} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {errors} | {r['retried']} |"
        )
        for key, count in r["errors"].items():
            print(f"|   | {key}: {count} |")
    slowest = results[-1]["p95_by_path"]
    print(f"p95 by page at {results[-1]['users']} users (ms): " + ", ".join(
        f"{path} {ms:.0f}" for path, ms in sorted(slowest.items(), key=lambda item: -item[1])
    ))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,50,200")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--think", default="1,5", help="seconds between a user's pages: MIN,MAX, or 0"
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/mc_bench_load"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--fresh", action="store_true", help="recreate the database")
    parser.add_argument("--idle-only", action="store_true", help="skip the busy-worker runs")
    parser.add_argument("--busy-only", action="store_true", help="skip the idle-worker runs")
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",")]
    low, _, high = args.think.partition(",")
    think = (float(low), float(high or low))
    with tempfile.TemporaryDirectory(prefix="mc-load-") as workdir:
        args.workdir = workdir
        prepare_database(args)
        print(
            f"load average before: {os.getloadavg()[0]:.1f} (2-core machine: {os.cpu_count()} cores)"
        )
        server, base = start_gunicorn(args)
        try:
            print(f"think time between pages: {think[0]:g}–{think[1]:g} s")
            if not args.busy_only:
                idle = [asyncio.run(run_level(base, n, args.seconds, think)) for n in levels]
                report("Worker idle", idle)
            if not args.idle_only:
                busy_processes = start_busy_work(args)
                try:
                    busy = [asyncio.run(run_level(base, n, args.seconds, think)) for n in levels]
                    report("Worker busy (big import + 15,000-participant scheduling)", busy)
                    print(busy_work_done(args, busy_processes))
                finally:
                    for process in busy_processes:
                        if process.poll() is None:
                            os.killpg(process.pid, signal.SIGKILL)
            print(f"\nload average after: {os.getloadavg()[0]:.1f}")
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
