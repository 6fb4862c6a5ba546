"""Specification of the `schedule` and `generate-event` commands: JSON in, JSON out, exit 2
with one clear line on bad input, never a traceback.

The core commands run in-process; the `metacluster` console-script wrappers run once each
in a subprocess, so these tests never import Django themselves.
"""

import json
import subprocess
import sys
import time

import pytest

from metacluster.core import cliutils
from metacluster.core.scheduling import cli, generate
from metacluster.core.scheduling.generate import generate_event

from .helpers import check_schedule

EVENT = {
    "slots": [
        {
            "id": "s1",
            "start": "2026-03-10T09:00+01:00",
            "end": "2026-03-10T09:30+01:00",
            "session": "day 1",
        },
        {
            "id": "s2",
            "start": "2026-03-10T09:30+01:00",
            "end": "2026-03-10T10:00+01:00",
            "session": "day 1",
        },
    ],
    "tables": 1,
    "participants": [{"id": "buyer"}, {"id": "a"}, {"id": "b", "unavailable": ["s1"]}],
    "requests": [
        {"id": "r1", "participants": ["buyer", "a"]},
        {"id": "r2", "participants": ["buyer", "b"], "weight": 2},
    ],
}


@pytest.fixture
def event_file(tmp_path):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(EVENT), encoding="utf-8")
    return path


def test_it_reads_an_event_and_writes_a_schedule(event_file, tmp_path, capsys):
    output = tmp_path / "schedule.json"

    code = cli.main([str(event_file), "--output", str(output), "--time-limit", "5"])

    assert code == 0
    assert capsys.readouterr().out == ""
    result = json.loads(output.read_text(encoding="utf-8"))
    check_schedule(EVENT, result)
    assert result["meetings"] == [
        {"request": "r1", "slot": "s1", "table": 1},
        {"request": "r2", "slot": "s2", "table": 1},
    ]
    assert set(result["stats"]) == {
        "requests",
        "scheduled",
        "weight_scheduled",
        "gaps",
        "upper_bound",
        "seconds",
    }


