"""compose.yaml and the Dockerfile describe a deployment that can run: web via gunicorn, a
worker and beat from the same image, PostgreSQL and Redis, volumes for what must outlive a
container. `docker compose config` validates the file where the compose plugin is installed;
where it is not (the CI machine has the docker client only), the file is read here instead."""

import shutil
import subprocess

import pytest
import yaml

from .conftest import ROOT

COMPOSE = ROOT / "compose.yaml"
ENV = {"SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "p", "ALLOWED_HOSTS": "example.org"}


def compose_plugin() -> bool:
    if not shutil.which("docker"):
        return False
    done = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    return done.returncode == 0


@pytest.mark.skipif(not compose_plugin(), reason="the docker compose plugin is not installed")
def test_docker_compose_config_accepts_the_file():
    done = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        env={**ENV, "PATH": "/usr/local/bin:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


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


def test_the_image_serves_with_gunicorn_as_a_user_of_its_own():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY gunicorn.conf.py" in dockerfile and "USER metacluster" in dockerfile
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"' in dockerfile
