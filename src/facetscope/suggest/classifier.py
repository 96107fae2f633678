"""The facet classifier: text → facet mix, project-facets answers, and the phrases behind it.

Features are TF-IDF word 1–2-grams and character 3–5-grams (within word
boundaries, accents stripped, so English and French share one model) plus,
when the embedding service is available, the 384-d sentence embedding. Three
heads — ``facet``, ``purpose``, ``driver`` — are multinomial logistic
regressions whose probabilities are calibrated by temperature scaling fitted on
out-of-fold logits (one parameter per head: it changes confidence, never the
ranking). Two variants are always trained, ``embeddings+tfidf`` and ``tfidf``;
the first is used when the embedder works, the second otherwise, so the
classifier works without torch.

The model is trained at first use from the shipped labelled set plus any
corrections passed in (``train(examples)``) and, given a ``cache_path``,
stored there with joblib and reused while the shipped set, the configuration
and the scikit-learn version are unchanged. The file is a local cache, not an
artefact to commit; it is only ever read from the path the caller controls.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar

from facetscope.suggest.embedding import Embedder, EmbeddingUnavailable, get_embedder
from facetscope.suggest.explain import explain_phrases

FACETS = ("enh", "mis", "ada", "ant")
PURPOSES = (*FACETS, "all")
HEAD_LABELS: dict[str, tuple[str, ...]] = {"facet": FACETS, "purpose": PURPOSES, "driver": FACETS}
LABELLED_PATH = Path(__file__).resolve().parent / "data" / "labelled.jsonl"
METHOD_EMBEDDINGS = "embeddings+tfidf"
METHOD_TFIDF = "tfidf"
FORMAT_VERSION = 1



@dataclass(frozen=True)
class Config:
    """Hyper-parameters, fixed a priori (see docs/suggest-evaluation.md)."""

    word_ngrams: tuple[int, int] = (1, 2)
    word_min_df: int = 2
    char_ngrams: tuple[int, int] = (3, 5)
    char_min_df: int = 2
    embedding_weight: float = 1.0
    C: float = 10.0
    calibration_folds: int = 5
    seed: int = 0


def load_labelled(path: str | os.PathLike[str] = LABELLED_PATH) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def clean_example(example: Any, where: str = "example") -> dict[str, Any]:
    """Validate one labelled example; returns ``{text, facet, purpose, driver}``.

    ``purpose`` and ``driver`` are optional (None when absent).
    """
    if not isinstance(example, dict):
        raise ValueError(f"{where}: expected a dict, got {type(example).__name__}")
    text = example.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: text must be a non-empty string")
    cleaned: dict[str, Any] = {"text": text.strip()}
    for name, labels, required in (
        ("facet", FACETS, True),
        ("purpose", PURPOSES, False),
        ("driver", FACETS, False),
    ):
        value = example.get(name)
        if value is None and not required:
            cleaned[name] = None
        elif value not in labels:
            raise ValueError(f"{where}: {name} must be one of {', '.join(labels)}, got {value!r}")
        else:
            cleaned[name] = value
    return cleaned


def _merge(
    shipped: list[dict[str, Any]], extra: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Shipped records then corrections; a correction replaces a record with the same text."""
    merged: dict[str, dict[str, Any]] = {}
    for record in (*shipped, *extra):
        merged[" ".join(record["text"].split()).casefold()] = record
    return list(merged.values())


def _fingerprint(records: Sequence[dict[str, Any]]) -> str:
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps([r["text"], r["facet"], r.get("purpose"), r.get("driver")],
                                 ensure_ascii=False).encode())
    return digest.hexdigest()


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


class _Features:
    """TF-IDF word + char n-grams, optionally followed by the (weighted) sentence embedding."""

    def __init__(self, config: Config, use_embeddings: bool) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.use_embeddings = use_embeddings
        self.embedding_weight = config.embedding_weight
        self.word = TfidfVectorizer(
            ngram_range=config.word_ngrams, min_df=config.word_min_df,
            sublinear_tf=True, strip_accents="unicode", dtype=np.float64,
        )
        self.char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=config.char_ngrams, min_df=config.char_min_df,
            sublinear_tf=True, strip_accents="unicode", dtype=np.float64,
        )

    def fit(self, texts: Sequence[str]) -> _Features:
        self.word.fit(texts)
        self.char.fit(texts)
        return self

    def transform(self, texts: Sequence[str], embeddings: np.ndarray | None) -> sparse.csr_matrix:
        blocks = [self.word.transform(texts), self.char.transform(texts)]
        if self.use_embeddings:
            if embeddings is None:
                raise ValueError("this feature set needs embeddings")
            blocks.append(sparse.csr_matrix(embeddings * self.embedding_weight))
        return sparse.hstack(blocks, format="csr")

    @property
    def n_word(self) -> int:
        return len(self.word.vocabulary_)


