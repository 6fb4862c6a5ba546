"""Serving in production: gunicorn with this repository's gunicorn.conf.py on a SQLite file,
/healthz and /readyz, concurrent writers on SQLite, SECRET_KEY, `check --deploy`, JSON logs."""

from __future__ import annotations

import http.cookiejar
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from metacluster.jobs.logs import JsonFormatter

from .conftest import ROOT, process_env, run_metacluster

SETUP = """
from datetime import date, time
from metacluster.accounts.models import Organisation, User
from metacluster.companies.models import Company, engage
from metacluster.programmes.models import Partnership, Programme
from metacluster.services.models import Service
from metacluster.testbeds.models import Testbed
org = Organisation.objects.create(name="Booking Cluster", kind="cluster", country="SE")
programme = Programme.objects.create(
    name="Booking Programme", acronym="bp", funding_programme="Interreg",
    start_date=date(2020, 1, 1), end_date=date(2099, 12, 31), total_budget=1000)
Partnership.objects.create(
    programme=programme, organisation=org, role="lead", budget=1000, co_financing_rate=75)
service = Service.objects.create(
    programme=programme, provider=org, kind="testbed", name="Pilot area", unit="hours",
    value_per_unit=100)
Testbed.objects.create(
    service=service, name="Pilot area", kind="pilot_area", town="Kista", country="SE",
    time_zone="UTC", capacity=4, weekdays="1234567", opens_at=time(8), closes_at=time(16),
    slot_minutes=240)
for n in range(4):
    user = User.objects.create_user(
        f"booker{n}", password="booking-pass-2026", organisation=org, role="manager")
    company = Company.objects.create(name=f"Booker {n} AB", country="SE", owner=org)
    engage(company, programme, org, by=user)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(database):
    """gunicorn (2 processes × 4 threads, gunicorn.conf.py) on the module's database."""
    if database.path is None:
        pytest.skip("the SQLite concurrency checks need the SQLite run")
    done = run_metacluster(database, None, "shell", "-c", SETUP)
    assert done.returncode == 0, done.stderr
    port = free_port()
    env = process_env(database, None, WEB_CONCURRENCY="2", GUNICORN_BIND=f"127.0.0.1:{port}")
    log = open(database.path.parent / "gunicorn.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "metacluster.wsgi:application"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        log.seek(0)
        pytest.fail(f"gunicorn did not start:\n{log.read()[-3000:]}")
    yield base
    process.terminate()
    process.wait(30)
    log.close()


class Browser:
    """A logged-in person, over real HTTP with cookies and the CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirect(),
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        if not any(cookie.name == "csrftoken" for cookie in self.cookies):
            self.get("/accounts/login/")
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        fields = {**fields, "csrfmiddlewaretoken": token}
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, username: str, password: str) -> None:
        status, _body = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 302, "logged in"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_four_simultaneous_bookings_on_sqlite_all_succeed_without_a_500(server, database):
    (testbed,) = database.query("SELECT id FROM testbeds_testbed")[0]
    companies = dict(database.query("SELECT name, id FROM companies_company"))
    day = (timezone.now() + timedelta(days=2)).date()
    starts_at = f"{day.isoformat()}T08:00:00+00:00"
    browsers = []
    for n in range(4):
        browser = Browser(server)
        browser.log_in(f"booker{n}", "booking-pass-2026")
        browsers.append(browser)
    start = threading.Barrier(4)
    outcomes: list[int] = []

    def book(n: int) -> None:
        start.wait(timeout=30)
        status, _body = browsers[n].post(
            f"/testbeds/{testbed}/book/",
            {"starts_at": starts_at, "company": companies[f"Booker {n} AB"], "purpose": "pilot"},
        )
        outcomes.append(status)

    threads = [threading.Thread(target=book, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sorted(outcomes) == [302, 302, 302, 302]  # no 500 "database is locked"
    seats = database.query("SELECT seat FROM testbeds_booking ORDER BY seat")
    assert [seat for (seat,) in seats] == [1, 2, 3, 4]


def test_health_and_readiness_through_gunicorn(server):
    with urllib.request.urlopen(f"{server}/healthz", timeout=10) as response:
        assert response.status == 200 and json.load(response) == {"status": "ok"}
    with urllib.request.urlopen(f"{server}/readyz", timeout=10) as response:
        assert json.load(response) == {"status": "ok", "checks": {"database": True}}


@pytest.mark.django_db
def test_readiness_is_503_when_redis_does_not_answer(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "redis": False},
    }


def _settings_process(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    # Nor what the browser tests set in this process's environment (DJANGO_ALLOW_ASYNC_UNSAFE,
    # which `check --deploy` rightly warns about): a deployment starts without it.
    dropped = ("SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "metacluster.cli", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "metacluster.settings", "PYTHONPATH": str(ROOT),
             **env},
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_deployment_without_a_secret_key_does_not_start(tmp_path):
    done = _settings_process(tmp_path, "check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr
    debug = _settings_process(
        tmp_path, "check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DEBUG="true"
    )
    assert debug.returncode == 0, debug.stderr


@pytest.mark.parametrize("niceness", ["20", "-1", "low"])
def test_a_worker_niceness_linux_cannot_take_stops_start_up_with_its_name(tmp_path, niceness):
    done = _settings_process(tmp_path, "check", WORKER_NICENESS=niceness)
    assert done.returncode != 0
    assert "WORKER_NICENESS must be" in done.stderr


def test_the_local_demo_makes_its_own_key_once_readable_only_by_its_owner(tmp_path):
    first = _settings_process(tmp_path, "check")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / ".metacluster-secret-key"
    key = key_file.read_text()
    assert len(key) >= 50 and key_file.stat().st_mode & 0o777 == 0o600
    assert _settings_process(tmp_path, "check").returncode == 0
    assert key_file.read_text() == key


def test_check_deploy_is_clean_with_secure_cookies(tmp_path):
    done = _settings_process(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="x" * 20 + "-a-long-random-production-key-for-the-deploy-check-" + "y" * 10,
        SECURE_COOKIES="true", ALLOWED_HOSTS="metacluster.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_json_logs_are_one_object_per_line_with_the_extra_fields():
    record = logging.LogRecord("metacluster.jobs", logging.WARNING, __file__, 1, "job %s lost",
                               (7,), None)  # fmt: skip
    record.job = 7
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "job 7 lost" and entry["level"] == "WARNING"
    assert entry["logger"] == "metacluster.jobs" and entry["job"] == 7
    assert "\n" not in line


def test_settings_configure_celery_from_redis_url():
    # The test run has no REDIS_URL: tasks run in-process (the embedded default).
    assert settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
