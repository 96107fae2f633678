"""Library search at scale: index 50,000 generated cases, then time 200 queries.

    .venv/bin/python benchmarks/library_search.py [--cases 50000] [--queries 200]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

Prints the time to import and index the cases for full text, then (when the
embedding model is installed) the time to embed them all in batches as
`facetscope library index` does and to load the stored vectors for search, then
p50/p95 latency of the same queries with full text only (the baseline,
measured in the same run) and with hybrid search, and their ratio.
Cases are recombined from sentences of the starter library, so texts are realistic.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _setup import django_setup, fresh_postgres_database

QUERIES = [
    "digital identity for citizens",
    "reducing waiting times",
    "climate adaptation mission",
    "foresight scenarios",
    "frontline staff redesign",
    "open data portal",
    "cancer",
    "participatory budgeting",
    "regulatory sandbox",
    "youth employment",
    "social impact bond",
    "behavioural insights letters",
    "one-stop shop for businesses",
    "ageing population",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    url = fresh_postgres_database(args.postgres, "facetscope_search") if args.postgres else None
    django_setup(url)

    from django.db import connection

    from facetscope.library.models import LibraryItem
    from facetscope.library.records import clean_record
    from facetscope.library.search import _MATRIX, search
    from facetscope.library.services import library_import
    from facetscope.library.vectors import build_index, embedder

    starter = [item.as_record() for item in LibraryItem.objects.all()]
    sentences = [s.strip() + "." for r in starter for s in r["summary"].split(".") if s.strip()]
    rng = random.Random(11)
    records = []
    for i in range(args.cases):
        base = rng.choice(starter)
        summary = " ".join(rng.sample(sentences, 3))
        records.append(
            (
                f"gen {i}",
                clean_record(
                    {
                        "key": f"gen-case-{i}",
                        "type": "case",
                        "title": f"{base['title']} ({i})",
                        "summary": summary,
                        "country": base.get("country", "FR"),
                        "facets": base.get("facets") or "enh",
                        "tags": base.get("tags", [])[:3],
                    },
                    where=f"gen {i}",
                ),
            )
        )
    start = time.perf_counter()
    library_import(actor=None, records=records)
    imported = time.perf_counter() - start
    semantic = embedder().available()
    encoded = loaded = 0.0
    if semantic:
        start = time.perf_counter()
        build_index()
        encoded = time.perf_counter() - start
        start = time.perf_counter()
        _MATRIX.get()
        loaded = time.perf_counter() - start
    # distinct queries (one, two or three themes), so that no query's vector comes from a cache
    queries = list(QUERIES[: args.queries])
    while len(queries) < args.queries:
        query = " ".join(rng.sample(QUERIES, rng.choice((2, 3))))
        if query not in queries:
            queries.append(query)

    def latencies(use_semantic: bool) -> list[float]:
        times = []
        for query in queries:
            t = time.perf_counter()
            search(query, limit=10, semantic=use_semantic)
            times.append(time.perf_counter() - t)
        return times

    def pct(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1] * 1000

    fulltext = latencies(False)
    print(f"database: {connection.vendor}; items: {LibraryItem.objects.count():,}")
    print(f"import and full-text indexing: {imported:7.1f} s")
    print(
        f"full text only (baseline): p50 {pct(fulltext, 50):7.1f} ms   "
        f"p95 {pct(fulltext, 95):7.1f} ms"
    )
    if semantic:
        hybrid = latencies(True)
        count = LibraryItem.objects.count()
        print(
            f"embedding every item (stored in the database): {encoded:7.1f} s "
            f"({count / encoded:,.0f} items/s)"
        )
        print(f"loading the stored vectors for search (first search):   {loaded:7.2f} s")
        edited = {**starter[0], "summary": starter[0]["summary"] + " Edited."}
        library_import(actor=None, records=[("edit", clean_record(edited, where="edit"))])
        start = time.perf_counter()
        _MATRIX.get()
        print(
            f"refreshing them after one item is edited:              "
            f"{(time.perf_counter() - start) * 1000:7.1f} ms"
        )
        print(
            f"hybrid:                    p50 {pct(hybrid, 50):7.1f} ms   "
            f"p95 {pct(hybrid, 95):7.1f} ms   "
            f"({pct(hybrid, 50) / pct(fulltext, 50):.1f}x baseline at p50)"
        )
    else:
        print(f"hybrid: not measured ({embedder().reason})")


if __name__ == "__main__":
    main()
