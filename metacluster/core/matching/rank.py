"""The hybrid ranking: BM25, sentence embeddings, capability and sector overlap, hard filters
and optional readiness and market signals, with an explanation for every match.

Each pair (opportunity o, company c) that passes the hard filters scores

    score = Σ_k w_k · x_k / Σ_k w_k      over the components k that apply to the pair

with every x_k in [0, 1]:

- ``lexical``: BM25 of the query's text against the other side's documents, divided by the
  larger of the best score for that query and a floor of a quarter of the query's summed idf
  (so that the best of a weak field is not inflated to 1);
- ``semantic``: the embeddings' cosine, mapped linearly from [0.15, 0.75] to [0, 1] (the range
  in which all-MiniLM-L6-v2 separates unrelated from related texts);
- ``capability``: the share of o's required capabilities that c has (applies when o names any);
- ``sector``: the share of o's sector prefix features that c's codes have (see `features`;
  applies when o names sectors);
- ``readiness``: c's readiness (applies when known); ``market``: c's fit for o's country
  (applies when known).

Default weights: `WEIGHTS`. A component that does not apply is left out of both sums, so a
missing signal neither helps nor hurts. Without an encoder the semantic component is absent
and the ranking is lexical (`Matcher.mode`).

Hard filters, never traded against the score: an opportunity past its deadline matches
nothing; with eligible countries a company elsewhere is out; with a maximum size a larger
company is out (an unknown size passes, and the explanation says so).

Cost: for O opportunities and C companies, blocks of about `BLOCK_CELLS` pairs; per block one
product per text component (dense BLAS on the columns the block uses when few, else sparse)
and one for embeddings, then a partial sort per row and per column. Ranking both ways shares
every component but the lexical one (`Matcher.rank_both`): O(O · C) time, O(BLOCK_CELLS ·
workers + (O + C) · k) memory. Explanations are built for the final top k only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import partial

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from ..errors import InputError
from .bm25 import BM25Index, Vocabulary, query_matrix
from .features import common_level, sector_features
from .model import Company, Explanation, Match, Opportunity
from .text import LANGUAGES, analyse, guess_language, surface_forms

__all__ = ["COMPONENTS", "WEIGHTS", "Matcher"]

WEIGHTS = {
    "lexical": 0.30,
    "semantic": 0.25,
    "capability": 0.30,
    "sector": 0.10,
    "readiness": 0.025,
    "market": 0.025,
}
COMPONENTS = tuple(WEIGHTS)
SEMANTIC_RANGE = (0.15, 0.75)
LEXICAL_FLOOR = 0.25
MAX_TERMS_SHOWN = 8
# A block of the score matrix holds about this many pairs (4 MB per float32 matrix): small
# enough for the cache-friendly element-wise passes, large enough for BLAS.
BLOCK_CELLS = 1 << 20
# A sparse product whose queries use few distinct features (a taxonomy, a short vocabulary)
# fills most pairs: below this many cells of the document side's dense slice, BLAS on dense
# slices is faster than building a sparse result.
DENSE_PRODUCT_CELLS = 1 << 24


class _Ids:
    """Strings ↔ dense integer ids (capabilities, sector features, countries)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def get(self, key: str) -> int:
        return self.ids.setdefault(key, len(self.ids))

    def many(self, keys: Iterable[str]) -> np.ndarray:
        return np.array(sorted({self.get(k) for k in keys}), dtype=np.int32)


