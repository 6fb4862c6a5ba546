"""Fixtures for tests that start real processes (a Celery worker, gunicorn): their own
database (a SQLite file, or a PostgreSQL database of their own on the PostgreSQL run) and a
Redis database per pytest-xdist process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379")
# The tests' own connections to a worker's database, told apart from the worker's.
TEST_CLIENT = "metacluster-worker-tests"


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

        with psycopg.connect(self.url, autocommit=True, application_name=TEST_CLIENT) as connection:
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
    done = run_metacluster(found, None, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    script = (
        "from metacluster.accounts.models import Organisation, User; "
        "org = Organisation.objects.create(name='Worker Test Park', kind='science_park', "
        "country='EE'); "
        "User.objects.create_user('importer', password='x', organisation=org, role='advisor')"
    )
    done = run_metacluster(found, None, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    yield found
    if drop:
        drop()


def process_env(database: Database, redis_url: str | None, **extra) -> dict:
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


def run_metacluster(database, redis_url, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "metacluster.cli", *args],
        env=process_env(database, redis_url, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
