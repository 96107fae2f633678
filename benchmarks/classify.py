"""Throughput and latency of the facet classifier on the CPU.

    python benchmarks/classify.py [--n 10000] [--latency-samples 200] [--seed 7]

Generates N distinct project descriptions by recombining 2–3 sentences of the
labelled set (same language), then measures, in this one run:

- the classifier as used in production (embeddings+tfidf): descriptions/second
  over the whole batch, classified in batches of 64 with a cold vector cache;
- baselines on the same texts: the TF-IDF-only variant, and a plain pass of the
  model's own tokenizer (the floor of any transformer pipeline);
- the latency (p50/p95) of ``suggest()`` on one description at a time
  (probabilities for all heads and the explaining phrases), for both variants.

Prints figures and ratios; asserts nothing. Takes about 4–5 minutes on an idle
2-core machine (most of it the 10,000 encodings), about 10 when the cores are shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from facetscope.suggest.classifier import (
    METHOD_EMBEDDINGS,
    METHOD_TFIDF,
    FacetClassifier,
    load_labelled,
)
from facetscope.suggest.embedding import Embedder, MemoryCache

BATCH = 64
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«\"“])")


def generate(n: int, seed: int) -> list[str]:
    """``n`` distinct descriptions, each 2–3 sentences of one language from random records."""
    pools: dict[str, list[str]] = {}
    for record in load_labelled():
        pools.setdefault(record["lang"], []).extend(_SENTENCE_END.split(record["text"].strip()))
    langs = list(pools)
    weights = [len(pools[lang]) for lang in langs]
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        pool = pools[rng.choices(langs, weights)[0]]
        text = " ".join(rng.sample(pool, rng.choice((2, 3))))
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def throughput(fn, texts: list[str]) -> float:
    started = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        fn(texts[i : i + BATCH])
    return len(texts) / (time.perf_counter() - started)


def latencies(fn, texts: list[str]) -> tuple[float, float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - started)
    ms = np.array(times) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--latency-samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    texts = generate(args.n + 2 * args.latency_samples, args.seed)
    batch, single = texts[: args.n], texts[args.n :]
    lengths = np.array([len(t) for t in batch])
    cpu = platform.processor() or platform.machine()
    print(
        f"{len(batch):,} generated descriptions, {lengths.mean():.0f} characters on average "
        f"(min {lengths.min()}, max {lengths.max()}); {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )

    embedder = Embedder(cache=MemoryCache(max_items=len(texts) + 1000))
    if embedder.available():
        import torch

        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    else:
        print(f"embeddings unavailable ({embedder.reason}): TF-IDF only")
    clf = FacetClassifier(embedder)
    started = time.perf_counter()
    info = clf.train()
    print(
        f"training (model load, encoding 440 texts, fitting 2 variants x 3 heads): "
        f"{time.perf_counter() - started:.1f} s\n"
    )

    results: dict[str, float] = {}
    if embedder.available():
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(embedder._resolve_model_path() / "tokenizer.json"))
        tokenizer.enable_truncation(256)
        results["tokenizer pass (baseline)"] = throughput(tokenizer.encode_batch, batch)
    results["tfidf only (baseline)"] = throughput(
        lambda chunk: clf.proba(chunk, method=METHOD_TFIDF), batch
    )
    if METHOD_EMBEDDINGS in info["methods"]:
        results["embeddings+tfidf"] = throughput(
            lambda chunk: clf.proba(chunk, method=METHOD_EMBEDDINGS), batch
        )

    print(f"{'throughput, batches of 64':<34}{'descriptions/s':>16}")
    for name, rate in results.items():
        print(f"{name:<34}{rate:>16,.1f}")
    main_rate = results.get("embeddings+tfidf")
    if main_rate:
        print(
            f"\nembeddings+tfidf is {results['tfidf only (baseline)'] / main_rate:.0f}x slower "
            f"than tfidf only; the tokenizer alone runs at "
            f"{results['tokenizer pass (baseline)'] / main_rate:.0f}x its rate, so the "
            f"transformer forward pass is the cost."
        )
        print(
            f"10,000 descriptions take {10_000 / main_rate:.0f} s with embeddings, "
            f"{10_000 / results['tfidf only (baseline)']:.1f} s with TF-IDF only."
        )

    half = len(single) // 2
    print(f"\n{'latency of suggest(), one text':<34}{'p50 ms':>10}{'p95 ms':>10}")
    # fresh texts each time, so the vector cache never answers
    tf50, tf95 = latencies(lambda t: clf.suggest(t, method=METHOD_TFIDF), single[:half])
    print(f"{'tfidf only (baseline)':<34}{tf50:>10.1f}{tf95:>10.1f}")
    if METHOD_EMBEDDINGS in info["methods"]:
        em50, em95 = latencies(lambda t: clf.suggest(t, method=METHOD_EMBEDDINGS), single[half:])
        print(f"{'embeddings+tfidf':<34}{em50:>10.1f}{em95:>10.1f}")
        print(f"\np50 ratio embeddings+tfidf / tfidf only: {em50 / tf50:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
