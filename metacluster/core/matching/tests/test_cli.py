"""The JSON Lines command: formats of the issue, errors as one line and status 2."""

import json

import pytest

from metacluster.core.matching.cli import main

COMPANIES = [
    {
        "id": 1,
        "name": "Park AB",
        "country": "SE",
        "description": "Parking sensors for cities",
        "capabilities": ["iot"],
        "sectors": ["26.51"],
    },
    {
        "id": 2,
        "name": "Pay AB",
        "country": "SE",
        "description": "Payments for banks",
        "capabilities": ["fintech"],
        "sectors": ["64.19"],
    },
]
OPPORTUNITIES = [
    {
        "id": "o1",
        "title": "Parking sensors",
        "description": "Sensors for a city",
        "country": "VN",
        "capabilities": ["iot"],
        "sectors": ["26.51"],
    },
]


@pytest.fixture
def files(tmp_path):
    c, o = tmp_path / "c.jsonl", tmp_path / "o.jsonl"
    c.write_text("".join(json.dumps(x) + "\n" for x in COMPANIES))
    o.write_text("".join(json.dumps(x) + "\n" for x in OPPORTUNITIES))
    return tmp_path, c, o


def read(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_match_writes_one_line_per_opportunity_in_the_issue_format(files, monkeypatch, capsys):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")
    tmp, c, o = files
    out = tmp / "m.jsonl"
    assert (
        main(
            ["--companies", str(c), "--opportunities", str(o), "--top", "10", "--output", str(out)]
        )
        == 0
    )
    [line] = read(out)
    assert line["opportunity"] == "o1"
    first = line["matches"][0]
    assert set(first) == {"company", "score", "reasons"}
    assert first["company"] == 1  # ids keep their JSON type
    assert isinstance(first["score"], float) and first["reasons"]
    assert "mode: lexical" in capsys.readouterr().err


def test_reverse_direction_lists_opportunities_per_company(files, monkeypatch):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")
    tmp, c, o = files
    out = tmp / "m.jsonl"
    main(
        [
            "--companies",
            str(c),
            "--opportunities",
            str(o),
            "--output",
            str(out),
            "--direction",
            "companies",
        ]
    )
    lines = read(out)
    assert [line["company"] for line in lines] == [1, 2]
    assert lines[0]["matches"][0]["opportunity"] == "o1"


def test_eval_reports_the_three_metrics(files, monkeypatch, capsys):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")
    tmp, c, o = files
    qrels = tmp / "q.txt"
    qrels.write_text("o1,1,2\no1,2,0\n")
    out = tmp / "m.jsonl"
    main(["--companies", str(c), "--opportunities", str(o), "--output", str(out)])
    capsys.readouterr()
    assert main(["eval", "--qrels", str(qrels), "--run", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)["run"]
    assert result["ndcg@10"] == 1.0 and result["mrr"] == 1.0 and result["recall@50"] == 1.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": 1, "capabilities": "iot"}', "'capabilities' must be a list"),
        ('{"name": "no id"}', "'id'"),
        ("[1, 2]", "must be a JSON object"),
    ],
)
def test_malformed_input_exits_2_naming_file_and_line(files, capsys, line, message):
    tmp, c, o = files
    c.write_text(json.dumps(COMPANIES[0]) + "\n" + line + "\n")
    assert main(["--companies", str(c), "--opportunities", str(o)]) == 2
    err = capsys.readouterr().err
    assert f"{c}:2" in err and message in err


def test_hybrid_mode_without_the_model_is_a_clear_error(files, monkeypatch, capsys):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")
    tmp, c, o = files
    assert main(["--companies", str(c), "--opportunities", str(o), "--mode", "hybrid"]) == 2
    assert "pip install" in capsys.readouterr().err
