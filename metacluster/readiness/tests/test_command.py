"""`metacluster score-readiness`: answers in, scores out, exit 2 on bad input."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def test_it_scores_answers_against_a_shipped_instrument(tmp_path, instrument):
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"answers": {item.id: 5 for item in instrument.items}}))
    out = io.StringIO()
    call_command("score_readiness", str(path), "--instrument", instrument.version, stdout=out)
    result = json.loads(out.getvalue())
    assert (result["overall"], result["stage"]) == (100, "committed")


def test_an_unknown_version_exits_2(tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"answers": {}}')
    with pytest.raises(CommandError) as error:
        call_command("score_readiness", str(path), "--instrument", "1999-1")
    assert error.value.returncode == 2


def test_an_answer_off_the_scale_exits_2(tmp_path, instrument):
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"answers": {"C1": 9}}))
    with pytest.raises(CommandError, match="C1"):
        call_command("score_readiness", str(path), "--instrument", instrument.version)
