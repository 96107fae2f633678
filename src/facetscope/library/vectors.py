"""The embedding service's database cache, and item vectors for semantic search."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np

from facetscope.library.models import EmbeddingVector
from facetscope.suggest.embedding import (
    MODEL_ID,
    Embedder,
    get_embedder,
    vector_from_bytes,
    vector_to_bytes,
)


class DatabaseCache:
    """``VectorCache`` backed by the EmbeddingVector table (shared by every app server)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found = {}
        for start in range(0, len(keys), 500):
            for key, data in EmbeddingVector.objects.filter(
                key__in=keys[start : start + 500]
            ).values_list("key", "vector"):
                found[key] = vector_from_bytes(bytes(data))
        return found

    def set_many(self, items: Mapping[str, np.ndarray]) -> None:
        EmbeddingVector.objects.bulk_create(
            [
                EmbeddingVector(key=k, model=MODEL_ID, vector=vector_to_bytes(v))
                for k, v in items.items()
            ],
            ignore_conflicts=True,
            batch_size=500,
        )


_lock = threading.Lock()
_embedder: Embedder | None = None


def embedder() -> Embedder:
    """The shared embedding service (same model, loaded once per process) with its vectors
    cached in the database; the process-wide embedder keeps its own cache untouched."""
    global _embedder
    with _lock:
        if _embedder is None:
            _embedder = get_embedder().with_cache(DatabaseCache())
    return _embedder


def item_text(title: str, summary: str, tags: Sequence[str] = ()) -> str:
    return " ".join([title, summary, *tags])
