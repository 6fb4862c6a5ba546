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

Cost: for Q queries against D documents, one sparse product per text component and a dense
product for embeddings, in batches of `batch` queries (memory ~ 6 · batch · D · 4 bytes), then
a partial sort per query: O(Q · D) time, O(batch · D) memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial

import numpy as np
from scipy import sparse

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
        batch: int = 512,
    ) -> None:
        self.today = today or date.today()
        self.encoder = encoder
        self.weights = dict(WEIGHTS if weights is None else weights)
        if encoder is None:
            self.weights["semantic"] = 0.0
        unknown = set(self.weights) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown components: {', '.join(sorted(unknown))}")
        self.batch = batch
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
                raise ValueError(f"duplicate id: {record.id}")
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
            )

        return side.cached(f"arrays:{n_countries}", build)

    # --- Scoring -----------------------------------------------------------------------------

    def _block(self, opp_rows: np.ndarray, comp_rows: np.ndarray, lexical_from: str):
        """Component matrices (opportunities × companies) and the filter mask for a block.

        `lexical_from` is the side whose texts are the queries: "opportunities" when ranking
        companies for opportunities, "companies" for the reverse."""
        o, c = self._opportunity_arrays(), self._company_arrays()
        shape = (len(opp_rows), len(comp_rows))
        mask = o["open"][opp_rows][:, None] & np.ones(shape, dtype=bool)
        ruled = o["ruled"][opp_rows]
        if ruled.any():
            eligible = o["eligible"][opp_rows][:, c["country"][comp_rows]]
            mask &= eligible | ~ruled[:, None]
        size = c["employees"][comp_rows]
        mask &= ~(size[None, :] > o["max_size"][opp_rows][:, None])

        parts: dict[str, tuple[np.ndarray, np.ndarray | float]] = {}  # name: (x, applies)
        w = self.weights
        if w.get("lexical", 0) > 0:
            parts["lexical"] = (self._lexical(opp_rows, comp_rows, lexical_from, mask), 1.0)
        if w.get("semantic", 0) > 0:
            cosine = (
                self._vectors(self.opportunities)[opp_rows]
                @ self._vectors(self.companies)[comp_rows].T
            )
            low, high = SEMANTIC_RANGE
            parts["semantic"] = (np.clip((cosine - low) / (high - low), 0, 1), 1.0)
        if w.get("capability", 0) > 0:
            n_caps = o["n_caps"][opp_rows]
            shared = (
                self._matrix(self.opportunities, "capabilities")[opp_rows]
                @ self._matrix(self.companies, "capabilities")[comp_rows].T
            ).toarray()
            parts["capability"] = (
                shared / np.maximum(n_caps, 1)[:, None],
                (n_caps > 0).astype(np.float32)[:, None],
            )
        if w.get("sector", 0) > 0:
            n_sectors = o["n_sectors"][opp_rows]
            shared = (
                self._matrix(self.opportunities, "sectors")[opp_rows]
                @ self._matrix(self.companies, "sectors")[comp_rows].T
            ).toarray()
            parts["sector"] = (
                shared / np.maximum(n_sectors, 1)[:, None],
                (n_sectors > 0).astype(np.float32)[:, None],
            )
        if w.get("readiness", 0) > 0:
            readiness = c["readiness"][comp_rows]
            known = ~np.isnan(readiness)
            parts["readiness"] = (
                np.broadcast_to(np.nan_to_num(readiness)[None, :], shape),
                known.astype(np.float32)[None, :],
            )
        if w.get("market", 0) > 0:
            fit = c["fit"][comp_rows][:, o["country"][opp_rows]].T
            known = ~np.isnan(fit)
            parts["market"] = (np.nan_to_num(fit), known.astype(np.float32))

        total = np.zeros(shape, dtype=np.float32)
        weight = np.zeros(shape, dtype=np.float32)
        for name, (x, applies) in parts.items():
            total += w[name] * x * applies
            weight += w[name] * applies
        score = np.divide(total, weight, out=np.zeros(shape, np.float32), where=weight > 0)
        score[~mask] = -np.inf
        return score, parts, weight

    def _lexical(self, opp_rows, comp_rows, lexical_from: str, mask) -> np.ndarray:
        n_terms = len(self.vocabulary)
        if lexical_from == "opportunities":
            queries, docs, q_rows, d_rows = self.opportunities, self.companies, opp_rows, comp_rows
        else:
            queries, docs, q_rows, d_rows = self.companies, self.opportunities, comp_rows, opp_rows
        q = query_matrix([queries.terms[r] for r in q_rows], n_terms)
        raw = (q @ docs.text.weights(n_terms)[d_rows].T).toarray()
        floor = LEXICAL_FLOOR * (q @ docs.text.idf(n_terms))
        if lexical_from == "companies":
            raw = raw.T  # back to opportunities × companies
            allowed = np.where(mask, raw, 0).max(axis=0) if raw.size else raw
            scale = np.maximum(allowed, floor)
            return raw / np.where(scale > 0, scale, 1)[None, :]
        allowed = np.where(mask, raw, 0).max(axis=1) if raw.size else np.zeros(len(q_rows))
        scale = np.maximum(allowed, floor)
        return raw / np.where(scale > 0, scale, 1)[:, None]

    # --- Ranking ------------------------------------------------------------------------------

    def companies_for(self, opportunity: str, top: int = 10) -> list[Match]:
        """The best `top` companies for one opportunity (by id), best first."""
        row = self.opportunities.row_of[str(opportunity)]
        return next(self._rank("companies", np.array([row]), top))[1]

    def opportunities_for(self, company: str, top: int = 10) -> list[Match]:
        """The best `top` open opportunities for one company (by id), best first."""
        row = self.companies.row_of[str(company)]
        return next(self._rank("opportunities", np.array([row]), top))[1]

    def rank_all(self, direction: str = "opportunities", top: int = 10) -> Iterator:
        """(query id, matches) for every opportunity (`direction="opportunities"`: companies
        for each opportunity) or every company (`"companies"`: opportunities for each)."""
        side = self.opportunities if direction == "opportunities" else self.companies
        for start in range(0, len(side), self.batch):
            rows = np.arange(start, min(start + self.batch, len(side)))
            yield from self._rank(
                "companies" if side is self.opportunities else "opportunities", rows, top
            )

    def _rank(self, wanted: str, rows: np.ndarray, top: int):
        """Rank `wanted` ("companies" or "opportunities") for each query row of the other
        side. Block matrices stay opportunities × companies; the top k of every query are
        found, and their components gathered, for the whole block at once."""
        if wanted == "companies":
            score, parts, weight = self._block(
                rows, np.arange(len(self.companies)), "opportunities"
            )
            ranked = score
            others, query_side = self.companies, self.opportunities
        else:
            score, parts, weight = self._block(
                np.arange(len(self.opportunities)), rows, "companies"
            )
            ranked = score.T
            others, query_side = self.opportunities, self.companies
        n_queries, n_others = ranked.shape
        k = min(top, n_others)
        if k == 0:
            for row in rows:
                yield query_side.records[int(row)].id, []
            return
        best = np.argpartition(-ranked, k - 1, axis=1)[:, :k]
        best_scores = np.take_along_axis(ranked, best, axis=1)
        order = np.lexsort((best, -best_scores), axis=1)
        best = np.take_along_axis(best, order, axis=1)
        best_scores = np.take_along_axis(best_scores, order, axis=1)
        queries = np.repeat(np.arange(n_queries)[:, None], k, axis=1)
        oi, ci = (queries, best) if wanted == "companies" else (best, queries)
        total = weight[oi, ci]
        safe = np.where(total > 0, total, 1)
        names = list(parts)
        shares = (
            np.stack(
                [
                    self.weights[name]
                    * x[oi, ci]
                    * (1.0 if isinstance(a, float) else np.broadcast_to(a, x.shape)[oi, ci])
                    / safe
                    for name, (x, a) in parts.items()
                ]
            )
            if names
            else np.zeros((0, n_queries, k), dtype=np.float32)
        )
        # Why each match ranks above the next: the component in which it leads most.
        lead_component = np.zeros((n_queries, max(k - 1, 0)), dtype=np.int64)
        lead_value = np.zeros((n_queries, max(k - 1, 0)), dtype=np.float32)
        if k > 1 and names:
            lead = shares[:, :, :-1] - shares[:, :, 1:]
            lead_component = lead.argmax(axis=0)
            lead_value = np.take_along_axis(lead, lead_component[None], axis=0)[0]
        positive = best_scores > 0
        for i, row in enumerate(rows):
            kept = int(positive[i].sum())  # scores are sorted: the positive ones come first
            matches = []
            for n in range(kept):
                j = int(best[i, n])
                above = None
                if n + 1 < kept and lead_value[i, n] > 0:
                    above = (names[lead_component[i, n]], round(float(lead_value[i, n]), 4))
                opp, comp = (int(row), j) if wanted == "companies" else (j, int(row))
                matches.append(
                    Match(
                        id=others.records[j].id,
                        score=float(best_scores[i, n]),
                        make=partial(
                            self._explain, opp, comp, wanted, names, shares[:, i, n], above
                        ),
                    )
                )
            yield query_side.records[int(row)].id, matches

    def _words(self, side: _Side, row: int, record) -> dict[str, str]:
        """A query's stems → its own words, remembered for the queries explained lately."""
        key = (id(side), row)
        if key not in self._forms:
            if len(self._forms) > 10_000:
                self._forms.clear()
            self._forms[key] = surface_forms(record.text, side.languages[row])
        return self._forms[key]

    def _explain(self, opp: int, comp: int, wanted: str, names, shares, above) -> Explanation:
        contributions = {name: float(v) for name, v in zip(names, shares, strict=True)}
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
        )
