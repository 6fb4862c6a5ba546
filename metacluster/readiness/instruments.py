"""The readiness instruments shipped with Metacluster: one JSON file per version in
`instruments/`, named by its version (e.g. `2026-1.json`). An instrument version never changes
once assessments use it; a changed questionnaire is a new file with a new version."""

from functools import cache
from pathlib import Path

from metacluster.core.readiness import Instrument, parse_instrument

INSTRUMENT_DIR = Path(__file__).parent / "instruments"


class UnknownVersion(LookupError):
    """No instrument file has this version."""


def available_versions() -> list[str]:
    """Every shipped version, oldest first (versions sort as YYYY-N)."""
    return sorted(path.stem for path in INSTRUMENT_DIR.glob("*.json"))


def latest_version() -> str:
    return available_versions()[-1]


def version_choices() -> list[tuple[str, str]]:
    return [(version, version) for version in available_versions()]


@cache
def load(version: str) -> Instrument:
    """The instrument of `version`; raises UnknownVersion if no file has it."""
    import json

    if version not in available_versions():
        raise UnknownVersion(version)
    path = INSTRUMENT_DIR / f"{version}.json"
    return parse_instrument(json.loads(path.read_text(encoding="utf-8")))
