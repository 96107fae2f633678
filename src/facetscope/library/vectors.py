"""The embedding service's database cache, and item vectors for semantic search."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from facetscope.library.models import EmbeddingVector, LibraryItem
from facetscope.suggest.embedding import (
    MODEL_ID,
    Embedder,
    EmbeddingUnavailable,
    get_embedder,
    vector_from_bytes,
    vector_to_bytes,
)

#: Texts encoded per batch when indexing: each batch is stored before the next starts.
INDEX_BATCH = 256


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


def item_keys(queryset=None) -> list[tuple[int, int, str, str]]:
    """``(pk, organisation id or 0, cache key, text)`` of every item in ``queryset``."""
    rows = (LibraryItem.objects.all() if queryset is None else queryset).values_list(
        "pk", "organisation_id", "title", "summary", "record"
    )
    out = []
    encoder = embedder()
    for pk, organisation_id, title, summary, record in rows.iterator(chunk_size=2000):
        text = item_text(title, summary, (record or {}).get("tags", []))
        out.append((pk, organisation_id or 0, encoder.key(text), text))
    return out


def _stored(keys: Sequence[str]) -> set[str]:
    present: set[str] = set()
    for start in range(0, len(keys), 500):
        present.update(
            EmbeddingVector.objects.filter(key__in=keys[start : start + 500]).values_list(
                "key", flat=True
            )
        )
    return present


@dataclass(frozen=True)
class IndexStatus:
    items: int
    indexed: int

    @property
    def missing(self) -> int:
        return self.items - self.indexed


def index_status() -> IndexStatus:
    """How many library items have their vector in the database."""
    rows = item_keys()
    keys = list(dict.fromkeys(key for _pk, _org, key, _text in rows))
    present = _stored(keys)
    return IndexStatus(items=len(rows), indexed=sum(1 for row in rows if row[2] in present))


def build_index(
    *,
    queryset=None,
    batch_size: int = INDEX_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed every item (of ``queryset``, default all) whose vector is not stored yet.

    Works in batches of ``batch_size`` texts, each stored as soon as it is
    encoded, so an interrupted run loses at most one batch and the next run
    goes on where it stopped. ``progress(done, total)`` is called after each
    batch. Returns how many items were encoded. Raises ``EmbeddingUnavailable``
    when the model cannot be used.
    """
    encoder = embedder()
    if not encoder.available():
        raise EmbeddingUnavailable(encoder.reason)
    rows = item_keys(queryset)
    texts = {key: text for _pk, _org, key, text in rows}
    present = _stored(list(texts))
    missing = [key for key in texts if key not in present]
    if progress is not None:
        progress(0, len(missing))
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        encoder.encode([texts[key] for key in batch])  # stores through the database cache
        if progress is not None:
            progress(start + len(batch), len(missing))
    return len(missing)
