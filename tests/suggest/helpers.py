"""Test doubles built on the public Embedder interface (no mocking)."""

from __future__ import annotations

import hashlib

import numpy as np

from facetscope.suggest.embedding import DIMENSION, Embedder, EmbeddingUnavailable


class FakeModelEmbedder(Embedder):
    """An Embedder whose "model" is a deterministic hash of the text, counting model calls.

    It exercises batching, caching and the classifier's embedding path without torch.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.encoded: list[str] = []

    def available(self) -> bool:
        return True

    def _encode_uncached(self, texts):
        self.encoded.extend(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            rows.append(np.random.default_rng(seed).standard_normal(DIMENSION))
        matrix = np.array(rows, dtype=np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


class BrokenEmbedder(FakeModelEmbedder):
    """Claims to be available, then fails to load — as a broken torch install would."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.broken = False

    def _encode_uncached(self, texts):
        if self.broken:
            raise EmbeddingUnavailable("simulated load failure")
        return super()._encode_uncached(texts)
