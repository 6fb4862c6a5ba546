"""Okapi BM25 over a growing collection, as sparse matrices.

Each document is a row of term counts. `weights()` gives the documents' BM25 term weights as
a CSR matrix (documents × terms), so scoring a batch of queries is one sparse product:
``scores = Q @ W.T`` with Q the queries' binary term incidence. Adding a document appends a
row and marks the weights stale; they are rebuilt, vectorised, on the next query (a few
milliseconds for 10,000 documents), since a new document changes every term's idf and the
average length.

    w(t, d) = idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl))
    idf(t)  = ln(1 + (N − df + 0.5) / (df + 0.5))

(Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009; the
idf is Lucene's, which is never negative.) Queries count each distinct term once.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["BM25Index", "Vocabulary"]


class Vocabulary:
    """Stems ↔ integer ids, shared by both sides of the matching."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def encode(self, stems: list[str]) -> np.ndarray:
        ids = self.ids
        out = np.empty(len(stems), dtype=np.int32)
        for i, stem in enumerate(stems):
            term = ids.get(stem)
            if term is None:
                term = ids[stem] = len(ids)
            out[i] = term
        return out

    def stems(self, term_ids) -> list[str]:
        stems = self._stems()
        return [stems[t] for t in term_ids]

    def _stems(self) -> list[str]:
        if getattr(self, "_stem_list", None) is None or len(self._stem_list) != len(self.ids):
            stems = [""] * len(self.ids)
            for stem, term in self.ids.items():
                stems[term] = stem
            self._stem_list = stems
        return self._stem_list


class BM25Index:
    """Documents as term-count rows; BM25 weights computed on demand."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._rows: list[tuple[np.ndarray, np.ndarray]] = []  # (term ids, counts) per document
        self._weights: sparse.csr_matrix | None = None
        self._idf: np.ndarray | None = None
        self._incidence: sparse.csr_matrix | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, term_ids: np.ndarray) -> int:
        """Append a document given as its term ids (repeats = term frequency); its row."""
        terms, counts = np.unique(term_ids, return_counts=True)
        self._rows.append((terms.astype(np.int32), counts.astype(np.float32)))
        self._weights = self._idf = self._incidence = None
        return len(self._rows) - 1

    def terms(self, row: int) -> np.ndarray:
        return self._rows[row][0]

    def _build(self, n_terms: int) -> None:
        n = len(self._rows)
        lengths = np.array([counts.sum() for _, counts in self._rows], dtype=np.float32)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum([len(terms) for terms, _ in self._rows], out=indptr[1:])
        if n:
            indices = np.concatenate([terms for terms, _ in self._rows])
            tf = np.concatenate([counts for _, counts in self._rows])
        else:
            indices, tf = np.zeros(0, np.int32), np.zeros(0, np.float32)
        df = np.bincount(indices, minlength=n_terms).astype(np.float32)
        self._idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avgdl = float(lengths.mean()) if n and lengths.mean() > 0 else 1.0
        row_length = np.repeat(lengths, np.diff(indptr))
        norm = self.k1 * (1 - self.b + self.b * row_length / avgdl)
        data = self._idf[indices] * tf * (self.k1 + 1) / (tf + norm)
        self._weights = sparse.csr_matrix((data, indices, indptr), shape=(n, n_terms))
        self._incidence = sparse.csr_matrix(
            (np.ones_like(data), indices, indptr), shape=(n, n_terms)
        )

    def weights(self, n_terms: int) -> sparse.csr_matrix:
        """BM25 weights (documents × `n_terms`), rebuilt if documents were added since."""
        if self._weights is None or self._weights.shape[1] != n_terms:
            self._build(n_terms)
        return self._weights

    def idf(self, n_terms: int) -> np.ndarray:
        self.weights(n_terms)
        return self._idf

    def weight_of(self, row: int, term_ids: np.ndarray, n_terms: int) -> np.ndarray:
        """The weights of these terms in one document (0 for absent terms)."""
        w = self.weights(n_terms)
        start, end = w.indptr[row], w.indptr[row + 1]
        terms = w.indices[start:end]  # sorted: rows are built from np.unique
        at = np.searchsorted(terms, term_ids)
        found = (at < len(terms)) & (terms[np.minimum(at, len(terms) - 1)] == term_ids)
        return np.where(found, w.data[start + np.minimum(at, max(len(terms) - 1, 0))], 0.0)


def query_matrix(queries: list[np.ndarray], n_terms: int) -> sparse.csr_matrix:
    """Binary term incidence of a batch of queries; terms beyond `n_terms` are dropped (no
    document of the other side has them)."""
    rows = [np.unique(q[q < n_terms]) for q in queries]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    indices = np.concatenate(rows) if rows else np.zeros(0, np.int32)
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), n_terms))