def _product(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """a @ b.T as a dense float32 array (a: queries × features, b: documents × features)."""
    columns = np.unique(a.indices)
    if len(columns) == 0:
        return np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    if len(columns) * b.shape[0] <= DENSE_PRODUCT_CELLS:
        return a[:, columns].toarray() @ b[:, columns].toarray().T
    return (a @ b.T).toarray()


def _safe(scale: np.ndarray) -> np.ndarray:
    return np.where(scale > 0, scale, 1).astype(np.float32)


def _top_rows(scores: np.ndarray, k: int, ids: np.ndarray | None = None):
    """Each row's k best (ids, scores), best first; equal scores go to the lower id, also
    where they straddle the k-th place (so blocks and threads cannot change a ranking)."""
    n = scores.shape[1]
    k = min(k, n)
    if k < n:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        kth = np.take_along_axis(scores, part, axis=1).min(axis=1)
        # Rows where more than k scores reach the k-th best: a tie across the cut. Only
        # positive scores are ever shown, so only those rows are settled exactly.
        crowded = np.nonzero(((scores >= kth[:, None]).sum(axis=1) > k) & (kth > 0))[0]
        for row in crowded:
            candidates = np.nonzero(scores[row] >= kth[row])[0]
            tie_break = candidates if ids is None else ids[row, candidates]
            part[row] = candidates[np.lexsort((tie_break, -scores[row, candidates]))[:k]]
    else:
        part = np.broadcast_to(np.arange(n), scores.shape)
    values = np.take_along_axis(scores, part, axis=1)
    found = part if ids is None else np.take_along_axis(ids, part, axis=1)
    order = np.lexsort((found, -values), axis=1)
    return np.take_along_axis(found, order, axis=1), np.take_along_axis(values, order, axis=1)


def _binary(rows: list[np.ndarray], width: int) -> sparse.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    indices = np.concatenate(rows) if rows else np.zeros(0, np.int32)
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))


