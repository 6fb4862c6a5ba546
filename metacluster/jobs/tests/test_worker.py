"""A real Celery worker on real Redis: imports sent by `import-companies --background` run
on it, and an import whose worker is killed (SIGKILL) mid-way is taken up again within two
minutes, with nothing of the killed run written and the job never left "committing".

The worker is a subprocess (`python -m metacluster.cli worker`) with its own database: a
SQLite file, or a PostgreSQL database of its own when the suite runs on PostgreSQL (the
suite's test database lives inside a transaction or in memory, where a subprocess cannot see
it). The test reads that database with plain SQL. Redis must run on 127.0.0.1:6379
(REDIS_TEST_URL); the tests are skipped without it, except on CI (CI=true) where they fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, TEST_CLIENT, process_env, run_metacluster

pytestmark = pytest.mark.worker

ROWS = 60_000  # enough for the import to be caught mid-way on a 2-core machine
LIMIT = 120  # seconds: "retried or marked failed within two minutes"


class Worker:
    def __init__(self, database, redis_url, tmp_path, *args, niceness: int):
        self.log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "metacluster.cli", "worker", "--concurrency", "1", *args],
            env=process_env(database, redis_url, WORKER_NICENESS=str(niceness)),
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )

    def children(self) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """The whole worker, at once: main process and its pool."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-4000:]


@pytest.fixture
def start_worker(database, redis_url, tmp_path):
    started = []

    def start(*args, niceness: int = 0) -> Worker:
        # At normal priority unless a test is about priority: the test processes keep a CI
        # machine's cores busy, and a worker that gives way to them would barely run.
        worker = Worker(database, redis_url, tmp_path, *args, niceness=niceness)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
        worker.log.close()


def register_file(path: Path, source: str, rows: int = ROWS) -> str:
    with open(path, "w", encoding="utf-8") as file:
        file.write("Name,Country,Town\n")
        for n in range(rows):
            file.write(f"{source} Company {n} OÜ,EE,Tartu\n")
    return str(path)