def test_it_reads_standard_input_and_prints(event_file, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", event_file.open(encoding="utf-8"))

    code = cli.main(["-"])

    assert code == 0
    check_schedule(EVENT, json.loads(capsys.readouterr().out))


def test_it_runs_the_baseline(event_file, capsys):
    code = cli.main([str(event_file), "--method", "fcfs"])

    result = json.loads(capsys.readouterr().out)
    assert code == 0
    check_schedule(EVENT, result)


def test_it_runs_as_a_module(event_file):
    completed = subprocess.run(
        [sys.executable, "-m", "metacluster.core.scheduling", str(event_file), "--time-limit", "5"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    check_schedule(EVENT, json.loads(completed.stdout))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # not JSON
        ("this is not json", "not valid JSON"),
        # truncated JSON
        ('{"slots": [', "not valid JSON"),
        # a list instead of an event
        ("[]", "the event must be a JSON object"),
        # a slot without an id
        ('{"slots": [{"session": "am"}]}', "slot #1 must have an id"),
        # a participant without an id
        ('{"participants": [{"max_meetings": 3}]}', "participant #1 must have an id"),
        # a request without an id
        (
            '{"participants": [{"id": "a"}, {"id": "b"}], "requests": [{"participants": ["a", "b"]}]}',
            "request #1 must have an id",
        ),
        # an unknown participant in a request
        (
            '{"participants": [{"id": "a"}], "requests": [{"id": 1, "participants": ["a", "x"]}]}',
            "unknown participant 'x'",
        ),
        # a request with fewer than two participants
        (
            '{"participants": [{"id": "a"}], "requests": [{"id": 1, "participants": ["a"]}]}',
            "at least two participants",
        ),
        # an unknown slot in fixed_slot
        (
            '{"participants": [{"id": "a"}, {"id": "b"}], "requests": [{"id": 1, "participants": ["a", "b"], "fixed_slot": "s9"}]}',
            "unknown fixed_slot 's9'",
        ),
        # slots out of time order
        ('{"slots": [{"id": 1, "start": 60}, {"id": 2, "start": 0}]}', "not in time order"),
        # a negative max_meetings
        ('{"participants": [{"id": "a", "max_meetings": -2}]}', "must not be negative"),
        # negative tables
        ('{"tables": -3}', "tables must not be negative"),
    ],
)
def test_malformed_input_exits_2_with_one_clear_line(tmp_path, capsys, content, message):
    path = tmp_path / "event.json"
    path.write_text(content, encoding="utf-8")

    code = cli.main([str(path)])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith("error: ")
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.err.count("\n") == 1


def test_a_missing_file_exits_2(tmp_path, capsys):
    code = cli.main([str(tmp_path / "missing.json")])

    assert code == 2
    assert capsys.readouterr().err.startswith("error: cannot read event:")


def test_an_unwritable_output_exits_2(event_file, tmp_path, capsys):
    code = cli.main([str(event_file), "--output", str(tmp_path / "no" / "such" / "dir.json")])

    assert code == 2
    assert capsys.readouterr().err.startswith("error: cannot write schedule:")


@pytest.mark.parametrize(
    "arguments",
    [
        # a time limit that is not a number
        ["--time-limit", "soon"],
        # a time limit of zero
        ["--time-limit", "0"],
        # a negative time limit
        ["--time-limit", "-5"],
        # an unknown method
        ["--method", "magic"],
    ],
)
def test_bad_arguments_exit_2(event_file, capsys, arguments):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([str(event_file), *arguments])

    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


# --- generate-event ---------------------------------------------------------------------------


def test_generate_writes_an_event_that_schedule_reads(tmp_path):
    path = tmp_path / "event.json"

    assert (
        generate._main(
            [
                "--participants",
                "30",
                "--requests",
                "60",
                "--tables",
                "5",
                "--seed",
                "2",
                "--output",
                str(path),
            ]
        )
        == 0
    )

    event = json.loads(path.read_text(encoding="utf-8"))
    assert len(event["participants"]) == 30
    assert len(event["requests"]) == 60
    assert event["tables"] == 5
    assert cli.main([str(path), "--output", str(tmp_path / "out.json"), "--time-limit", "2"]) == 0


def test_generate_is_reproducible():
    assert generate_event(40, seed=7) == generate_event(40, seed=7)
    assert generate_event(40, seed=7) != generate_event(40, seed=8)


def test_generate_online_events_use_time_zones():
    event = generate_event(40, 80, sessions=1, slots_per_session=48, online=True, seed=1)

    # nobody works around the clock: every participant is unavailable some of the day
    assert all(p["unavailable"] for p in event["participants"])
    assert all(s["start"].endswith("+00:00") for s in event["slots"])


@pytest.mark.parametrize(
    "arguments",
    [
        # too few participants
        ["--participants", "2"],
        # no slots
        ["--slots-per-session", "0"],
        # negative tables
        ["--tables", "-1"],
    ],
)
def test_generate_exits_2_on_impossible_sizes(capsys, arguments):
    assert generate._main(arguments) == 2
    assert capsys.readouterr().err.startswith("error: cannot generate event:")


# --- the metacluster console command ----------------------------------------------------------


def metacluster(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "metacluster.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_metacluster_commands_generate_and_schedule(tmp_path):
    event, output = tmp_path / "ev.json", tmp_path / "out.json"

    generated = metacluster(
        "generate-event",
        "--participants",
        "25",
        "--requests",
        "50",
        "--tables",
        "6",
        "--seed",
        "1",
        "--output",
        str(event),
    )
    scheduled = metacluster("schedule", str(event), "--output", str(output), "--time-limit", "3")

    assert generated.returncode == 0, generated.stderr
    assert scheduled.returncode == 0, scheduled.stderr
    check_schedule(json.loads(event.read_text()), json.loads(output.read_text()))


def test_the_metacluster_schedule_command_exits_2_on_bad_input(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        '{"participants": [{"id": "a"}], "requests": [{"id": 1, "participants": ["a"]}]}'
    )

    completed = metacluster("schedule", str(path))

    assert completed.returncode == 2
    assert "at least two participants" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_the_generator_docstring_examples_run():
    import doctest

    result = doctest.testmod(generate)

    assert result.attempted > 0
    assert result.failed == 0


def test_the_time_limit_counts_from_the_start_of_the_process(event_file, monkeypatch):
    # Run from the shell, `--time-limit` covers start-up and writing the output: a process
    # that started 2 s ago has at most 1 s of a 3 s limit left for the solver.
    given = {}

    def solver(event, *, time_limit, seed, method):
        given["time_limit"] = time_limit
        return cli.first_come_first_served(event)

    monkeypatch.setattr(cli, "schedule", solver)
    monkeypatch.setattr(cliutils, "process_started", lambda: time.perf_counter() - 2.0)

    with cliutils.command(from_process_start=True):
        cli.run({"input": str(event_file), "time_limit": 3.0})

    assert 0 < given["time_limit"] <= 3.0 - 2.0 - cli.OUTPUT_RESERVE


def test_a_start_up_longer_than_the_limit_still_gets_a_schedule(event_file, monkeypatch):
    given = {}

    def solver(event, *, time_limit, seed, method):
        given["time_limit"] = time_limit
        return cli.first_come_first_served(event)

    monkeypatch.setattr(cli, "schedule", solver)
    monkeypatch.setattr(cliutils, "process_started", lambda: time.perf_counter() - 60.0)

    with cliutils.command(from_process_start=True):
        data = cli.run({"input": str(event_file), "time_limit": 3.0})

    assert given["time_limit"] == pytest.approx(3.0 / 20)
    assert data["meetings"]


def test_called_as_a_library_the_limit_counts_from_the_call(event_file, monkeypatch):
    given = {}

    def solver(event, *, time_limit, seed, method):
        given["time_limit"] = time_limit
        return cli.first_come_first_served(event)

    monkeypatch.setattr(cli, "schedule", solver)

    cli.run({"input": str(event_file), "time_limit": 3.0})

    assert 3.0 - 1.0 < given["time_limit"] <= 3.0 - cli.OUTPUT_RESERVE


def test_the_process_start_is_in_the_past():
    started = cliutils.process_started()

    assert started <= time.perf_counter()
