"""Security headers: a Content-Security-Policy on every page (no inline scripts, no inline
event handlers), HSTS behind HTTPS."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_page_carries_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_api_docs_page_works_under_the_policy(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and "Content-Security-Policy" in response


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_no_template_has_an_inline_script_or_event_handler(template):
    text = template.read_text()
    inline_scripts = [
        tag for tag in re.findall(r"<script\b[^>]*>", text)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]  # fmt: skip
    assert not inline_scripts
    assert not re.findall(r"\son[a-z]+\s*=", text)
    assert "javascript:" not in text


def settings_with(**env) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'metacluster.settings'; "
        "from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    environment = {**os.environ, **env}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    return result.stdout.strip()


def test_hsts_is_sent_only_behind_https():
    assert settings_with(SECURE_COOKIES="true").split()[0] == "31536000"
    assert settings_with(SECURE_COOKIES="false").split()[0] == "0"
