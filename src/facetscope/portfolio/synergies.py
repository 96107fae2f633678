"""Synergies: pairs of projects that share goals, partners, SDGs or similar texts.

Pure Python and numpy, no Django. Plain data in, plain data out.

Each project is a mapping with ``id``, ``title``, ``description``,
``policy_goals``, ``partners``, ``sdgs`` and ``tags``. Two projects are a
candidate pair for each of these reasons:

``goals``, ``partners``
    they name the same policy goal or partner (compared ignoring case, accents
    are kept, runs of spaces count as one); score = Jaccard index of the two sets;
``sdgs``
    they contribute to the same Sustainable Development Goal; Jaccard index;
``text``
    the TF-IDF cosine of their texts (title, description and tags) is at least
    ``text_threshold``; score = that cosine; ``shared`` lists the terms that
    contribute most (normalised: lower case, no accents, plural ``s`` dropped).

A pair's score is the sum of its reasons' scores times :data:`KIND_WEIGHTS`
(SDGs count half: they are broad, many unrelated projects share one).

Everything pairwise is matrix arithmetic in row blocks (numpy), so 500
projects take a fraction of a second; the only Python loops run over each
project's own words. The text vectors keep at most ``max_features`` terms,
and only terms found in at least two projects (the others cannot make two
projects similar, though they still count in each vector's length).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

KINDS: tuple[str, ...] = ("goals", "partners", "sdgs", "text")
KIND_WEIGHTS: Mapping[str, float] = {"goals": 1.0, "partners": 1.0, "sdgs": 0.5, "text": 1.0}

#: How many of the most telling terms a ``text`` reason lists.
TEXT_TERMS_SHOWN = 5

#: Pairwise matrices are computed this many cells at a time (rows × projects).
_BLOCK_CELLS = 2_000_000

_STOPWORDS_EN = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
new use using used via within across per well etc
"""

_STOPWORDS_FR = """
a afin ai aient aie aies ait alors as au aucun aucune aupres auquel aura aurai auraient aurais
aurait auras aurez auriez aurons auront aussi autre autres aux auxquelles auxquels avaient
avais avait avant avec avez aviez avions avoir avons ayant ce ceci cela celle celles celui
cependant ces cet cette ceux chaque chez comme comment dans de des depuis donc dont du elle
elles en encore entre est et etaient etais etait etant ete etre eu eux fait faire fois font
hors ici il ils je jusqu jusque la le les leur leurs lors lorsque lui mais me meme memes mes
moins mon ne ni nos notre nous on ont ou par parce parmi pas peu peut peuvent plus pour
pourquoi qu quand que quel quelle quelles quels qui quoi sa sans se selon ses si sien son
sont sous sur ta tandis te tes toi ton tous tout toute toutes tres tu un une vers via vos
votre vous etc ainsi afin dont celle cette nouveau nouvelle nouveaux nouvelles
"""

_LETTERS = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Lower case without accents: ``"Énergie"`` → ``"energie"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


STOPWORDS: frozenset[str] = frozenset(_fold(w) for w in (_STOPWORDS_EN + _STOPWORDS_FR).split())


def _stem(word: str) -> str:
    """Drop a plural ``s`` (English and French): ``services`` → ``service``."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The terms of a text: words of three letters or more, folded, no stopwords, stemmed."""
    words = _LETTERS.findall(_fold(text or ""))
    return [_stem(w) for w in words if len(w) > 2 and w not in STOPWORDS]


def _label_key(value: Any) -> str:
    """Goals and partners compare ignoring case and extra spaces."""
    return _SPACES.sub(" ", str(value)).strip().casefold()


def _label(value: Any) -> str:
    return _SPACES.sub(" ", str(value)).strip()


