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
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from facetscope.library.models import LibraryItem
from facetscope.library.vectors import embedder, item_text

RRF_K = 60
CANDIDATES = 200
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
    notice: str = ""


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
    return [w.lower() for w in WORD.findall(query) if len(w) > 1][:20]


def _fulltext(qs: QuerySet[LibraryItem], query: str, limit: int) -> list[int]:
    words = terms(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        any_word = SearchQuery(" | ".join(words), search_type="raw", config="simple")
        vector = SearchVector("search_text", config="simple")
        ranked = (
            qs.annotate(rank=SearchRank(vector, any_word))
            .filter(Q(rank__gt=0))
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


class _Matrix:
    """Item vectors for semantic search, kept per process until the library changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: tuple | None = None
        self.ids = np.empty(0, dtype=np.int64)
        self.vectors = np.empty((0, 384), dtype=np.float32)

    def get(self) -> tuple[np.ndarray, np.ndarray]:
        from django.db.models import Count, Max

        state = LibraryItem.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        version = (state["n"], state["last"])
        with self.lock:
            if version != self.version:
                rows = list(LibraryItem.objects.values_list("pk", "title", "summary", "record"))
                texts = [item_text(t, s, (r or {}).get("tags", [])) for _, t, s, r in rows]
                self.vectors = embedder().encode(texts) if rows else self.vectors[:0]
                self.ids = np.array([pk for pk, *_ in rows], dtype=np.int64)
                self.version = version
            return self.ids, self.vectors


_MATRIX = _Matrix()


def _semantic(qs: QuerySet[LibraryItem], query: str, limit: int) -> list[int]:
    ids, vectors = _MATRIX.get()
    if not len(ids):
        return []
    allowed = np.isin(ids, np.fromiter(qs.values_list("pk", flat=True), dtype=np.int64))
    if not allowed.any():
        return []
    q = embedder().encode([query])[0]
    scores = vectors @ q
    scores[~allowed] = -np.inf
    top = np.argsort(-scores)[:limit]
    return [int(ids[i]) for i in top if np.isfinite(scores[i])]


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
    qs = apply_filters(visible_items(organisation=organisation), filters or {})
    words = terms(query)
    rankings = [_fulltext(qs, query, CANDIDATES)]
    notice = ""
    use_semantic = semantic and embedder().available()
    if semantic and not use_semantic:
        notice = embedder().reason
    if use_semantic and query.strip():
        rankings.append(_semantic(qs, query, CANDIDATES))
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, pk in enumerate(ranking):
            fused[pk] = fused.get(pk, 0.0) + 1.0 / (RRF_K + rank + 1)
    best = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    items = LibraryItem.objects.in_bulk([pk for pk, _ in best])
    hits = []
    for pk, score in best:
        item = items[pk]
        html, matched = _highlight(f"{item.title} — {item.summary}", words)
        hits.append(Hit(item=item, score=score, matched=matched, highlight=html))
    return Results(hits=hits, semantic=use_semantic, notice=notice)
