"""Which phrases of a description drove the facet suggestion.

Works on the TF-IDF part of a fitted classifier variant (see ``classifier.py``);
the embedding part of the model has no phrases to point at.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from facetscope.core.words import STOP_WORDS

if TYPE_CHECKING:
    from facetscope.suggest.classifier import _Variant

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def explain_phrases(
    text: str, variant: _Variant, x: sparse.csr_matrix, top: str, k: int
) -> list[str]:
    """Phrases of ``text`` whose TF-IDF features most favour ``top`` over the other facets.

    A feature's contribution is its value times (its weight for ``top`` minus its
    mean weight over all facets). Word uni/bigram contributions go to their tokens;
    character n-gram contributions are shared among the tokens containing them.
    Runs of adjacent tokens with a clearly positive score become phrases (≤ 4
    tokens, trimmed of stop words), ranked by their summed score.
    """
    head = variant.heads["facet"]
    if head.model is None:
        return []
    coef = head.model.coef_
    classes = list(head.model.classes_)
    if coef.shape[0] == 1:  # binary model: one row for the positive class
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
    if top not in classes:
        return []
    relative = coef[classes.index(top)] - coef.mean(axis=0)
    features = variant.features
    x = x.tocsr()
    contribution = dict(
        zip(x.indices.tolist(), (x.data * relative[x.indices]).tolist(), strict=True)
    )

    word_vocab = features.word.vocabulary_
    prep = features.word.build_preprocessor()
    tokens = [(m.start(), m.end(), prep(m.group(0))) for m in _TOKEN.finditer(text)]
    if not tokens:
        return []
    score = np.zeros(len(tokens))
    for i, (_, _, tok) in enumerate(tokens):
        score[i] += contribution.get(word_vocab.get(tok, -1), 0.0)
        if i + 1 < len(tokens):
            bigram = contribution.get(word_vocab.get(f"{tok} {tokens[i + 1][2]}", -1), 0.0)
            score[i] += bigram / 2
            score[i + 1] += bigram / 2

    # character n-grams, analysed word by word as char_wb does
    char_vocab = features.char.vocabulary_
    offset = features.n_word
    lo, hi = features.char.ngram_range
    char_prep = features.char.build_preprocessor()
    words = [(m.start(), m.end(), char_prep(m.group(0))) for m in re.finditer(r"\S+", text)]
    grams_per_word: list[list[int]] = []
    occurrences: dict[int, int] = {}
    for _, _, word in words:
        padded = f" {word} "
        grams = []
        for n in range(lo, hi + 1):
            for j in range(max(1, len(padded) - n + 1)):
                idx = char_vocab.get(padded[j : j + n])
                if idx is not None:
                    grams.append(idx)
                    occurrences[idx] = occurrences.get(idx, 0) + 1
        grams_per_word.append(grams)
    for (start, end, _), grams in zip(words, grams_per_word, strict=True):
        share = sum(contribution.get(offset + g, 0.0) / occurrences[g] for g in grams)
        inside = [i for i, (s, e, _) in enumerate(tokens) if s >= start and e <= end]
        for i in inside:
            score[i] += share / len(inside)

    best = score.max()
    if best <= 0:
        return []
    hot = score >= 0.2 * best
    runs: list[list[int]] = []
    for i in range(len(tokens)):
        if hot[i] and runs and runs[-1][-1] == i - 1 and len(runs[-1]) < 4:
            runs[-1].append(i)
        elif hot[i]:
            runs.append([i])
    candidates: list[tuple[float, str]] = []
    for run in runs:
        while run and tokens[run[0]][2] in STOP_WORDS:
            run = run[1:]
        while run and tokens[run[-1]][2] in STOP_WORDS:
            run = run[:-1]
        if run:
            phrase = text[tokens[run[0]][0] : tokens[run[-1]][1]]
            candidates.append((float(score[run].sum()), phrase))
    candidates.sort(key=lambda c: -c[0])
    seen: set[str] = set()
    phrases = []
    for _, phrase in candidates:
        if phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            phrases.append(phrase)
    return phrases[:k]
