"""`metacluster form-consortia`: the core command behind the project's entry point."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from metacluster.core.consortia import generate_instance


def test_it_forms_consortia_from_json(tmp_path):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(generate_instance(30, 4, seed=2)), encoding="utf-8")
    call_command("form_consortia", str(source), "--output", str(target), "--time-limit", "5")
    result = json.loads(target.read_text(encoding="utf-8"))
    assert {p["need"] for p in result["consortia"]} == {"n1", "n2", "n3", "n4"}
    assert set(result["stats"]) >= {"needs_covered", "bound", "optimal", "seconds"}


def test_bad_input_is_a_command_error(tmp_path):
    source = tmp_path / "in.json"
    source.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="the input must be a JSON object"):
        call_command("form_consortia", str(source))


def test_the_console_script_exits_2_on_bad_input(tmp_path):
    source = tmp_path / "in.json"
    source.write_text('{"needs": 3}', encoding="utf-8")
    metacluster = [sys.executable, "-m", "metacluster.cli"]
    done = subprocess.run(
        [*metacluster, "form-consortia", str(source)], capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr
    assert "needs must be a list" in done.stderr
