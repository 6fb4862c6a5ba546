"""The management commands: match and match-eval on files, and on the stored feedback."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from metacluster.matchmaking.workflows import express_interest, give_feedback

DATA = Path(__file__).resolve().parents[3] / "benchmarks" / "matching"


def test_match_ranks_the_labelled_set(tmp_path, capsys):
    out = tmp_path / "m.jsonl"
    call_command(
        "match",
        "--companies",
        str(DATA / "companies.jsonl"),
        "--opportunities",
        str(DATA / "opportunities.jsonl"),
        "--top",
        "3",
        "--output",
        str(out),
        "--today",
        "2026-01-01",
    )
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 16 and all(len(line["matches"]) == 3 for line in lines)
    water = next(line for line in lines if line["opportunity"] == "o03")
    # The first is one of the three judged to do exactly this.
    assert water["matches"][0]["company"] in {"c11", "c12", "c32"}


def test_match_eval_on_the_labelled_set(capsys):
    call_command(
        "match_eval",
        "--qrels",
        str(DATA / "qrels.txt"),
        "--companies",
        str(DATA / "companies.jsonl"),
        "--opportunities",
        str(DATA / "opportunities.jsonl"),
        "--mode",
        "lexical",
        "--today",
        "2026-01-01",
    )
    result = json.loads(capsys.readouterr().out)["lexical"]
    assert result["queries"] == 16 and result["ndcg@10"] > 0.8


def test_match_with_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(
            "match",
            "--companies",
            str(tmp_path / "no.jsonl"),
            "--opportunities",
            str(tmp_path / "no.jsonl"),
        )
    assert error.value.returncode == 2


def test_stored_feedback_evaluates_the_platforms_ranking(
    opportunity, company, other_company, capsys, tmp_path
):
    express_interest(opportunity, company)
    give_feedback(opportunity, other_company, "not_relevant")
    call_command("match_eval")
    result = json.loads(capsys.readouterr().out)["platform"]
    assert result["queries"] == 1 and result["mrr"] == 1.0
    qrels = tmp_path / "q.txt"
    call_command("match_eval", "--export-feedback", str(qrels))
    assert qrels.read_text().splitlines()[1:] == [
        f"{opportunity.pk},{company.pk},2",
        f"{opportunity.pk},{other_company.pk},0",
    ]
