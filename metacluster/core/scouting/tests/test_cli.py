import json
import subprocess
import sys


def run(command, data, tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    return subprocess.run(
        [sys.executable, "-m", "metacluster.core.scouting", command, str(path)],
        capture_output=True,
        text=True,
    )


def test_check_reports_row_errors_with_lines(tmp_path):
    done = run(
        "check", {"default_country": "EE", "rows": [{"name": "A", "employees": "-1"}]}, tmp_path
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["errors"][0] == {
        "line": 2, "field": "employees", "kind": "employees",
        "message": "-1 is not a possible head count",
    }  # fmt: skip


def test_dedup_and_score(tmp_path):
    records = [{"id": 1, "country": "FI", "name": "Nokia Oyj", "town": "Espoo"},
               {"id": 2, "country": "FI", "name": "NOKIA", "town": "Espoo"}]  # fmt: skip
    done = run("dedup", records, tmp_path)
    assert json.loads(done.stdout)[0]["reason"] == "name_town"
    done = run("score", {"profile": {"sector_codes": ["62"]}, "year": 2026,
                         "companies": [{"nace_codes": ["62.01"], "employees": 5}]}, tmp_path)  # fmt: skip
    assert json.loads(done.stdout)[0]["criteria"][0]["points"] == 30


def test_malformed_input_exits_2(tmp_path):
    done = run("score", {"companies": [{"no_such_field": 1}]}, tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("error:")
