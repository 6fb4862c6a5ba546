"""The contract every core CLI keeps: JSON in and out, unusable input → one line and status 2."""

import argparse
import json

import pytest

from metacluster.core.cliutils import InputError, main, positive_seconds, read_json, write_json


def test_reads_a_json_file(tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"a": [1, 2]}', encoding="utf-8")
    assert read_json(str(path)) == {"a": [1, 2]}


def test_a_missing_file_names_what_could_not_be_read(tmp_path):
    with pytest.raises(InputError, match="cannot read event: .*No such file"):
        read_json(str(tmp_path / "absent.json"), what="event")


def test_malformed_json_says_so_with_the_position(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"a": ', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON: .*line 1"):
        read_json(str(path))


def test_a_file_that_is_not_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "Åbo"}'.encode("latin-1"))
    with pytest.raises(InputError, match="cannot read input"):
        read_json(str(path))


def test_writes_unicode_as_is_to_a_file(tmp_path):
    path = tmp_path / "out.json"
    write_json({"name": "Tallinn Ülikool"}, str(path))
    assert "Ülikool" in path.read_text(encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == {"name": "Tallinn Ülikool"}


def test_an_unwritable_output_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot write schedule"):
        write_json({}, str(tmp_path / "no-such-dir" / "out.json"), what="schedule")


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "soon"])
def test_a_time_limit_must_be_a_finite_positive_number(text):
    with pytest.raises(argparse.ArgumentTypeError):
        positive_seconds(text)


def test_main_exits_2_with_one_line_on_bad_input(capsys):
    def run(options):
        raise InputError(f"invalid input: {options['input']} is empty")

    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    assert main(parser, run, ["x.json"]) == 2
    assert capsys.readouterr().err == "error: invalid input: x.json is empty\n"


def test_main_exits_0_when_the_run_succeeds():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    seen = []
    assert main(parser, seen.append, ["x.json"]) == 0
    assert seen == [{"input": "x.json"}]
