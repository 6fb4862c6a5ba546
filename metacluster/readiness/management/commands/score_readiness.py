"""`metacluster score-readiness INPUT.json [--instrument VERSION] [--output OUT.json]`.

A thin wrapper around `metacluster.core.readiness.cli`: scores one assessment's answers, or a
list of assessments with their percentiles among each other. The instrument is the one in the
input, or a shipped version named with --instrument (the input then needs only the answers).
Malformed input exits with status 2.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.readiness.cli import InputError, score_input
from metacluster.readiness import instruments


class Command(BaseCommand):
    help = (
        "Score export readiness answers given as JSON against an instrument: overall, "
        "dimension and axis scores, stage, gaps and recommended service kinds."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="answers as JSON, or - for standard input")
        parser.add_argument("--output", help="write the result here instead of standard output")
        parser.add_argument(
            "--instrument",
            metavar="VERSION",
            help="a shipped instrument version: " + ", ".join(instruments.available_versions()),
        )

    def handle(self, *args, **options):
        try:
            data = self._read(options["input"])
            if options.get("instrument"):
                if not isinstance(data, dict):
                    raise InputError("the input must be a JSON object")
                version = options["instrument"]
                if version not in instruments.available_versions():
                    raise InputError(
                        f"no instrument {version!r}; shipped: "
                        + ", ".join(instruments.available_versions())
                    )
                path = instruments.INSTRUMENT_DIR / f"{version}.json"
                data["instrument"] = json.loads(path.read_text(encoding="utf-8"))
            result = score_input(data)
            text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
            if options.get("output"):
                with open(options["output"], "w", encoding="utf-8") as f:
                    f.write(text)
            else:
                self.stdout.write(text, ending="")
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
        except OSError as error:
            raise CommandError(f"cannot read or write: {error}", returncode=2) from None

    @staticmethod
    def _read(name: str):
        try:
            if name == "-":
                return json.load(sys.stdin)
            with open(name, encoding="utf-8") as f:
                return json.load(f)
        except json.JSONDecodeError as error:
            raise InputError(f"cannot read input: not valid JSON: {error}") from None
