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
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[3]
REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379")
ROWS = 60_000  # enough for the import to be caught mid-way on a 2-core machine
LIMIT = 120  # seconds: "retried or marked failed within two minutes"


def _redis_db(worker_id: str) -> int:
    """A Redis database per pytest-xdist process, so parallel workers never share a queue."""
    return 10 + (int(worker_id[2:]) % 6 if worker_id.startswith("gw") else 0)


@pytest.fixture(scope="module")
def redis_url(worker_id):
    import redis

    url = f"{REDIS}/{_redis_db(worker_id)}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Redis is not reachable at {url} on CI: {error}")
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    return url


class Database:
    """The worker's database, read and written with plain SQL from the test."""

    def __init__(self, url: str, path: Path | None = None):
        self.url, self.path = url, path

    def query(self, sql: str, *params):
        if self.path is not None:
            with sqlite3.connect(self.path, timeout=30) as connection:
                return connection.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql.replace("?", "%s"), params).fetchall()


@pytest.fixture(scope="module")
def database(tmp_path_factory, worker_id):
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("worker-db") / "worker.sqlite3"
        found = Database(f"sqlite:///{path}", path)
        drop = None
    else:
        import psycopg

        name = f"mc_worker_tests_{os.getpid()}_{worker_id}"
        server = "postgres://{user}@{host}:{port}".format(
            user=default.get("USER") or "postgres",
            host=default.get("HOST") or "127.0.0.1",
            port=default.get("PORT") or 5432,
        )
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        found = Database(f"{server}/{name}")

        def drop():
            with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    found.uploads = tmp_path_factory.mktemp("worker-uploads")
    done = _metacluster(found, None, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    script = (
        "from metacluster.accounts.models import Organisation, User; "
        "org = Organisation.objects.create(name='Worker Test Park', kind='science_park', "
        "country='EE'); "
        "User.objects.create_user('importer', password='x', organisation=org, role='advisor')"
    )
    done = _metacluster(found, None, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    yield found
    if drop:
        drop()


def _env(database: Database, redis_url: str | None, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metacluster.settings",
        "SECRET_KEY": "worker-tests-key",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database.url,
        "METACLUSTER_IMPORT_DIR": str(database.uploads),
        # Quick heartbeats so that a lost job is noticed within seconds, not a minute.
        "JOB_HEARTBEAT_SECONDS": "1",
        "JOB_STALE_SECONDS": "6",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _metacluster(database, redis_url, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "metacluster.cli", *args],
        env=_env(database, redis_url, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


class Worker:
    def __init__(self, database, redis_url, tmp_path, *args):
        self.log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "metacluster.cli", "worker", "--concurrency", "1", *args],
            env=_env(database, redis_url),
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

    def start(*args) -> Worker:
        worker = Worker(database, redis_url, tmp_path, *args)
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
    done = _metacluster(
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


def test_an_import_sent_to_the_worker_runs_there(database, redis_url, start_worker, tmp_path):
    worker = start_worker()
    path = register_file(tmp_path / "small.csv", "small", rows=50)
    pk = enqueue_import(database, redis_url, path, "small")

    wait_for(lambda: job(database, pk)["status"] == "done", LIMIT, worker, "the import ran")
    assert companies(database, "small") == 50
    assert job(database, pk)["attempts"] == 1


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
