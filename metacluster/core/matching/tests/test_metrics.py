"""Evaluation metrics against cases worked out by hand."""

import math

import pytest

from metacluster.core.matching.metrics import (
    QrelsError,
    evaluate,
    ndcg_at_k,
    read_qrels,
    recall_at_k,
)


def test_ndcg_of_the_ideal_order_is_one():
    assert ndcg_at_k(["a", "b", "c"], {"a": 3, "b": 2, "c": 1}) == pytest.approx(1.0)


def test_ndcg_by_hand():
    # Ranked b (grade 1), a (grade 3): DCG = 1/log2(2) + 7/log2(3); ideal = 7 + 1/log2(3).
    dcg = 1 + 7 / math.log2(3)
    ideal = 7 + 1 / math.log2(3)
    assert ndcg_at_k(["b", "a"], {"a": 3, "b": 1}) == pytest.approx(dcg / ideal)


def test_ndcg_counts_only_the_first_k():
    assert ndcg_at_k(["x"] * 0 + [f"n{i}" for i in range(10)] + ["a"], {"a": 1}, k=10) == 0.0


def test_mrr_and_recall_by_hand():
    run = {"q1": ["x", "a", "b"], "q2": ["c", "y"], "q3": ["z"]}
    qrels = {"q1": {"a": 1, "b": 2}, "q2": {"c": 1, "d": 1}, "q3": {"w": 1}}
    result = evaluate(run, qrels)
    # Reciprocal ranks 1/2, 1, 0; recall 2/2, 1/2, 0.
    assert result["mrr"] == pytest.approx(round((0.5 + 1 + 0) / 3, 4))
    assert result["recall@50"] == pytest.approx(round((1 + 0.5 + 0) / 3, 4))
    assert result["queries"] == 3


def test_queries_without_a_relevant_document_are_not_averaged():
    result = evaluate({"q": ["a"]}, {"q": {"a": 0}, "r": {"b": 1}})
    assert result["queries"] == 1
    assert result["mrr"] == 0.0


def test_not_relevant_judgements_in_the_top_ten_are_counted():
    result = evaluate({"q": ["a", "b", "c", "d"]}, {"q": {"a": 0, "b": 2}})
    assert result["judged_not_relevant@10"] == 0.25


def test_recall_at_k_ignores_later_ranks():
    assert recall_at_k(["a", "b"], {"b": 1}, k=1) == 0.0


def test_qrels_read_commas_tabs_and_a_header():
    assert read_qrels(["query_id,doc_id,grade", "o1\tc1\t2", "# note", "o1 c2 0"]) == {
        "o1": {"c1": 2.0, "c2": 0.0}
    }


@pytest.mark.parametrize("line", ["o1,c1", "o1,c1,high", "o1,c1,-1", "o1,c1,nan"])
def test_malformed_qrels_lines_name_their_line(line):
    with pytest.raises(QrelsError, match="line 2"):
        read_qrels(["o0,c0,1", line])
