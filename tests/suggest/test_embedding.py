"""The shared embedding service: availability, caching, vectors."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from facetscope.suggest import embedding
from facetscope.suggest.embedding import (
    DIMENSION,
    MODEL_ID,
    Embedder,
    EmbeddingUnavailable,
    MemoryCache,
    VectorCache,
    cache_key,
    vector_from_bytes,
    vector_to_bytes,
)
from tests.suggest.helpers import FakeModelEmbedder

TEXTS = [
    "The agency streamlines the permit process to cut waiting times.",
    "Le ministère explore des scénarios pour 2050.",
    "Staff noticed that older residents stopped coming after the bus line closed.",
]


def test_missing_model_files_make_it_unavailable_with_a_reason(tmp_path):
    embedder = Embedder(model_path=tmp_path / "nowhere")
    assert embedder.available() is False
    assert "nowhere" in embedder.reason
    with pytest.raises(EmbeddingUnavailable):
        embedder.encode(["some text"])


def test_disabled_embedder_says_why():
    embedder = Embedder(enabled=False)
    assert not embedder.available()
    assert "disabled" in embedder.reason


def test_encoding_nothing_needs_no_model():
    assert Embedder(enabled=False).encode([]).shape == (0, DIMENSION)


def test_cache_key_is_sha256_of_model_id_and_text():
    assert cache_key("hello") == hashlib.sha256(f"{MODEL_ID}\x00hello".encode()).hexdigest()
    assert cache_key("hello", "other/model") != cache_key("hello")
    assert Embedder(enabled=False).key("hello") == cache_key("hello")


def test_memory_cache_is_a_vector_cache_and_evicts_least_recently_used():
    cache = MemoryCache(max_items=2)
    assert isinstance(cache, VectorCache)
    cache.set_many({"a": np.ones(3), "b": np.zeros(3)})
    cache.get_many(["a"])  # a is now the most recently used
    cache.set_many({"c": np.ones(3)})
    assert set(cache.get_many(["a", "b", "c"])) == {"a", "c"}
    assert len(cache) == 2


def test_vectors_round_trip_through_bytes():
    vector = np.linspace(-1, 1, DIMENSION, dtype=np.float32)
    assert np.array_equal(vector_from_bytes(vector_to_bytes(vector)), vector)


def test_cache_hit_avoids_re_encoding():
    cache = MemoryCache()
    embedder = FakeModelEmbedder(cache=cache)
    first = embedder.encode([TEXTS[0], TEXTS[1], TEXTS[0]])
    assert embedder.encoded == [TEXTS[0], TEXTS[1]]  # duplicates encoded once
    assert np.array_equal(first[0], first[2])

    again = embedder.encode([TEXTS[1], TEXTS[0], TEXTS[2]])
    assert embedder.encoded == [TEXTS[0], TEXTS[1], TEXTS[2]]  # only the new text
    assert np.allclose(again[0], first[1]) and np.allclose(again[1], first[0])

    other_process = FakeModelEmbedder(cache=cache)  # e.g. a shared database cache
    other_process.encode(TEXTS)
    assert other_process.encoded == []


def test_stale_cache_entries_of_another_shape_are_re_encoded():
    cache = MemoryCache()
    embedder = FakeModelEmbedder(cache=cache)
    cache.set_many({embedder.key(TEXTS[0]): np.ones(10, dtype=np.float32)})
    vectors = embedder.encode([TEXTS[0]])
    assert embedder.encoded == [TEXTS[0]]
    assert vectors.shape == (1, DIMENSION)


def test_output_rows_have_unit_length_and_float32():
    vectors = FakeModelEmbedder().encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (3, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


def test_non_string_input_is_rejected():
    with pytest.raises(TypeError):
        FakeModelEmbedder().encode(["ok", 3])


def test_with_cache_shares_availability_but_not_the_cache(tmp_path):
    missing = Embedder(model_path=tmp_path / "nowhere", cache=MemoryCache())
    twin = missing.with_cache(MemoryCache())
    assert not twin.available() and twin.reason == missing.reason
    assert twin.cache is not missing.cache and twin.model_id == missing.model_id


def test_get_embedder_is_process_wide():
    assert embedding.get_embedder() is embedding.get_embedder()
    assert isinstance(embedding.get_embedder().cache, MemoryCache)


# -- the real model (skipped without the optional packages) ------------------------


def test_real_vectors_are_normalised_384_d(real_embedder):
    vectors = real_embedder.encode(TEXTS)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar = real_embedder.encode(["Cutting waiting times for building permits."])[0]
    assert vectors[0] @ similar > vectors[1] @ similar


def test_real_vectors_equal_plain_sentence_transformers_on_50_texts(real_embedder):
    from sentence_transformers import SentenceTransformer

    from facetscope.suggest.classifier import load_labelled

    texts = [r["text"] for r in load_labelled()][:50]
    reference = SentenceTransformer(
        str(embedding.packaged_model_path()), device="cpu", local_files_only=True
    ).encode(texts, normalize_embeddings=True)
    ours = Embedder(batch_size=7).encode(texts)  # odd batch size, no cache
    cosines = np.sum(ours * reference, axis=1) / np.linalg.norm(reference, axis=1)
    assert cosines.min() >= 0.9999


def test_real_twin_uses_the_loaded_model_and_its_own_cache(real_embedder):
    cache = MemoryCache()
    twin = real_embedder.with_cache(cache)
    vectors = twin.encode(TEXTS)
    assert len(cache) == 3
    assert np.allclose(vectors, real_embedder.encode(TEXTS), atol=1e-6)


def test_real_cache_hit_avoids_re_encoding(real_embedder):
    class Counting(Embedder):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.calls: list[int] = []

        def _encode_uncached(self, texts):
            self.calls.append(len(texts))
            return super()._encode_uncached(texts)

    counting = Counting(cache=MemoryCache())
    first = counting.encode(TEXTS)
    second = counting.encode(list(reversed(TEXTS)))
    assert counting.calls == [3]
    assert np.array_equal(first, second[::-1])
