"""Hybrid search over the library: full text and semantic similarity, fused into one ranking.

Full text is SQLite FTS5 on the embedded database and PostgreSQL full-text
search in production. Semantic similarity compares the query's sentence
embedding with each item's (when the embedding model is installed; otherwise
search says so and uses full text alone). The two rankings are fused with
reciprocal rank fusion, so neither score scale dominates.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import BooleanField, Max, Q, QuerySet
from django.db.models.expressions import RawSQL

from facetscope.core.words import STOP_WORDS
from facetscope.library import vectors
from facetscope.library.models import EmbeddingVector, LibraryItem
from facetscope.suggest.embedding import DIMENSION, get_embedder

RRF_K = 60
CANDIDATES = 200
#: At most this many items without a stored vector are encoded during a search.
INLINE_ENCODE = 300
#: Cosine similarity below which an item is not "related in meaning" to a query. With
#: all-MiniLM-L6-v2, related texts score about 0.25 and above and unrelated ones about 0.1
#: ("tumour": the two cancer missions 0.32, the next item 0.09).
MIN_SIMILARITY = 0.2
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    item: LibraryItem
    score: float
    matched: list[str] = field(default_factory=list)
    highlight: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.item.key,
            "title": self.item.title,
            "type": self.item.type,
            "score": round(self.score, 6),
            "matched": self.matched,
        }


@dataclass
class Results:
    hits: list[Hit]
    semantic: bool
    notice: str = ""  # why search by meaning is off, when it is
    unindexed: int = 0  # items search by meaning could not see (no stored vector yet)


def visible_items(*, organisation=None) -> QuerySet[LibraryItem]:
    """The shared library, plus the private items of ``organisation``."""
    if organisation is None:
        return LibraryItem.objects.filter(organisation__isnull=True)
    return LibraryItem.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


def apply_filters(qs: QuerySet[LibraryItem], filters: dict[str, Any]) -> QuerySet[LibraryItem]:
    if filters.get("type"):
        qs = qs.filter(type=filters["type"])
    if filters.get("facet"):
        qs = qs.filter(top_facet=filters["facet"])
    if filters.get("country"):
        qs = qs.filter(country=filters["country"].upper())
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("year_from"):
        qs = qs.filter(year__gte=filters["year_from"])
    if filters.get("year_to"):
        qs = qs.filter(year__lte=filters["year_to"])
    if filters.get("sector"):
        qs = (
            qs.filter(record__sectors__contains=[filters["sector"]])
            if (connection.vendor == "postgresql")
            else qs.filter(record__sectors__icontains=f'"{filters["sector"]}"')
        )
    return qs


def terms(query: str) -> list[str]:
    words = [w.lower() for w in WORD.findall(query) if len(w) > 1]
    return [w for w in words if w not in STOP_WORDS][:20]


def _fulltext(qs: QuerySet[LibraryItem], query: str, limit: int) -> list[int]:
    words = terms(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        # search_vector: a tsvector column kept by a trigger, GIN-indexed (migration 0004)
        any_word = " | ".join(words)
        ranked = (
            qs.filter(
                RawSQL(
                    "library_libraryitem.search_vector @@ to_tsquery('simple', %s)",
                    [any_word],
                    output_field=BooleanField(),
                )
            )
            .annotate(
                rank=RawSQL(
                    "ts_rank(library_libraryitem.search_vector, to_tsquery('simple', %s))",
                    [any_word],
                )
            )
            .order_by("-rank", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        return list(ranked)
    match = " OR ".join(f'"{w}"' for w in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM library_fts WHERE library_fts MATCH %s ORDER BY bm25(library_fts)"
            " LIMIT %s",
            [match, limit * 5],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    allowed = set(qs.filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in allowed][:limit]


@dataclass(frozen=True)
class _Snapshot:
    """The item vectors at one moment: a search reads one snapshot, whatever reloads meanwhile."""

    ids: np.ndarray  # item pks, one per row of vectors
    orgs: np.ndarray  # their organisation's pk, 0 for the shared library
    vectors: np.ndarray
    missing_orgs: np.ndarray  # organisation (or 0) of each item that has no vector yet

    def missing_for(self, organisation) -> int:
        """How many items visible to ``organisation``'s reader search by meaning cannot see."""
        mine = organisation.pk if organisation else 0
        return int(np.count_nonzero((self.missing_orgs == 0) | (self.missing_orgs == mine)))


_EMPTY = _Snapshot(
    ids=np.empty(0, dtype=np.int64),
    orgs=np.empty(0, dtype=np.int64),
    vectors=np.empty((0, DIMENSION), dtype=np.float32),
    missing_orgs=np.empty(0, dtype=np.int64),
)