def _incidence(sets: Sequence[set[Hashable]]) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 matrix of the items found in two or more sets, and each set's full size."""
    counts = Counter(item for items in sets for item in items)
    shared = sorted((item for item, c in counts.items() if c >= 2), key=str)
    column = {item: i for i, item in enumerate(shared)}
    matrix = np.zeros((len(sets), len(shared)), dtype=np.float32)
    rows = [r for r, items in enumerate(sets) for item in items if item in column]
    cols = [column[item] for items in sets for item in items if item in column]
    matrix[rows, cols] = 1.0
    sizes = np.array([len(items) for items in sets], dtype=np.float32)
    return matrix, sizes


def _tfidf(
    docs: Sequence[list[str]], max_features: int
) -> tuple[np.ndarray, list[dict[str, float]]]:
    """L2-normalised TF-IDF vectors (sublinear tf, smoothed idf).

    Returns the dense matrix over terms shared by two or more documents (at
    most ``max_features``, the most frequent) and each document's full
    normalised vector as a dict, to explain a match.
    """
    n = len(docs)
    counts = [Counter(doc) for doc in docs]
    df = Counter(term for c in counts for term in c)
    idf = {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in df.items()}
    vectors: list[dict[str, float]] = []
    for c in counts:
        weights = {t: (1.0 + math.log(k)) * idf[t] for t, k in c.items()}
        norm = math.sqrt(math.fsum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    shared = sorted((t for t, d in df.items() if d >= 2), key=lambda t: (-df[t], t))
    column = {t: i for i, t in enumerate(shared[:max_features])}
    matrix = np.zeros((n, len(column)), dtype=np.float32)
    rows, cols, vals = [], [], []
    for r, vector in enumerate(vectors):
        for t, w in vector.items():
            i = column.get(t)
            if i is not None:
                rows.append(r)
                cols.append(i)
                vals.append(w)
    matrix[rows, cols] = vals
    return matrix, vectors


def _jaccard(block: np.ndarray, matrix: np.ndarray, sizes_b: np.ndarray, sizes: np.ndarray):
    inter = block @ matrix.T
    union = sizes_b[:, None] + sizes[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=inter > 0)


def _best(
    scores: np.ndarray, left: np.ndarray, right: np.ndarray, limit: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``limit`` best pairs: highest score, then input order; deterministic with ties."""
    if limit is not None and len(scores) > limit:
        cut = len(scores) - limit
        kth = np.partition(scores, cut)[cut]
        keep = scores >= kth
        scores, left, right = scores[keep], left[keep], right[keep]
    order = np.lexsort((right, left, -scores))
    if limit is not None:
        order = order[:limit]
    return scores[order], left[order], right[order]


def find_synergies(
    projects: Sequence[Mapping[str, Any]],
    *,
    text_threshold: float = 0.35,
    max_pairs: int | None = 200,
    max_features: int = 8192,
) -> list[dict[str, Any]]:
    """Pairs of projects with something in common, best first.

    Returns at most ``max_pairs`` (``None``: all) dicts
    ``{"a": id, "b": id, "reasons": [{"kind", "shared", "score"}, …], "score"}``
    where ``a`` comes before ``b`` in ``projects``; reasons follow :data:`KINDS`;
    scores are rounded to 4 places. Equal scores keep the input order.
    Duplicate ids raise ``ValueError``.
    """
    if not 0 < text_threshold <= 1:
        raise ValueError("text_threshold must be above 0 and at most 1")
    if max_pairs is not None and max_pairs < 0:
        raise ValueError("max_pairs must not be negative")
    ids = [p["id"] for p in projects]
    if len(set(ids)) != len(ids):
        dupes = sorted({str(i) for i, c in Counter(ids).items() if c > 1})
        raise ValueError(f"duplicate project id(s): {', '.join(dupes)}")
    n = len(projects)
    if n < 2 or max_pairs == 0:
        return []

    labels: dict[str, list[dict[str, str]]] = {"goals": [], "partners": []}
    for kind, field in (("goals", "policy_goals"), ("partners", "partners")):
        for p in projects:
            found: dict[str, str] = {}
            for value in p.get(field) or ():
                key = _label_key(value)
                if key:
                    found.setdefault(key, _label(value))
            labels[kind].append(found)
    sdg_sets = [{int(v) for v in (p.get("sdgs") or ())} for p in projects]
    item_sets: dict[str, list[set[Hashable]]] = {
        "goals": [set(found) for found in labels["goals"]],
        "partners": [set(found) for found in labels["partners"]],
        "sdgs": list(sdg_sets),
    }
    incidences = {
        kind: _incidence(sets) for kind, sets in item_sets.items() if any(len(s) for s in sets)
    }
    incidences = {k: v for k, v in incidences.items() if v[0].shape[1]}
    docs = [
        terms(
            " ".join(
                [p.get("title") or "", p.get("description") or "", *map(str, p.get("tags") or ())]
            )
        )
        for p in projects
    ]
    text_matrix, vectors = _tfidf(docs, max_features)
    has_text = text_matrix.shape[1] > 0

    kept = (np.empty(0), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    step = max(1, _BLOCK_CELLS // n)
    columns = np.arange(n)
    for start in range(0, n - 1, step):
        stop = min(n, start + step)
        rows = np.arange(start, stop)
        total = np.zeros((stop - start, n), dtype=np.float64)
        for kind, (matrix, sizes) in incidences.items():
            total += KIND_WEIGHTS[kind] * _jaccard(
                matrix[start:stop], matrix, sizes[start:stop], sizes
            )
        if has_text:
            cosine = text_matrix[start:stop] @ text_matrix.T
            total += KIND_WEIGHTS["text"] * np.where(cosine >= text_threshold, cosine, 0.0)
        total[columns[None, :] <= rows[:, None]] = 0.0
        left, right = np.nonzero(total > 1e-9)
        scores = np.round(total[left, right], 6)
        kept = _best(
            np.concatenate([kept[0], scores]),
            np.concatenate([kept[1], left + start]),
            np.concatenate([kept[2], right]),
            max_pairs,
        )

    pairs = [
        (
            int(i),
            int(j),
            _explain(projects, int(i), int(j), labels, sdg_sets, vectors, text_threshold),
        )
        for i, j in zip(kept[1], kept[2], strict=True)
    ]
    # The matrices rank the pairs; the reported scores are recomputed exactly, so sort again.
    pairs.sort(key=lambda pair: (-pair[2]["score"], pair[0], pair[1]))
    return [pair[2] for pair in pairs if pair[2]["reasons"]]


def _explain(
    projects: Sequence[Mapping[str, Any]],
    i: int,
    j: int,
    labels: Mapping[str, list[dict[str, str]]],
    sdg_sets: list[set[int]],
    vectors: list[dict[str, float]],
    text_threshold: float,
) -> dict[str, Any]:
    """The reasons of one pair, recomputed exactly from the projects' own items."""
    reasons = []
    for kind in ("goals", "partners"):
        a, b = labels[kind][i], labels[kind][j]
        shared = [a[key] for key in a if key in b]
        if shared:
            score = len(shared) / len(a.keys() | b.keys())
            reasons.append({"kind": kind, "shared": shared, "score": round(score, 4)})
    shared_sdgs = sorted(sdg_sets[i] & sdg_sets[j])
    if shared_sdgs:
        score = len(shared_sdgs) / len(sdg_sets[i] | sdg_sets[j])
        reasons.append({"kind": "sdgs", "shared": shared_sdgs, "score": round(score, 4)})
    va, vb = vectors[i], vectors[j]
    products = {t: w * vb[t] for t, w in va.items() if t in vb}
    cosine = math.fsum(products.values())
    if products and cosine >= text_threshold - 1e-6:
        top = sorted(products, key=lambda t: (-products[t], t))[:TEXT_TERMS_SHOWN]
        reasons.append({"kind": "text", "shared": top, "score": round(min(cosine, 1.0), 4)})
    score = math.fsum(KIND_WEIGHTS[r["kind"]] * r["score"] for r in reasons)
    return {
        "a": projects[i]["id"],
        "b": projects[j]["id"],
        "reasons": reasons,
        "score": round(score, 4),
    }