class _Side:
    """One side's records and their features, grown one record at a time."""

    def __init__(self) -> None:
        self.records: list = []
        self.row_of: dict[str, int] = {}
        self.text = BM25Index()
        self.terms: list[np.ndarray] = []  # distinct term ids, for use as a query
        self.capabilities: list[np.ndarray] = []
        self.sectors: list[np.ndarray] = []
        self.vectors: list[np.ndarray] = []
        self.languages: list[str] = []
        self._cache: dict[str, object] = {}

    def __len__(self) -> int:
        return len(self.records)

    def cached(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def changed(self) -> None:
        self._cache.clear()


class Matcher:
    """Companies and opportunities indexed for ranking both ways.

    Parameters
    ----------
    companies, opportunities : iterables of `Company` and `Opportunity`
    today : date
        For deadlines; an opportunity is open up to and including its deadline.
    encoder : object with ``encode(list[str]) -> ndarray`` of unit vectors, or None
        None ranks lexically; see `semantic.load_encoder`.
    weights : dict
        Component weights (`WEIGHTS` by default); a weight of 0 switches a component off,
        as the benchmark does to compare lexical, semantic and hybrid ranking.
    batch : int or None
        At most this many opportunities per block of the score matrix (None: blocks of about
        `BLOCK_CELLS` pairs).
    workers : int or None
        Threads over the blocks (default: up to 2, the cores numpy can use here).

    Example
    -------
    >>> m = Matcher([Company("c1", description="Smart parking sensors", capabilities=("mobility",))],
    ...             [Opportunity("o1", title="Parking sensors for a city", capabilities=("mobility",))],
    ...             today=date(2026, 1, 1))
    >>> [(x.id, x.explanation.shared_capabilities) for x in m.companies_for("o1")]
    [('c1', ('mobility',))]
    """

    def __init__(
        self,
        companies: Iterable[Company] = (),
        opportunities: Iterable[Opportunity] = (),
        *,
        today: date | None = None,
        encoder=None,
        weights: dict[str, float] | None = None,
        batch: int | None = None,
        workers: int | None = None,
    ) -> None:
        self.today = today or date.today()
        self.encoder = encoder
        self.weights = dict(WEIGHTS if weights is None else weights)
        if encoder is None:
            self.weights["semantic"] = 0.0
        unknown = set(self.weights) - set(COMPONENTS)
        if unknown:
            raise InputError(f"unknown components: {', '.join(sorted(unknown))}")
        self.batch = batch  # at most this many queries per block (None: by `BLOCK_CELLS`)
        self.workers = workers or min(2, os.cpu_count() or 1)
        self._forms: dict[tuple[int, int], dict[str, str]] = {}
        self.vocabulary = Vocabulary()
        self.capability_ids = _Ids()
        self.sector_ids = _Ids()
        self.country_ids = _Ids()
        self.companies = _Side()
        self.opportunities = _Side()
        self.add_companies(companies)
        self.add_opportunities(opportunities)

    @property
    def mode(self) -> str:
        """ "hybrid" when the semantic model takes part, else "lexical"."""
        return "hybrid" if self.weights.get("semantic", 0) > 0 else "lexical"

    # --- Adding records --------------------------------------------------------------------

    def _add(self, side: _Side, records: list, texts: list[str]) -> None:
        for record, text in zip(records, texts, strict=True):
            if record.id in side.row_of:
                raise InputError(f"duplicate id: {record.id}")
            language = record.language if record.language in LANGUAGES else guess_language(text)
            side.languages.append(language)
            stems = analyse(text, language)
            terms = self.vocabulary.encode(stems)
            side.row_of[record.id] = len(side.records)
            side.records.append(record)
            side.text.add(terms)
            side.terms.append(np.unique(terms))
            side.capabilities.append(self.capability_ids.many(record.capabilities))
            side.sectors.append(
                self.sector_ids.many(f for code in record.sectors for f in sector_features(code))
            )
            self.country_ids.get(record.country)
        if self.weights.get("semantic", 0) > 0 and records:
            side.vectors.extend(self.encoder.encode(texts))
        side.changed()

    def add_companies(self, companies: Iterable[Company]) -> None:
        companies = list(companies)
        for company in companies:
            for country in company.market_fit:
                self.country_ids.get(country)
        self._add(self.companies, companies, [c.text for c in companies])

    def add_opportunities(self, opportunities: Iterable[Opportunity]) -> None:
        opportunities = list(opportunities)
        for opportunity in opportunities:
            for country in opportunity.eligible_countries:
                self.country_ids.get(country)
        self._add(self.opportunities, opportunities, [o.text for o in opportunities])

    def add_company(self, company: Company) -> None:
        self.add_companies([company])

    def add_opportunity(self, opportunity: Opportunity) -> None:
        """Index one new opportunity: its own features only; the BM25 weights of the
        opportunity side are rebuilt lazily on the next ranking that needs them."""
        self.add_opportunities([opportunity])

    # --- Per-side arrays, built on demand ------------------------------------------------------

    def _matrix(self, side: _Side, name: str) -> sparse.csr_matrix:
        width = {"capabilities": len(self.capability_ids), "sectors": len(self.sector_ids)}[name]
        return side.cached(f"{name}:{width}", lambda: _binary(getattr(side, name), width))

    def _vectors(self, side: _Side) -> np.ndarray:
        return side.cached("vectors", lambda: np.vstack(side.vectors).astype(np.float32))

    def _opportunity_arrays(self) -> dict[str, np.ndarray]:
        side, n_countries = self.opportunities, len(self.country_ids)

        def build():
            records = side.records
            open_ = np.array(
                [o.deadline is None or o.deadline >= self.today for o in records], dtype=bool
            )
            ruled = np.array([bool(o.eligible_countries) for o in records], dtype=bool)
            eligible = np.zeros((len(records), n_countries), dtype=bool)
            for row, o in enumerate(records):
                for country in o.eligible_countries:
                    eligible[row, self.country_ids.ids[country]] = True
            max_size = np.array(
                [np.inf if o.max_employees is None else o.max_employees for o in records]
            )
            country = np.array([self.country_ids.ids[o.country] for o in records], dtype=np.int64)
            n_caps = np.array([len(c) for c in side.capabilities], dtype=np.float32)
            n_sectors = np.array([len(s) for s in side.sectors], dtype=np.float32)
            return dict(
                open=open_,
                ruled=ruled,
                eligible=eligible,
                max_size=max_size,
                country=country,
                n_caps=n_caps,
                n_sectors=n_sectors,
            )

        return side.cached(f"arrays:{n_countries}:{self.today}", build)

    def _company_arrays(self) -> dict[str, np.ndarray]:
        side, n_countries = self.companies, len(self.country_ids)

        def build():
            records = side.records
            fit = np.full((len(records), n_countries), np.nan, dtype=np.float32)
            for row, c in enumerate(records):
                for country, value in c.market_fit.items():
                    fit[row, self.country_ids.ids[country]] = value
            return dict(
                country=np.array([self.country_ids.ids[c.country] for c in records]),
                employees=np.array(
                    [np.nan if c.employees is None else c.employees for c in records]
                ),
                readiness=np.array(
                    [np.nan if c.readiness is None else c.readiness for c in records],
                    dtype=np.float32,
                ),
                fit=fit,
                any_fit=bool((~np.isnan(fit)).any()),
            )

        return side.cached(f"arrays:{n_countries}", build)

    # --- Scoring -----------------------------------------------------------------------------
    #
    # Scores are computed in blocks of opportunities × companies. Everything but the lexical
    # component is the same both ways, so one pass over the blocks ranks companies for each
    # opportunity (a row's top k) and opportunities for each company (a column's top k within
    # the block, merged over the blocks) from the same arithmetic. The lexical component of the
    # reverse direction is normalised by each company's best score over every opportunity, so
    # when that is wanted and there is more than one block, a first pass finds those maxima
    # (one product per block). Explanations are worked out for the final top k only.

    def _queries(self, side: _Side, rows: np.ndarray) -> sparse.csr_matrix:
        """These records of a side as queries: binary term incidence. A few rows (one new
        opportunity) are built directly, so that indexing one record does not rebuild the
        whole side's matrix."""
        n_terms = len(self.vocabulary)
        if len(rows) <= 64 and f"queries:{n_terms}" not in side._cache:
            return query_matrix([side.terms[r] for r in rows], n_terms)
        return side.cached(f"queries:{n_terms}", lambda: query_matrix(side.terms, n_terms))[rows]

    def _mask(self, orows: np.ndarray, crows: np.ndarray) -> np.ndarray:
        """The hard filters of a block: True where the pair may match."""
        o, c = self._opportunity_arrays(), self._company_arrays()
        mask = np.repeat(o["open"][orows][:, None], len(crows), axis=1)
        ruled = o["ruled"][orows]
        if ruled.any():
            mask &= o["eligible"][orows][:, c["country"][crows]] | ~ruled[:, None]
        mask &= ~(c["employees"][crows][None, :] > o["max_size"][orows][:, None])
        return mask

    def _shared(self, orows: np.ndarray, crows: np.ndarray):
        """(weighted sum of every component but lexical, sum of the weights that apply) for a
        block: the part of the score that does not depend on the direction."""
        o, c = self._opportunity_arrays(), self._company_arrays()
        w = self.weights
        shape = (len(orows), len(crows))
        total = np.zeros(shape, dtype=np.float32)
        row_weight = np.full(len(orows), w.get("lexical", 0), dtype=np.float32)
        col_weight = np.zeros(len(crows), dtype=np.float32)
        if w.get("semantic", 0) > 0:
            np.matmul(
                self._vectors(self.opportunities)[orows],
                self._vectors(self.companies)[crows].T,
                out=total,
            )
            low, high = SEMANTIC_RANGE
            total -= low
            total *= w["semantic"] / (high - low)
            np.clip(total, 0, w["semantic"], out=total)
            row_weight += w["semantic"]
        for name, key, count in (
            ("capability", "capabilities", "n_caps"),
            ("sector", "sectors", "n_sectors"),
        ):
            if w.get(name, 0) > 0:
                n = o[count][orows]
                shared = _product(
                    self._matrix(self.opportunities, key)[orows],
                    self._matrix(self.companies, key)[crows],
                )
                shared *= (w[name] / np.maximum(n, 1))[:, None]
                total += shared
                row_weight += w[name] * (n > 0)
        if w.get("readiness", 0) > 0:
            readiness = c["readiness"][crows]
            total += (w["readiness"] * np.nan_to_num(readiness))[None, :]
            col_weight += w["readiness"] * ~np.isnan(readiness)
        weight = row_weight[:, None] + col_weight[None, :]
        if w.get("market", 0) > 0 and c["any_fit"]:
            fit = c["fit"][crows][:, o["country"][orows]].T
            total += w["market"] * np.nan_to_num(fit)
            weight += w["market"] * ~np.isnan(fit)
        return total, weight

    def _raw_lexical(self, orows, crows, lexical_from: str) -> np.ndarray:
        """Unnormalised BM25 of a block (opportunities × companies), `lexical_from` being the
        side whose texts are the queries."""
        n_terms = len(self.vocabulary)
        if lexical_from == "opportunities":
            return _product(
                self._queries(self.opportunities, orows),
                self.companies.text.weights(n_terms)[crows],
            )
        return _product(
            self.opportunities.text.weights(n_terms)[orows],
            self._queries(self.companies, crows),
        )

    def _floor(self, rows: np.ndarray, lexical_from: str) -> np.ndarray:
        n_terms = len(self.vocabulary)
        queries, docs = (
            (self.opportunities, self.companies)
            if lexical_from == "opportunities"
            else (self.companies, self.opportunities)
        )
        return LEXICAL_FLOOR * (self._queries(queries, rows) @ docs.text.idf(n_terms))

    def _score(self, total, weight, mask, raw, scale, axis: int) -> np.ndarray:
        """score = (total + w_lexical · raw / scale) / weight, -inf where filtered (in `raw`'s
        memory)."""
        w = self.weights.get("lexical", 0)
        if w > 0:
            score = raw
            score *= (w / scale)[:, None] if axis == 1 else (w / scale)[None, :]
            score += total
        else:
            score = total.copy()
        positive = weight > 0
        np.divide(score, weight, out=score, where=positive)
        score[~positive] = 0
        score[~mask] = -np.inf
        return score

    def _blocks(self, orows: np.ndarray, n_companies: int) -> list[np.ndarray]:
        size = max(1, min(self.batch or len(orows), BLOCK_CELLS // max(n_companies, 1)))
        return [orows[i : i + size] for i in range(0, len(orows), size)]

    def _warm(self) -> None:
        """Build the lazily cached per-side arrays before threads read them."""
        n_terms = len(self.vocabulary)
        self._opportunity_arrays(), self._company_arrays()
        for side in (self.opportunities, self.companies):
            self._matrix(side, "capabilities"), self._matrix(side, "sectors")
            side.text.idf(n_terms)
            if self.weights.get("semantic", 0) > 0:
                self._vectors(side)

    def _each(self, function, blocks: list) -> Iterator:
        """`function` over the blocks, in order, on `workers` threads (numpy, BLAS and scipy's
        sparse products release the GIL, so threads use the cores without copying the index)."""
        if self.workers <= 1 or len(blocks) <= 1:
            yield from (function(b) for b in blocks)
            return
        # One BLAS thread per worker: OpenBLAS's own threads would spin against ours (measured:
        # 20 CPU seconds instead of 12 for 10,000 × 10,000 both ways).
        with ThreadPoolExecutor(self.workers) as pool, threadpool_limits(1, user_api="blas"):
            yield from pool.map(function, blocks)

    def _sweep(
        self, orows: np.ndarray, crows: np.ndarray, top: int, *, forward: bool, backward: bool
    ) -> dict:
        """Top `top` companies (of `crows`) for each opportunity of `orows` (`forward`) and/or
        top opportunities (of `orows`) for each company of `crows` (`backward`), as global row
        numbers, scores and the lexical scales the explanations need."""
        if len(orows) == 0 or len(crows) == 0:
            return {
                "forward": (np.zeros((len(orows), 0), np.int64), np.zeros((len(orows), 0)), None),
                "backward": (np.zeros((len(crows), 0), np.int64), np.zeros((len(crows), 0)), None),
            }
        blocks = self._blocks(orows, len(crows))
        if len(blocks) > 1:
            self._warm()
        result: dict = {}
        backward_scale = None
        if backward and self.weights.get("lexical", 0) > 0:
            floor = self._floor(crows, "companies")

            def best_of(block):
                raw = self._raw_lexical(block, crows, "companies")
                raw *= self._mask(block, crows)
                return raw.max(axis=0) if len(block) else np.zeros(len(crows), np.float32)

            best = np.zeros(len(crows), dtype=np.float32)
            for found in self._each(best_of, blocks):
                np.maximum(best, found, out=best)
            backward_scale = _safe(np.maximum(best, floor))
        k_forward = min(top, len(crows))
        forward_floor = (
            self._floor(orows, "opportunities") if self.weights.get("lexical", 0) > 0 else None
        )
        starts = np.cumsum([0] + [len(b) for b in blocks])

        def run(index: int):
            block = blocks[index]
            total, weight = self._shared(block, crows)
            mask = self._mask(block, crows)
            out = {}
            if forward:
                scale = np.ones(len(block), dtype=np.float32)
                if forward_floor is not None:
                    raw = self._raw_lexical(block, crows, "opportunities")
                    best = (raw * mask).max(axis=1)
                    scale = _safe(
                        np.maximum(best, forward_floor[starts[index] : starts[index + 1]])
                    )
                else:
                    raw = None
                score = self._score(total, weight, mask, raw, scale, axis=1)
                best, values = _top_rows(score, k_forward)
                out["forward"] = (crows[best], values, scale)
            if backward:
                raw = (
                    self._raw_lexical(block, crows, "companies")
                    if backward_scale is not None
                    else None
                )
                score = self._score(total, weight, mask, raw, backward_scale, axis=0)
                part, values = _top_rows(np.ascontiguousarray(score.T), top)
                out["backward"] = (block[part].astype(np.int32), values)
            return out

        forward_parts, running = [], None
        for part in self._each(run, list(range(len(blocks)))):
            if forward:
                forward_parts.append(part["forward"])
            if backward:
                # Each company's best so far, merged with this block's: O(companies · k) memory.
                ids, values = part["backward"]
                if running is not None:
                    ids = np.concatenate([running[0], ids], axis=1)
                    values = np.concatenate([running[1], values], axis=1)
                running = _top_rows(values, min(top, len(orows)), ids)
        if forward:
            result["forward"] = tuple(
                np.concatenate([p[i] for p in forward_parts]) for i in range(3)
            )
        if backward:
            scale = backward_scale if backward_scale is not None else np.ones(len(crows))
            result["backward"] = (*running, scale)
        return result

    # --- Ranking ------------------------------------------------------------------------------

    def companies_for(self, opportunity: str, top: int = 10) -> list[Match]:
        """The best `top` companies for one opportunity (by id), best first."""
        row = np.array([self.opportunities.row_of[str(opportunity)]])
        return self._ranked("companies", row, top)[0][1]

    def opportunities_for(self, company: str, top: int = 10) -> list[Match]:
        """The best `top` open opportunities for one company (by id), best first."""
        row = np.array([self.companies.row_of[str(company)]])
        return self._ranked("opportunities", row, top)[0][1]

    def rank_all(self, direction: str = "opportunities", top: int = 10) -> Iterator:
        """(query id, matches) for every opportunity (`direction="opportunities"`: companies
        for each opportunity) or every company (`"companies"`: opportunities for each)."""
        if direction == "opportunities":
            rows = np.arange(len(self.opportunities))
            yield from self._ranked("companies", rows, top)
        else:
            yield from self._ranked("opportunities", np.arange(len(self.companies)), top)

    def rank_both(self, top: int = 10) -> tuple[list, list]:
        """Both `rank_all` directions from one pass over the score matrix: ([(opportunity id,
        matches)], [(company id, matches)])."""
        orows, crows = np.arange(len(self.opportunities)), np.arange(len(self.companies))
        swept = self._sweep(orows, crows, top, forward=True, backward=True)
        return (
            self._matches("companies", orows, *swept["forward"]),
            self._matches("opportunities", crows, *swept["backward"]),
        )

    def _ranked(self, wanted: str, rows: np.ndarray, top: int) -> list:
        orows, crows = np.arange(len(self.opportunities)), np.arange(len(self.companies))
        if wanted == "companies":
            swept = self._sweep(rows, crows, top, forward=True, backward=False)
            return self._matches(wanted, rows, *swept["forward"])
        swept = self._sweep(orows, rows, top, forward=False, backward=True)
        return self._matches(wanted, rows, *swept["backward"])

    def _pair_parts(self, oi: np.ndarray, ci: np.ndarray, lexical_from: str, scale):
        """Each component's (x, applies) for pairs (opportunity row oi[n], company row ci[n]),
        the same arithmetic as the blocks, for the matches that are explained."""
        o, c = self._opportunity_arrays(), self._company_arrays()
        w = self.weights
        n_terms = len(self.vocabulary)
        ones = np.ones(len(oi), dtype=np.float32)
        parts: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        def overlap(a, b):
            return np.asarray(a.multiply(b).sum(axis=1), dtype=np.float32).ravel()

        if w.get("lexical", 0) > 0:
            if lexical_from == "opportunities":
                raw = overlap(
                    self._queries(self.opportunities, oi),
                    self.companies.text.weights(n_terms)[ci],
                )
            else:
                raw = overlap(
                    self._queries(self.companies, ci),
                    self.opportunities.text.weights(n_terms)[oi],
                )
            parts["lexical"] = (raw / scale, ones)
        if w.get("semantic", 0) > 0:
            vo, vc = self._vectors(self.opportunities), self._vectors(self.companies)
            # In chunks: gathering both sides' vectors for every pair at once would hold
            # 2 · pairs · 384 floats (300 MB for 100,000 pairs).
            cosine = np.concatenate(
                [np.zeros(0, np.float32)]
                + [
                    np.einsum("ij,ij->i", vo[oi[i : i + 8192]], vc[ci[i : i + 8192]])
                    for i in range(0, len(oi), 8192)
                ]
            )
            low, high = SEMANTIC_RANGE
            parts["semantic"] = (np.clip((cosine - low) / (high - low), 0, 1), ones)
        for name, key, count in (
            ("capability", "capabilities", "n_caps"),
            ("sector", "sectors", "n_sectors"),
        ):
            if w.get(name, 0) > 0:
                n = o[count][oi]
                shared = overlap(
                    self._matrix(self.opportunities, key)[oi],
                    self._matrix(self.companies, key)[ci],
                )
                parts[name] = (shared / np.maximum(n, 1), (n > 0).astype(np.float32))
        if w.get("readiness", 0) > 0:
            readiness = c["readiness"][ci]
            parts["readiness"] = (
                np.nan_to_num(readiness),
                (~np.isnan(readiness)).astype(np.float32),
            )
        if w.get("market", 0) > 0:
            fit = c["fit"][ci, o["country"][oi]]
            parts["market"] = (np.nan_to_num(fit), (~np.isnan(fit)).astype(np.float32))
        return parts

    def _matches(self, wanted: str, rows, best: np.ndarray, best_scores, scale) -> list:
        """(query id, [Match]) per query row, from the top-k rows of the other side."""
        if wanted == "companies":
            others, query_side, lexical_from = self.companies, self.opportunities, "opportunities"
        else:
            others, query_side, lexical_from = self.opportunities, self.companies, "companies"
        n_queries, k = best.shape
        if k == 0:
            return [(query_side.records[int(row)].id, []) for row in rows]
        queries = np.repeat(np.arange(n_queries), k)
        flat = best.ravel()
        oi, ci = (rows[queries], flat) if wanted == "companies" else (flat, rows[queries])
        parts = self._pair_parts(oi, ci, lexical_from, np.asarray(scale)[queries])
        names = list(parts)
        if names:
            weight = sum(self.weights[name] * a for name, (_x, a) in parts.items())
            safe = np.where(weight > 0, weight, 1)
            shares = np.stack(
                [self.weights[name] * x * a / safe for name, (x, a) in parts.items()]
            ).reshape(len(names), n_queries, k)
        else:
            shares = np.zeros((0, n_queries, k), dtype=np.float32)
        # Why each match ranks above the next: the component in which it leads most.
        lead_component = np.zeros((n_queries, max(k - 1, 0)), dtype=np.int64)
        lead_value = np.zeros((n_queries, max(k - 1, 0)), dtype=np.float32)
        if k > 1 and names:
            lead = shares[:, :, :-1] - shares[:, :, 1:]
            lead_component = lead.argmax(axis=0)
            lead_value = np.take_along_axis(lead, lead_component[None], axis=0)[0]
        kept = (best_scores > 0).sum(axis=1).tolist()  # sorted: the positive ones come first
        best_rows, scores = best.tolist(), best_scores.tolist()
        lead_component, lead_value = lead_component.tolist(), lead_value.tolist()
        ids, query_ids = [r.id for r in others.records], [r.id for r in query_side.records]
        explain = self._explain
        out = []
        for i, row in enumerate(rows.tolist()):
            matches = []
            for n in range(kept[i]):
                j = best_rows[i][n]
                above = None
                if n + 1 < kept[i] and lead_value[i][n] > 0:
                    above = (names[lead_component[i][n]], round(lead_value[i][n], 4))
                opp, comp = (row, j) if wanted == "companies" else (j, row)
                make = partial(explain, opp, comp, wanted, names, shares, i, n, above)
                matches.append(Match(ids[j], scores[i][n], make=make))
            out.append((query_ids[row], matches))
        return out

    def _words(self, side: _Side, row: int, record) -> dict[str, str]:
        """A query's stems → its own words, remembered for the queries explained lately."""
        key = (id(side), row)
        if key not in self._forms:
            if len(self._forms) > 10_000:
                self._forms.clear()
            self._forms[key] = surface_forms(record.text, side.languages[row])
        return self._forms[key]

    def _explain(
        self, opp: int, comp: int, wanted: str, names, shares, i: int, n: int, above
    ) -> Explanation:
        contributions = {name: float(v) for name, v in zip(names, shares[:, i, n], strict=True)}
        o: Opportunity = self.opportunities.records[opp]
        c: Company = self.companies.records[comp]
        if wanted == "companies":
            query_terms, doc_side, doc_row = self.opportunities.terms[opp], self.companies, comp
        else:
            query_terms, doc_side, doc_row = self.companies.terms[comp], self.opportunities, opp
        shared = np.intersect1d(query_terms, doc_side.text.terms(doc_row), assume_unique=True)
        words: tuple[str, ...] = ()
        if len(shared):
            # Rarest first: the terms that carry the match.
            w = doc_side.text.idf(len(self.vocabulary))[shared]
            shared = shared[np.argsort(-w, kind="stable")][:MAX_TERMS_SHOWN]
            query, side, row = (
                (o, self.opportunities, opp) if wanted == "companies" else (c, self.companies, comp)
            )
            forms = self._words(side, row, query)
            words = tuple(forms.get(stem, stem) for stem in self.vocabulary.stems(shared))
        company_caps = set(c.capabilities)
        notes = []
        if o.max_employees is not None and c.employees is None:
            notes.append("company size unknown: not checked against the size limit")
        return Explanation(
            matched_terms=words,
            shared_capabilities=tuple(x for x in o.capabilities if x in company_caps),
            missing_capabilities=tuple(x for x in o.capabilities if x not in company_caps),
            shared_sectors=tuple(
                level for code in o.sectors if (level := common_level(code, c.sectors))
            ),
            components={k: round(v, 4) for k, v in contributions.items() if v > 0},
            notes=tuple(notes),
            above_next=above,
            signals={
                name: note
                for name, note in (
                    ("readiness", c.readiness_note),
                    ("market", c.market_notes.get(o.country, "")),
                )
                if note and contributions.get(name, 0) > 0
            },
        )