class _Head:
    """Multinomial logistic regression + temperature fitted on out-of-fold logits."""

    def __init__(self, labels: tuple[str, ...], config: Config) -> None:
        self.labels = labels
        self.config = config
        self.model: Any = None
        self.constant: str | None = None
        self.temperature = 1.0

    def _new_model(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        # newton-cg: lbfgs is ~10x slower on these ~20k-column sparse problems.
        return LogisticRegression(C=self.config.C, solver="newton-cg", max_iter=1000)

    def fit(self, X: sparse.csr_matrix, y: np.ndarray) -> _Head:
        present = sorted(set(y.tolist()))
        if len(present) == 1:
            self.constant = present[0]
            return self
        self.model = self._new_model().fit(X, y)
        self.temperature = self._fit_temperature(X, y)
        return self

    def _fit_temperature(self, X: sparse.csr_matrix, y: np.ndarray) -> float:
        from sklearn.model_selection import KFold, StratifiedKFold

        classes = list(self.model.classes_)
        counts = np.array([np.sum(y == c) for c in classes])
        folds = self.config.calibration_folds
        if counts.min() >= 2:
            splitter: Any = StratifiedKFold(
                n_splits=int(min(folds, counts.min())), shuffle=True,
                random_state=self.config.seed,
            )
        else:
            splitter = KFold(n_splits=folds, shuffle=True, random_state=self.config.seed)
        logits = np.zeros((len(y), len(classes)))
        for train, test in splitter.split(X, y):
            if len(set(y[train].tolist())) < 2:
                return 1.0
            fold = self._new_model().fit(X[train], y[train])
            z = fold.decision_function(X[test])
            if z.ndim == 1:  # binary: sklearn returns the positive-class margin
                z = np.column_stack([-z / 2, z / 2])
            full = np.full((len(test), len(classes)), np.nan)
            for j, c in enumerate(fold.classes_):
                full[:, classes.index(c)] = z[:, j]
            floor = np.nanmin(full, axis=1, keepdims=True) - 5.0  # classes the fold never saw
            logits[test] = np.where(np.isnan(full), floor, full)
        target = np.array([classes.index(c) for c in y])

        def nll(log_t: float) -> float:
            z = logits / np.exp(log_t)
            z = z - z.max(axis=1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            return float(-log_p[np.arange(len(y)), target].mean())

        result = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
        return float(np.exp(result.x))

    def logits(self, X: sparse.csr_matrix) -> np.ndarray:
        z = self.model.decision_function(X)
        if z.ndim == 1:
            z = np.column_stack([-z / 2, z / 2])
        return z

    def proba(self, X: sparse.csr_matrix) -> np.ndarray:
        """Probabilities in ``self.labels`` order (0 for labels never seen in training)."""
        out = np.zeros((X.shape[0], len(self.labels)))
        if self.constant is not None:
            out[:, self.labels.index(self.constant)] = 1.0
            return out
        z = self.logits(X) / self.temperature
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        for j, c in enumerate(self.model.classes_):
            out[:, self.labels.index(c)] = p[:, j]
        return out


@dataclass
class _Variant:
    features: _Features
    heads: dict[str, _Head]


@dataclass
class _Bundle:
    format_version: int
    sklearn_version: str
    config: dict[str, Any]
    shipped_hash: str
    data_hash: str
    embedding_model_id: str | None
    variants: dict[str, _Variant]
    n_examples: int
    n_extra: int
    train_seconds: float
    warnings: list[str] = field(default_factory=list)


class FacetClassifier:
    """Suggest a facet mix for a project description; see the module docstring.

    ``embedder`` defaults to the process-wide one; pass ``Embedder(enabled=False)``
    for TF-IDF only. ``examples`` are corrections to train with at first use
    (``None``: accept whatever a valid cache file was trained with).
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        *,
        cache_path: str | os.PathLike[str] | None = None,
        examples: Iterable[dict[str, Any]] | None = None,
        config: Config | None = None,
        labelled_path: str | os.PathLike[str] = LABELLED_PATH,
    ) -> None:
        self.embedder = embedder if embedder is not None else get_embedder()
        self.cache_path = Path(cache_path) if cache_path is not None else None
        self.config = config or Config()
        self.labelled_path = Path(labelled_path)
        self._examples = list(examples) if examples is not None else None
        self._bundle: _Bundle | None = None
        self._stamp: tuple[int, int, int] | None = None  # the cache file we loaded or wrote
        self._lock = threading.RLock()

    # -- training -------------------------------------------------------------------

    def train(
        self, examples: Iterable[dict[str, Any]] = (), *, include_shipped: bool = True
    ) -> dict[str, Any]:
        """(Re)train on the shipped labelled set plus ``examples`` and save to ``cache_path``.

        An example is ``{"text", "facet"}`` plus optional ``purpose`` and ``driver``; one
        whose text equals a shipped text replaces that record (a user correction).
        Raises ValueError naming the first invalid example. Returns a summary.
        """
        shipped = [clean_example(r, f"labelled set line {i + 1}")
                   for i, r in enumerate(load_labelled(self.labelled_path))] \
            if include_shipped else []
        extra = [clean_example(r, f"example {i + 1}") for i, r in enumerate(examples)]
        records = _merge(shipped, extra)
        if not records:
            raise ValueError("nothing to train on")
        with self._lock:
            bundle = self._fit(records, shipped_hash=_fingerprint(shipped), n_extra=len(extra))
            self._bundle = bundle
            self._save(bundle)
        return self.info()

    def _fit(self, records: list[dict[str, Any]], *, shipped_hash: str, n_extra: int) -> _Bundle:
        started = time.perf_counter()
        texts = [r["text"] for r in records]
        notes: list[str] = []
        embeddings = None
        if self.embedder.available():
            try:
                embeddings = self.embedder.encode(texts)
            except EmbeddingUnavailable as exc:
                notes.append(f"trained without embeddings: {exc}")
        else:
            notes.append(f"trained without embeddings: {self.embedder.reason}")
        from threadpoolctl import threadpool_limits

        # One BLAS thread: these small solves gain nothing from threads, and OpenBLAS
        # threads spinning against other busy processes made training ~6x slower.
        with threadpool_limits(limits=1, user_api="blas"):
            variants = {METHOD_TFIDF: self._fit_variant(records, None)}
            if embeddings is not None:
                variants[METHOD_EMBEDDINGS] = self._fit_variant(records, embeddings)
        return _Bundle(
            format_version=FORMAT_VERSION,
            sklearn_version=_sklearn_version(),
            config=asdict(self.config),
            shipped_hash=shipped_hash,
            data_hash=_fingerprint(records),
            embedding_model_id=self.embedder.model_id if embeddings is not None else None,
            variants=variants,
            n_examples=len(records),
            n_extra=n_extra,
            train_seconds=time.perf_counter() - started,
            warnings=notes,
        )

    def _fit_variant(
        self, records: list[dict[str, Any]], embeddings: np.ndarray | None
    ) -> _Variant:
        texts = [r["text"] for r in records]
        features = _Features(self.config, use_embeddings=embeddings is not None).fit(texts)
        X = features.transform(texts, embeddings)
        heads = {}
        for head, labels in HEAD_LABELS.items():
            rows = [i for i, r in enumerate(records) if r.get(head) is not None]
            if rows:
                y = np.array([records[i][head] for i in rows])
                heads[head] = _Head(labels, self.config).fit(X[rows], y)
        return _Variant(features, heads)

    # -- persistence ----------------------------------------------------------------

    def _save(self, bundle: _Bundle) -> None:
        if self.cache_path is None:
            return
        import joblib

        tmp = None
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                dir=self.cache_path.parent, prefix=".suggest-", suffix=".tmp"
            )
            os.close(fd)
            joblib.dump(bundle, tmp)
            os.replace(tmp, self.cache_path)
            self._stamp = self._file_stamp()
        except OSError as exc:  # a read-only or full disk must not stop suggestions
            bundle.warnings.append(f"could not write {self.cache_path}: {exc}")
        finally:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)

    def _load_cached(self) -> _Bundle | None:
        if self.cache_path is None or not self.cache_path.is_file():
            return None
        import joblib

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                bundle = joblib.load(self.cache_path)
        except Exception:  # corrupt, truncated or from incompatible code: retrain
            return None
        shipped = [clean_example(r) for r in load_labelled(self.labelled_path)]
        ok = (
            isinstance(bundle, _Bundle)
            and bundle.format_version == FORMAT_VERSION
            and bundle.sklearn_version == _sklearn_version()
            and bundle.config == asdict(self.config)
            and bundle.shipped_hash == _fingerprint(shipped)
        )
        if ok and self._examples is not None:
            extra = [clean_example(r, f"example {i + 1}") for i, r in enumerate(self._examples)]
            ok = bundle.n_extra == len(extra) and bundle.data_hash == _fingerprint(
                _merge(shipped, extra)
            )
        if ok and METHOD_EMBEDDINGS not in bundle.variants and self.embedder.available():
            ok = False  # embeddings became available since: train the better variant
        return bundle if ok else None

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.cache_path)  # type: ignore[arg-type]
        except (OSError, TypeError):
            return None
        return st.st_mtime_ns, st.st_size, st.st_ino

    def _ensure(self) -> _Bundle:
        if self._bundle is None:
            with self._lock:
                if self._bundle is None:
                    stamp = self._file_stamp()
                    bundle = self._load_cached()
                    if bundle is None:
                        self.train(self._examples or ())
                    else:
                        self._bundle, self._stamp = bundle, stamp
        elif self.cache_path is not None:
            # Another process (e.g. a worker applying corrections) replaced the file: use it.
            stamp = self._file_stamp()
            if stamp is not None and stamp != self._stamp:
                with self._lock:
                    if stamp != self._stamp:
                        bundle = self._load_cached()
                        if bundle is not None:
                            self._bundle = bundle
                        self._stamp = stamp
        assert self._bundle is not None
        return self._bundle

    def info(self) -> dict[str, Any]:
        """What the current model was trained on and how."""
        bundle = self._ensure()
        return {
            "methods": sorted(bundle.variants),
            "method": self.method,
            "examples": bundle.n_examples,
            "corrections": bundle.n_extra,
            "train_seconds": round(bundle.train_seconds, 2),
            "embedding_model": bundle.embedding_model_id,
            "warnings": list(bundle.warnings),
        }

    # -- prediction -----------------------------------------------------------------

    @property
    def method(self) -> str:
        """The variant that will be used now."""
        bundle = self._ensure()
        usable = (
            METHOD_EMBEDDINGS in bundle.variants
            and bundle.embedding_model_id == self.embedder.model_id
            and self.embedder.available()
        )
        return METHOD_EMBEDDINGS if usable else METHOD_TFIDF

    def _features(
        self, texts: Sequence[str], method: str | None = None
    ) -> tuple[_Variant, sparse.csr_matrix, str]:
        for i, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"texts[{i}] is empty")
        bundle = self._ensure()
        method = method or self.method
        if method not in bundle.variants:
            raise ValueError(f"no {method!r} variant trained")
        if method == METHOD_EMBEDDINGS:
            try:
                embeddings = self.embedder.encode(list(texts))
            except EmbeddingUnavailable:
                method = METHOD_TFIDF  # the runtime broke since: fall back
            else:
                variant = bundle.variants[METHOD_EMBEDDINGS]
                return variant, variant.features.transform(texts, embeddings), method
        variant = bundle.variants[method]
        return variant, variant.features.transform(texts, None), method

    def proba(
        self, texts: Sequence[str], *, head: str = "facet", method: str | None = None
    ) -> np.ndarray:
        """``(n, len(HEAD_LABELS[head]))`` probabilities, columns in HEAD_LABELS order."""
        variant, X, _ = self._features(texts, method)
        return variant.heads[head].proba(X)

    def suggest_many(
        self, texts: Sequence[str], *, phrases: int = 5, method: str | None = None
    ) -> list[dict[str, Any]]:
        """:meth:`suggest` for many texts, encoded in one batch."""
        texts = list(texts)
        if not texts:
            return []
        variant, X, method = self._features(texts, method)
        probs = {head: h.proba(X) for head, h in variant.heads.items()}
        results = []
        for i, text in enumerate(texts):
            facets = _as_dict(FACETS, probs["facet"][i])
            top = max(FACETS, key=facets.__getitem__)
            result: dict[str, Any] = {"facets": facets, "top": top}
            for head in ("purpose", "driver"):
                result[head] = _as_dict(HEAD_LABELS[head], probs[head][i]) if head in probs \
                    else None
            result["phrases"] = (
                explain_phrases(text, variant, X[i], top, phrases) if phrases > 0 else []
            )
            result["method"] = method
            results.append(result)
        return results

    def suggest(self, text: str, *, method: str | None = None) -> dict[str, Any]:
        """``{"facets", "top", "purpose", "driver", "phrases", "method"}`` for one description.

        ``facets`` (and ``purpose``/``driver``) are probability dicts summing to 1.
        ``method`` pins a variant (default: the best usable one). Raises ValueError for
        an empty text.
        """
        return self.suggest_many([text], method=method)[0]

    def explain(self, text: str, top_k: int = 5) -> list[str]:
        """Up to ``top_k`` phrases, verbatim from ``text``, that pushed most toward the top
        facet (from the TF-IDF part of the model; embeddings have no phrases)."""
        variant, X, _ = self._features([text])
        p = variant.heads["facet"].proba(X)[0]
        top = FACETS[int(np.argmax(p))]
        return explain_phrases(text, variant, X[0], top, top_k)


def _as_dict(labels: tuple[str, ...], row: np.ndarray) -> dict[str, float]:
    return {label: float(v) for label, v in zip(labels, row, strict=True)}


_instances: dict[str | None, FacetClassifier] = {}
_instances_lock = threading.Lock()


def get_classifier(cache_path: str | os.PathLike[str] | None = None) -> FacetClassifier:
    """A process-wide classifier per cache path, using the process-wide embedder."""
    key = str(Path(cache_path).resolve()) if cache_path is not None else None
    with _instances_lock:
        if key not in _instances:
            _instances[key] = FacetClassifier(cache_path=cache_path)
        return _instances[key]
