"""Specification of the `form-consortia` command: the issue's JSON in, the issue's JSON out,
exit 2 with one clear line on bad input, never a traceback."""

import json

from metacluster.core.consortia import cli

INPUT = {
    "needs": [
        {
            "id": "da-nang",
            "capabilities": ["mobility", "energy", "water"],
            "min_countries": 2,
            "min_size": 2,
            "max_size": 5,
            "alternatives": 2,
        }
    ],
    "companies": [
        {
            "id": "a",
            "country": "SE",
            "capabilities": ["mobility"],
            "max_consortia": 1,
            "quality": 0.9,
        },
        {
            "id": "b",
            "country": "FI",
            "capabilities": ["energy", "water"],
            "max_consortia": 1,
            "quality": 0.6,
        },
        {
            "id": "c",
            "country": "EE",
            "capabilities": ["mobility", "water"],
            "max_consortia": 1,
            "quality": 0.5,
        },
        {
            "id": "d",
            "country": "LV",
            "capabilities": ["energy"],
            "max_consortia": 1,
            "quality": 0.1,
        },
    ],
    "affinity": [["a", "b", 0.3]],
    "competitors": [["a", "c"]],
}


def test_it_reads_the_input_and_writes_proposals(tmp_path, capsys):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(INPUT), encoding="utf-8")

    code = cli.main([str(source), "--output", str(target), "--time-limit", "5"])

    assert code == 0 and capsys.readouterr().out == ""
    result = json.loads(target.read_text(encoding="utf-8"))
    first, second = result["consortia"]
    assert {k: first[k] for k in ("need", "members", "covers", "missing")} == {
        "need": "da-nang",
        "members": ["a", "b"],
        "covers": {"mobility": ["a"], "energy": ["b"], "water": ["b"]},
        "missing": [],
    }
    assert first["score"] > second["score"]
    # b + c shares one of three companies with a + b (Jaccard 1/3); a + b + d, sharing two of
    # three, would be a near-copy.
    assert second["members"] == ["b", "c"]
    stats = result["stats"]
    assert {k: stats[k] for k in ("needs_covered", "bound", "optimal")} == {
        "needs_covered": 1,
        "bound": 1,
        "optimal": True,
    }
    assert stats["seconds"] >= 0


def test_it_writes_to_standard_output_without_output(tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(INPUT), encoding="utf-8")
    assert cli.main([str(source), "--method", "greedy"]) == 0
    assert json.loads(capsys.readouterr().out)["stats"]["method"] == "greedy"


def test_bad_input_exits_2_with_one_line(tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"needs": [{"id": "x", "capabilities": []}]}), encoding="utf-8")
    assert cli.main([str(source)]) == 2
    assert capsys.readouterr().err == "error: invalid input: need 'x' requires no capabilities\n"
    source.write_text("{not json", encoding="utf-8")
    assert cli.main([str(source)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert cli.main([str(tmp_path / "missing.json")]) == 2
    assert "cannot read input" in capsys.readouterr().err
