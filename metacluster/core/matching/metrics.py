"""Ranking quality against graded judgements: nDCG@k, MRR and recall@k.

A *run* maps each query to its ranked document ids, best first; *qrels* map each query to
{document: grade}, grade 0 meaning judged not relevant (such as an SME's "not relevant"
feedback) and higher grades more relevant. Only queries with at least one relevant
(grade > 0) document are averaged; a query the run leaves out scores 0.

- nDCG@k (Järvelin & Kekäläinen, 2002): DCG = Σ_{i≤k} (2^grade − 1) / log2(i + 1), divided by
  the DCG of the ideal order of that query's judgements;
- MRR: the mean of 1 / rank of the first relevant document (0 when none is retrieved);
- recall@k: the share of a query's relevant documents among its first k.

`evaluate` adds ``judged_not_relevant@10``: the share of top-10 results judged 0, which is
how stored "not relevant" feedback shows up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

from ..errors import InputError

__all__ = ["QrelsError", "evaluate", "mrr", "ndcg_at_k", "read_qrels", "recall_at_k"]


class QrelsError(InputError):
    """A judgements file line is malformed; the message gives its line number."""


def _dcg(grades: Sequence[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at_k(ranked: Sequence[str], judged: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k of one ranking.

    >>> round(ndcg_at_k(["a", "b"], {"b": 1}), 4)  # the one relevant doc at rank 2
    0.6309
    """
    ideal = _dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return _dcg([judged.get(doc, 0) for doc in ranked[:k]]) / ideal


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, float]) -> float:
    for i, doc in enumerate(ranked):
        if judged.get(doc, 0) > 0:
            return 1 / (i + 1)
    return 0.0


def recall_at_k(ranked: Sequence[str], judged: Mapping[str, float], k: int = 50) -> float:
    relevant = {doc for doc, g in judged.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def mrr(run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, float]]) -> float:
    return evaluate(run, qrels)["mrr"]


def evaluate(
    run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, float]]
) -> dict[str, float]:
    """Mean nDCG@10, MRR and recall@50 over the judged queries with a relevant document."""
    queries = [q for q, judged in qrels.items() if any(g > 0 for g in judged.values())]
    result = {"queries": len(queries), "ndcg@10": 0.0, "mrr": 0.0, "recall@50": 0.0}
    flagged = shown = 0
    for q, judged in qrels.items():
        top = list(run.get(q, []))[:10]
        shown += len(top)
        flagged += sum(1 for doc in top if doc in judged and judged[doc] <= 0)
    for q in queries:
        ranked = list(run.get(q, []))
        result["ndcg@10"] += ndcg_at_k(ranked, qrels[q], 10)
        result["mrr"] += reciprocal_rank(ranked, qrels[q])
        result["recall@50"] += recall_at_k(ranked, qrels[q], 50)
    for key in ("ndcg@10", "mrr", "recall@50"):
        result[key] = round(result[key] / len(queries), 4) if queries else 0.0
    result["judged_not_relevant@10"] = round(flagged / shown, 4) if shown else 0.0
    return result


_SPLIT = re.compile(r"\s*[,;\t ]\s*")


def read_qrels(lines: Iterable[str]) -> dict[str, dict[str, float]]:
    """Judgements from ``query_id, doc_id, grade`` lines (commas, tabs or spaces; a header
    line and lines starting with # are skipped).

    >>> read_qrels(["query_id,doc_id,grade", "o1, c1, 2", "o1,c2,0"])
    {'o1': {'c1': 2.0, 'c2': 0.0}}
    """
    qrels: dict[str, dict[str, float]] = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = _SPLIT.split(line)
        if len(parts) != 3:
            raise QrelsError(f"line {number}: expected query_id, doc_id, grade")
        query, doc, grade = parts
        try:
            value = float(grade)
        except ValueError:
            if number == 1 or not qrels and grade.lower() == "grade":
                continue  # a header
            raise QrelsError(f"line {number}: the grade {grade!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise QrelsError(f"line {number}: the grade must be 0 or more")
        qrels.setdefault(query, {})[doc] = value
    return qrels
