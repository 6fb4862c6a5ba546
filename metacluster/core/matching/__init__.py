"""Matchmaking: SMEs for an opportunity and opportunities for an SME, each match explained.

`Matcher` indexes `Company` and `Opportunity` records and ranks either side for the other
with a hybrid score (see `rank`): BM25 over language-aware stems (`text`, `bm25`), similarity
of sentence embeddings when the packaged model is installed (`semantic`), capability and
sector overlap (`features`), hard filters (deadline, eligible countries, company size) and
optional readiness and market-fit signals. Every `Match` carries an `Explanation`: matched
terms, shared and missing capabilities, shared sectors, each component's share of the score
and why it ranks above the next. `metrics` scores a ranking against graded judgements
(nDCG@10, MRR, recall@50).

Pure Python over plain data; no Django. From the command line::

    python -m metacluster.core.matching --companies C.jsonl --opportunities O.jsonl \\
        --top 10 --output M.jsonl [--direction companies] [--mode lexical]
    python -m metacluster.core.matching eval --qrels Q.txt --run M.jsonl

or, in an installed project, `metacluster match ...` and `metacluster match-eval ...`.
"""

from .metrics import evaluate, mrr, ndcg_at_k, read_qrels, recall_at_k
from .model import (
    Company,
    Explanation,
    InvalidInput,
    Match,
    MatchingError,
    Opportunity,
    company_from_json,
    opportunity_from_json,
)

# `rank` and `semantic` import numpy and scipy, slow to import: they are loaded on first
# use (PEP 562), so that importing the records above, as the web pages do, stays fast.
_LAZY = {
    "WEIGHTS": ".rank",
    "Matcher": ".rank",
    "load_encoder": ".semantic",
    "semantic_available": ".semantic",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "WEIGHTS",
    "Company",
    "Explanation",
    "InvalidInput",
    "Match",
    "Matcher",
    "MatchingError",
    "Opportunity",
    "company_from_json",
    "evaluate",
    "load_encoder",
    "mrr",
    "ndcg_at_k",
    "opportunity_from_json",
    "read_qrels",
    "recall_at_k",
    "semantic_available",
]
