"""The `score-readiness` command: `python -m metacluster.core.readiness INPUT.json`.

The input is a JSON object with the instrument and either one assessment's answers or a list
of assessments::

    {"instrument": {...}, "answers": {"C1": 3, "C2": null, ...}}
    {"instrument": {...}, "assessments": [{"id": "a", "answers": {...}}, ...]}

For a list, each result also carries its percentile among the other reliable results.
Malformed input exits with status 2 and one line on standard error saying what is wrong.
"""

from __future__ import annotations

import argparse
import sys

from ..cliutils import InputError, read_json, write_json
from ..cliutils import main as cli_main
from .model import InvalidInstrument, parse_instrument
from .scoring import InvalidAnswers, percentile_ranks, score

__all__ = ["InputError", "add_arguments", "main", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="instrument and answers as JSON, or - for standard input")
    parser.add_argument("--output", help="write the result here instead of standard output")


def score_input(data) -> dict:
    """Score what the input holds; raises InputError on anything malformed."""
    if not isinstance(data, dict) or "instrument" not in data:
        raise InputError('the input must be an object with "instrument" and "answers"')
    try:
        instrument = parse_instrument(data["instrument"])
    except InvalidInstrument as error:
        raise InputError(f"invalid instrument: {error}") from None
    try:
        if "answers" in data:
            return score(instrument, data["answers"]).to_json()
        assessments = data.get("assessments")
        if not isinstance(assessments, list):
            raise InputError('give "answers" (one assessment) or "assessments" (a list)')
        results = []
        for n, assessment in enumerate(assessments):
            if not isinstance(assessment, dict):
                raise InputError(f"assessments[{n}] must be an object with answers")
            result = score(instrument, assessment.get("answers", {})).to_json()
            results.append({"id": assessment.get("id", n), **result})
    except InvalidAnswers as error:
        raise InputError(f"invalid answers: {error}") from None
    reliable = [r for r in results if r["reliable"]]
    ranks = percentile_ranks([r["overall"] for r in reliable])
    for result in results:
        result["percentile"] = None
    for result, rank in zip(reliable, ranks, strict=True):
        result["percentile"] = None if rank is None else round(rank, 1)
    return {"version": instrument.version, "results": results}


def run(options: dict, stdout=None) -> dict:
    data = score_input(read_json(options["input"]))
    write_json(data, options.get("output"), stdout=stdout, what="result")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.readiness",
        description="Score export readiness assessments against an instrument.",
    )
    add_arguments(parser)
    return cli_main(parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