def enqueue_import(database, redis_url, path: str, source: str) -> int:
    done = run_metacluster(
        database,
        redis_url,
        "import-companies",
        path,
        "--source",
        source,
        "--user",
        "importer",
        "--background",
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def job(database, pk: int) -> dict:
    (row,) = database.query(
        "SELECT status, attempts, heartbeat_at, message, counts FROM scouting_importjob "
        "WHERE id = ?",
        pk,
    )
    return dict(zip(["status", "attempts", "heartbeat_at", "message", "counts"], row, strict=True))


def companies(database, source: str) -> int:
    return database.query("SELECT count(*) FROM companies_company WHERE source = ?", source)[0][0]


def wait_for(check, seconds: float, worker: Worker, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds} s; the worker said:\n{worker.output()}")


def priority(pid: int) -> tuple[int, int] | None:
    try:
        return os.getpriority(os.PRIO_PROCESS, pid), os.sched_getscheduler(pid)
    except ProcessLookupError:  # a connection closed since it was listed
        return None


def test_an_import_sent_to_the_worker_runs_there(database, redis_url, start_worker, tmp_path):
    worker = start_worker()
    path = register_file(tmp_path / "small.csv", "small", rows=50)
    pk = enqueue_import(database, redis_url, path, "small")

    wait_for(lambda: job(database, pk)["status"] == "done", LIMIT, worker, "the import ran")
    assert companies(database, "small") == 50
    assert job(database, pk)["attempts"] == 1


def test_the_worker_and_its_pool_yield_the_cpu_to_web_processes(
    database, redis_url, start_worker, tmp_path
):
    worker = start_worker(niceness=19)
    path = register_file(tmp_path / "small.csv", "nice", rows=5)
    pk = enqueue_import(database, redis_url, path, "nice")
    wait_for(lambda: job(database, pk)["status"] == "done", LIMIT, worker, "the import ran")

    for pid in [worker.process.pid, *worker.children()]:
        assert priority(pid) == (19, os.SCHED_IDLE)
    if not Path("/proc/self/autogroup").exists():
        return  # a kernel without autogroups shares the CPU by niceness alone
    # The worker leads its session here, so the session's CPU share is lowered too; its
    # processes share one autogroup.
    autogroups = {
        Path(f"/proc/{pid}/autogroup").read_text().strip()
        for pid in [worker.process.pid, *worker.children()]
    }
    assert len(autogroups) == 1 and autogroups.pop().endswith(" nice 19")


def test_on_a_local_postgresql_the_database_work_of_the_worker_yields_too(
    database, redis_url, start_worker, tmp_path
):
    if database.path is not None:
        pytest.skip("PostgreSQL only: SQLite's work is done in the worker's own process")
    if os.geteuid() != 0:
        pytest.skip("lowering the priority of PostgreSQL's processes needs root")
    worker = start_worker(niceness=19)
    path = register_file(tmp_path / "backend.csv", "backend")
    pk = enqueue_import(database, redis_url, path, "backend")
    wait_for(lambda: job(database, pk)["heartbeat_at"], LIMIT, worker, "the worker took it")
    # The server processes serving the worker's connections: the import's, the heartbeat's
    # (not the test's own, whose last one may still be on its way out).
    pids = [
        pid
        for (pid,) in database.query(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND backend_type = 'client backend' "
            "AND application_name <> ?",
            TEST_CLIENT,
        )
    ]
    assert pids
    # Niced, not SCHED_IDLE: the web's queries wait for the locks these processes hold.
    assert {priority(pid) for pid in pids} - {None} == {(19, os.SCHED_OTHER)}
    wait_for(lambda: job(database, pk)["status"] == "done", LIMIT, worker, "the import ran")


def test_an_import_whose_worker_process_is_killed_is_run_again_and_written_once(
    database, redis_url, start_worker, tmp_path
):
    worker = start_worker()
    path = register_file(tmp_path / "killed.csv", "killed")
    pk = enqueue_import(database, redis_url, path, "killed")
    wait_for(
        lambda: job(database, pk)["heartbeat_at"] and job(database, pk)["status"] == "committing",
        LIMIT,
        worker,
        "the worker took the import",
    )
    time.sleep(1.5)  # inside the import's transaction
    (child,) = wait_for(worker.children, 10, worker, "the pool process exists")
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()
    assert companies(database, "killed") == 0, "the killed run wrote nothing"

    wait_for(
        lambda: job(database, pk)["status"] in ("done", "failed"),
        LIMIT,
        worker,
        "the import was run again or failed",
    )
    assert time.monotonic() - killed_at < LIMIT
    found = job(database, pk)
    assert found["status"] == "done", found
    assert found["attempts"] == 2
    assert companies(database, "killed") == ROWS  # once, not once and a half


def test_an_import_whose_whole_worker_dies_is_taken_up_by_the_next_worker(
    database, redis_url, start_worker, tmp_path
):
    first = start_worker()
    path = register_file(tmp_path / "restart.csv", "restart")
    pk = enqueue_import(database, redis_url, path, "restart")
    wait_for(
        lambda: job(database, pk)["heartbeat_at"] and job(database, pk)["status"] == "committing",
        LIMIT,
        first,
        "the first worker took the import",
    )
    time.sleep(1.5)
    first.kill()  # main process and pool: the message stays unacknowledged in Redis
    killed_at = time.monotonic()
    assert job(database, pk)["status"] == "committing"

    # A new worker with beat embedded: its periodic reaper finds the silent job.
    second = start_worker("--beat", "--schedule", str(tmp_path / "beat-schedule"))
    wait_for(
        lambda: job(database, pk)["status"] in ("done", "failed"),
        LIMIT,
        second,
        "the import was taken up again",
    )
    assert time.monotonic() - killed_at < LIMIT
    found = job(database, pk)
    assert found["status"] == "done", found
    assert found["attempts"] == 2
    assert companies(database, "restart") == ROWS
