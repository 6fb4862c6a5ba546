"""Specification of `python -m metacluster.core.readiness`: JSON in, JSON out, exit 2 with one
line on bad input."""

import io
import json
import subprocess
import sys

from metacluster.core.readiness import cli

from .helpers import instrument_data


def run(tmp_path, data):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    return cli.run({"input": str(path)}, stdout=out), out


def test_one_assessment_is_scored(tmp_path):
    data, out = run(tmp_path, {"instrument": instrument_data(), "answers": {"p1": 5, "p2": 5}})
    assert data["overall"] == 100
    assert json.loads(out.getvalue())["dimensions"]["offer"]["score"] is None


def test_a_list_gets_percentiles_among_the_others(tmp_path):
    answers = [{"p1": a, "p2": a, "o1": a, "o2": a} for a in (1, 3, 5)]
    data, _ = run(
        tmp_path,
        {
            "instrument": instrument_data(),
            "assessments": [{"id": n, "answers": a} for n, a in enumerate(answers)],
        },
    )
    assert [r["percentile"] for r in data["results"]] == [0, 50, 100]


def test_bad_input_exits_2_with_one_line(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"instrument": instrument_data(), "answers": {"p1": 9}}))
    done = subprocess.run(
        [sys.executable, "-m", "metacluster.core.readiness", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: invalid answers: p1:")
    assert done.stderr.count("\n") == 1


def test_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "in.json"
    path.write_text("{nope")
    assert cli.main([str(path)]) == 2
