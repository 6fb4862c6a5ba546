"""Start-up stays light: the web application (settings, every app, the URLconf with every
view and API module) never imports the heavy numeric and document libraries. They are
imported inside the functions that use them, so pages and `metacluster help` don't pay for
them. No timing here: the modules are looked up in `sys.modules` of a fresh interpreter."""

import json
import subprocess
import sys

HEAVY = [
    "numba",
    "numpy",
    "polars",
    "ortools",
    "scipy",
    "weasyprint",
    "openpyxl",
    "rapidfuzz",
    "icalendar",
]

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metacluster.settings")
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # imports every view and API module
import metacluster.events.views, metacluster.markets.views, metacluster.matchmaking.views
import metacluster.events.adapters, metacluster.matchmaking.adapters, metacluster.markets.adapters
print(json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def test_the_web_application_imports_no_heavy_library():
    completed = subprocess.run(
        [sys.executable, "-c", PROBE % HEAVY],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.splitlines()[-1]) == []


def test_the_core_packages_import_without_numeric_libraries():
    # the scheduling command and the matching records import these packages first
    probe = (
        "import json, sys\n"
        "import metacluster.core.scheduling, metacluster.core.matching, metacluster.core.scouting\n"
        "import metacluster.core.scheduling.cli\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.splitlines()[-1]) == []