class _Matrix:
    """Item vectors for semantic search, kept per process until the library changes.

    Vectors come from the database (``facetscope library index`` or an import
    stores them). A handful of missing ones — an item just added on the web —
    are encoded on the spot; when more are missing, search uses the items that
    have vectors and says how many do not, rather than make a reader wait
    while thousands are encoded.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: tuple | None = None
        self.snapshot = _EMPTY

    def _version(self) -> tuple:
        # two queries: each alone is answered from an index, together they scan the table
        last = LibraryItem.objects.aggregate(last=Max("updated_at"))["last"]
        version: tuple = (LibraryItem.objects.count(), last)
        if len(self.snapshot.missing_orgs):  # vectors stored by another process count too
            version += (EmbeddingVector.objects.count(),)
        return version

    def get(self) -> _Snapshot:
        with self.lock:
            version = self._version()
            if version != self.version:
                self.snapshot = self._refresh(version) or self._load()
                self.version = self._version()
            return self.snapshot

    def _refresh(self, version: tuple) -> _Snapshot | None:
        """The snapshot with only the items changed since the last load re-read (an edit or a
        few additions at 50,000 items: milliseconds instead of a second or two); None when
        a full load is needed — the first, after a deletion, or while items lack vectors."""
        if self.version is None or len(self.snapshot.missing_orgs):
            return None
        count, last = version[:2]
        since = self.version[1]
        if since is None or last is None or count < self.version[0]:
            return None
        changed = vectors.item_keys(LibraryItem.objects.filter(updated_at__gte=since))
        snap = self.snapshot
        position = {int(pk): i for i, pk in enumerate(snap.ids)}
        added = [row for row in changed if row[0] not in position]
        if len(snap.ids) + len(added) != count or len(changed) > INLINE_ENCODE:
            return None  # something was deleted as well, or too much changed
        found = vectors.DatabaseCache().get_many([key for _, _, key, _ in changed])
        unknown = [(key, text) for _, _, key, text in changed if key not in found]
        if unknown:
            encoded = vectors.embedder().encode([text for _, text in unknown])
            found.update(zip([key for key, _ in unknown], encoded, strict=True))
        item_vectors = snap.vectors.copy()
        for pk, _org, key, _text in changed:
            if pk in position:
                item_vectors[position[pk]] = found[key]
        return _Snapshot(
            ids=np.concatenate([snap.ids, np.array([r[0] for r in added], dtype=np.int64)]),
            orgs=np.concatenate([snap.orgs, np.array([r[1] for r in added], dtype=np.int64)]),
            vectors=np.vstack([item_vectors, *[found[r[2]][None, :] for r in added]]),
            missing_orgs=snap.missing_orgs,
        )

    @staticmethod
    def _load() -> _Snapshot:
        rows = vectors.item_keys()
        found = vectors.DatabaseCache().get_many(list({key for _, _, key, _ in rows}))
        missing = [(key, text) for _, _, key, text in rows if key not in found]
        if missing and len(missing) <= INLINE_ENCODE:
            keys = [key for key, _ in missing]
            encoded = vectors.embedder().encode([text for _, text in missing])
            found.update(zip(keys, encoded, strict=True))
        kept = [row for row in rows if row[2] in found]
        return _Snapshot(
            ids=np.array([pk for pk, *_ in kept], dtype=np.int64),
            orgs=np.array([org for _, org, *_ in kept], dtype=np.int64),
            vectors=(
                np.stack([found[key] for _, _, key, _ in kept]).astype(np.float32, copy=False)
                if kept
                else _EMPTY.vectors
            ),
            missing_orgs=np.array(
                [org for _, org, key, _ in rows if key not in found], dtype=np.int64
            ),
        )


_MATRIX = _Matrix()


def _semantic(
    qs: QuerySet[LibraryItem], query: str, limit: int, *, organisation, filtered: bool
) -> tuple[list[int], int]:
    """Items related in meaning to ``query``, best first, and how many items the reader may
    see have no vector yet (other organisations' private items are not counted)."""
    snap = _MATRIX.get()
    missing = snap.missing_for(organisation)
    if not len(snap.ids):
        return [], missing
    if filtered:
        allowed = np.isin(snap.ids, np.fromiter(qs.values_list("pk", flat=True), dtype=np.int64))
    else:  # only visibility to check: shared items and the reader's organisation's
        allowed = (snap.orgs == 0) | (snap.orgs == (organisation.pk if organisation else 0))
    if not allowed.any():
        return [], missing
    # the process's in-memory cache: queries are not worth a row in the database
    q = get_embedder().encode([query])[0]
    scores = snap.vectors @ q
    scores[~allowed] = -np.inf
    top = np.argpartition(-scores, min(limit, len(scores) - 1))[:limit]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [int(snap.ids[i]) for i in top if scores[i] >= MIN_SIMILARITY], missing


def _highlight(text: str, words: list[str], width: int = 240) -> tuple[str, list[str]]:
    lowered = text.lower()
    found = [w for w in words if re.search(rf"\b{re.escape(w)}", lowered)]
    start = 0
    if found:
        first = min(lowered.find(w) for w in found if lowered.find(w) >= 0)
        start = max(0, first - 60)
    snippet = text[start : start + width]
    html = escape(snippet)
    for w in sorted(found, key=len, reverse=True):
        html = re.sub(rf"(?i)\b({re.escape(escape(w))}\w*)", r"<mark>\1</mark>", html)
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return prefix + html + suffix, found


def search(
    query: str,
    *,
    organisation=None,
    filters: dict[str, Any] | None = None,
    limit: int = 10,
    semantic: bool = True,
) -> Results:
    """The best ``limit`` items for ``query``, best first, with why they matched."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = apply_filters(visible_items(organisation=organisation), filters)
    words = terms(query)
    rankings = [_fulltext(qs, query, CANDIDATES)]
    notice = ""
    unindexed = 0
    encoder = vectors.embedder()
    use_semantic = semantic and encoder.available()
    if semantic and not use_semantic:
        notice = encoder.reason
    if use_semantic and query.strip():
        nearest, unindexed = _semantic(
            qs, query, CANDIDATES, organisation=organisation, filtered=bool(filters)
        )
        rankings.append(nearest)
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, pk in enumerate(ranking):
            fused[pk] = fused.get(pk, 0.0) + 1.0 / (RRF_K + rank + 1)
    best = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    items = LibraryItem.objects.in_bulk([pk for pk, _ in best])
    hits = []
    for pk, score in best:
        item = items.get(pk)
        if item is None:  # deleted since the vectors were loaded
            continue
        html, matched = _highlight(f"{item.title} — {item.summary}", words)
        hits.append(Hit(item=item, score=score, matched=matched, highlight=html))
    return Results(hits=hits, semantic=use_semantic, notice=notice, unindexed=unindexed)
