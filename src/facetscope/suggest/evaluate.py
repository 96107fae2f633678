"""Cross-validated evaluation of the facet classifier against two baselines.

    python -m facetscope.suggest.evaluate [--json] [--folds 5] [--seed 20240501] [--no-embeddings]

Stratified k-fold cross-validation (by facet × language, fixed seed) on the
shipped labelled set. In every fold the classifier is trained from scratch on
the training part only (vectorisers, heads and temperature included), and all
methods are scored on the same held-out part:

- ``embeddings+tfidf`` — the classifier as shipped;
- ``tfidf`` — the same classifier without embeddings (its fallback);
- ``keywords`` — the hand-written cue lexicons (no training);
- ``definitions`` — the facet whose short definition (en/fr, below) has the
  highest cosine with the text's embedding (no training).

Macro-F1 and accuracy are reported as mean ± sd over folds; per-class F1, the
confusion matrix and the French/English macro-F1 use the pooled out-of-fold
predictions. The purpose and driver heads are compared with copying the
predicted facet, their obvious baseline.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from facetscope.suggest import keywords
from facetscope.suggest.classifier import (
    FACETS,
    METHOD_EMBEDDINGS,
    METHOD_TFIDF,
    PURPOSES,
    Config,
    FacetClassifier,
    clean_example,
    load_labelled,
)
from facetscope.suggest.embedding import Embedder, EmbeddingUnavailable, MemoryCache

DEFAULT_SEED = 20240501

# Short facet definitions, written for this baseline from the OPSI facet model.
DEFINITIONS: dict[str, dict[str, list[str]]] = {
    "enh": {
        "en": [
            "Enhancement-oriented innovation: doing existing things better, making a current "
            "service or process faster, cheaper, simpler or more efficient.",
            "How might we do what we already do better? Improving and upgrading an existing "
            "public service with proven methods.",
        ],
        "fr": [
            "Innovation d'amélioration : faire mieux ce qui existe déjà, rendre un service ou "
            "un processus actuel plus rapide, moins coûteux, plus simple ou plus efficace.",
            "Comment mieux faire ce que nous faisons déjà ? Améliorer et moderniser un service "
            "public existant avec des méthodes éprouvées.",
        ],
    },
    "mis": {
        "en": [
            "Mission-oriented innovation: a directed, top-down push towards an ambitious "
            "overarching goal set by leaders, with targets and a deadline.",
            "How might we achieve this goal? Government mobilises many organisations behind a "
            "clear mission such as net zero or ending homelessness.",
        ],
        "fr": [
            "Innovation orientée mission : une impulsion dirigée, venue d'en haut, vers un "
            "objectif global ambitieux fixé par les dirigeants, avec des cibles et une échéance.",
            "Comment atteindre cet objectif ? Le gouvernement mobilise de nombreux acteurs "
            "autour d'une mission claire, comme la neutralité carbone ou la fin du sans-abrisme.",
        ],
    },
    "ada": {
        "en": [
            "Adaptive innovation: bottom-up responses by staff to a changed environment or new "
            "user needs, testing and adjusting new approaches as they learn.",
            "How might our changed situation change how we work? Frontline workers notice a new "
            "problem and try out responses without a plan from the top.",
        ],
        "fr": [
            "Innovation adaptative : des réponses venues du terrain face à un environnement qui "
            "a changé ou à de nouveaux besoins, testées et ajustées au fil de l'expérience.",
            "Comment notre situation nouvelle change-t-elle notre façon de travailler ? Des "
            "agents de première ligne constatent un problème et essaient des solutions.",
        ],
    },
    "ant": {
        "en": [
            "Anticipatory innovation: exploring emerging possibilities and uncertain futures, "
            "such as new technologies, to prepare for what could come.",
            "How might emerging possibilities change what we could or should do? Foresight, "
            "scenarios and experiments with technologies whose impact is still unclear.",
        ],
        "fr": [
            "Innovation anticipative : explorer des possibilités émergentes et des futurs "
            "incertains, comme les nouvelles technologies, pour se préparer à ce qui pourrait "
            "arriver.",
            "Comment les possibilités émergentes pourraient-elles changer ce que nous devrions "
            "faire ? Prospective, scénarios et expériences avec des technologies encore "
            "incertaines.",
        ],
    },
}


def definitions_predict(embedder: Embedder, texts: Sequence[str]) -> list[str]:
    """Nearest facet definition by cosine (max over a facet's definitions, both languages)."""
    labels: list[str] = []
    defs: list[str] = []
    for facet in FACETS:
        for sentences in DEFINITIONS[facet].values():
            labels.extend([facet] * len(sentences))
            defs.extend(sentences)
    sims = embedder.encode(list(texts)) @ embedder.encode(defs).T
    per_facet = np.stack(
        [sims[:, [i for i, lab in enumerate(labels) if lab == f]].max(axis=1) for f in FACETS],
        axis=1,
    )
    return [FACETS[i] for i in per_facet.argmax(axis=1)]


def _calibration(y: list[str], proba: np.ndarray, bins: int = 10) -> dict[str, float]:
    from sklearn.metrics import log_loss

    target = np.array([FACETS.index(v) for v in y])
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == target
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return {
        "log_loss": float(log_loss(target, np.clip(proba, 1e-15, 1), labels=range(len(FACETS)))),
        "ece": float(ece),
        "mean_confidence": float(confidence.mean()),
        "accuracy": float(correct.mean()),
    }


def _summary(values: list[float]) -> dict[str, Any]:
    arr = np.array(values)
    return {"mean": float(arr.mean()), "sd": float(arr.std(ddof=1)) if len(arr) > 1 else 0.0,
            "folds": [round(float(v), 4) for v in arr]}


def _scores(y_true: list[str], y_pred: list[str], labels: Sequence[str]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    present = [lab for lab in labels if lab in set(y_true)]
    return {"macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro",
                                       zero_division=0)),
            "accuracy": float(accuracy_score(y_true, y_pred))}


def evaluate(
    *, folds: int = 5, seed: int = DEFAULT_SEED, use_embeddings: bool = True,
    config: Config | None = None, embedder: Embedder | None = None,
) -> dict[str, Any]:
    from sklearn.metrics import confusion_matrix, f1_score
    from sklearn.model_selection import StratifiedKFold

    started = time.perf_counter()
    records = [clean_example(r, f"line {i + 1}") | {"lang": r.get("lang", "?")}
               for i, r in enumerate(load_labelled())]
    texts = [r["text"] for r in records]
    y = [r["facet"] for r in records]
    langs = [r["lang"] for r in records]
    if embedder is None:
        embedder = Embedder(cache=MemoryCache(), enabled=use_embeddings)
    notes: list[str] = []
    encode_seconds = None
    if embedder.available():
        t0 = time.perf_counter()
        try:
            embedder.encode(texts)  # once; folds then hit the cache
            encode_seconds = time.perf_counter() - t0
        except EmbeddingUnavailable as exc:
            notes.append(f"embeddings unavailable: {exc}")
    else:
        notes.append(f"embeddings unavailable: {embedder.reason}")
    have_embeddings = encode_seconds is not None

    methods = [METHOD_EMBEDDINGS, METHOD_TFIDF, "keywords", "definitions"] if have_embeddings \
        else [METHOD_TFIDF, "keywords"]
    oof: dict[str, list[str | None]] = {m: [None] * len(y) for m in methods}
    oof_proba = {m: np.zeros((len(y), len(FACETS))) for m in (METHOD_EMBEDDINGS, METHOD_TFIDF)}
    heads = {"purpose": PURPOSES, "driver": FACETS}
    main = METHOD_EMBEDDINGS if have_embeddings else METHOD_TFIDF
    head_oof: dict[str, list[str | None]] = {h: [None] * len(y) for h in heads}
    per_fold: dict[str, dict[str, list[float]]] = {
        m: {"macro_f1": [], "accuracy": []}
        for m in (*methods, *heads, *(f"{h} (copy facet)" for h in heads))
    }
    train_seconds: list[float] = []

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    strata = [f"{f}-{lang}" for f, lang in zip(y, langs, strict=True)]
    for train_idx, test_idx in splitter.split(texts, strata):
        clf = FacetClassifier(embedder, config=config)
        info = clf.train([records[i] for i in train_idx], include_shipped=False)
        train_seconds.append(info["train_seconds"])
        test_texts = [texts[i] for i in test_idx]
        y_test = [y[i] for i in test_idx]
        preds: dict[str, list[str]] = {}
        for method in (METHOD_EMBEDDINGS, METHOD_TFIDF):
            if method in methods:
                proba = clf.proba(test_texts, method=method)
                oof_proba[method][test_idx] = proba
                preds[method] = [FACETS[j] for j in proba.argmax(axis=1)]
        preds["keywords"] = [keywords.predict(t) for t in test_texts]
        if "definitions" in methods:
            preds["definitions"] = definitions_predict(embedder, test_texts)
        for method in methods:
            for k, i in enumerate(test_idx):
                oof[method][i] = preds[method][k]
            for metric, value in _scores(y_test, preds[method], FACETS).items():
                per_fold[method][metric].append(value)
        for head, labels in heads.items():
            proba = clf.proba(test_texts, head=head, method=main)
            head_pred = [labels[j] for j in proba.argmax(axis=1)]
            truth = [records[i][head] for i in test_idx]
            for k, i in enumerate(test_idx):
                head_oof[head][i] = head_pred[k]
            for name, pred in ((head, head_pred), (f"{head} (copy facet)", preds[main])):
                for metric, value in _scores(truth, pred, labels).items():
                    per_fold[name][metric].append(value)

    result: dict[str, Any] = {
        "dataset": {"records": len(y), "french": langs.count("fr"),
                    "per_facet": {f: y.count(f) for f in FACETS}},
        "folds": folds, "seed": seed, "stratified_by": "facet x language",
        "methods": {}, "heads": {}, "notes": notes,
        "timing": {"encode_all_seconds": encode_seconds,
                   "train_seconds_per_fold": round(float(np.mean(train_seconds)), 2),
                   "total_seconds": None},
    }
    for method in methods:
        pred = [str(p) for p in oof[method]]
        entry: dict[str, Any] = {
            "macro_f1": _summary(per_fold[method]["macro_f1"]),
            "accuracy": _summary(per_fold[method]["accuracy"]),
            "per_class_f1": dict(zip(FACETS, (float(v) for v in f1_score(
                y, pred, labels=list(FACETS), average=None)), strict=True)),
            "confusion": {"labels": list(FACETS),
                          "matrix": confusion_matrix(y, pred, labels=list(FACETS)).tolist()},
        }
        for lang in ("fr", "en"):
            idx = [i for i, v in enumerate(langs) if v == lang]
            entry[f"{lang}_macro_f1"] = _scores([y[i] for i in idx], [pred[i] for i in idx],
                                                FACETS)["macro_f1"]
        if method in oof_proba:
            entry["calibration"] = _calibration(y, oof_proba[method])
        result["methods"][method] = entry
    if have_embeddings:
        diff = np.subtract(per_fold[METHOD_EMBEDDINGS]["macro_f1"],
                           per_fold[METHOD_TFIDF]["macro_f1"])
        result["embeddings_gain_macro_f1"] = _summary(diff.tolist())
    for head, labels in heads.items():
        truth = [r[head] for r in records]
        result["heads"][head] = {
            "method": main,
            "labels_present": [lab for lab in labels if lab in truth],
            "macro_f1": _summary(per_fold[head]["macro_f1"]),
            "accuracy": _summary(per_fold[head]["accuracy"]),
            "copy_facet_macro_f1": _summary(per_fold[f"{head} (copy facet)"]["macro_f1"]),
            "copy_facet_accuracy": _summary(per_fold[f"{head} (copy facet)"]["accuracy"]),
            "label_equals_facet": sum(r[head] == r["facet"] for r in records) / len(records),
        }
    result["timing"]["total_seconds"] = round(time.perf_counter() - started, 1)
    return result


def _pm(summary: dict[str, Any]) -> str:
    return f"{summary['mean']:.3f} ± {summary['sd']:.3f}"


def render(result: dict[str, Any]) -> str:
    ds = result["dataset"]
    lines = [
        f"Facet suggestion — {result['folds']}-fold stratified CV ({result['stratified_by']}), "
        f"seed {result['seed']}",
        f"Labelled set: {ds['records']} records ({ds['french']} French); per facet: "
        + ", ".join(f"{f} {n}" for f, n in ds["per_facet"].items()),
        "",
        f"{'method':<18}{'macro-F1 (mean ± sd)':<24}{'accuracy':<18}{'French F1':<11}"
        f"{'English F1':<11}",
    ]
    for name, m in result["methods"].items():
        lines.append(f"{name:<18}{_pm(m['macro_f1']):<24}{_pm(m['accuracy']):<18}"
                     f"{m['fr_macro_f1']:<11.3f}{m['en_macro_f1']:<11.3f}")
    if "embeddings_gain_macro_f1" in result:
        gain = result["embeddings_gain_macro_f1"]
        lines.append(f"paired per-fold gain of embeddings+tfidf over tfidf: {_pm(gain)} "
                     f"(folds: {', '.join(f'{v:+.3f}' for v in gain['folds'])})")
    for name, m in result["methods"].items():
        lines += ["", f"{name}: per-class F1 "
                  + "  ".join(f"{f} {v:.3f}" for f, v in m["per_class_f1"].items()),
                  "  confusion (rows true, columns predicted; pooled out-of-fold)",
                  "        " + "".join(f"{lab:>6}" for lab in m["confusion"]["labels"])]
        for lab, row in zip(m["confusion"]["labels"], m["confusion"]["matrix"], strict=True):
            lines.append(f"  {lab:<6}" + "".join(f"{v:>6}" for v in row))
        if "calibration" in m:
            c = m["calibration"]
            lines.append(f"  calibration: log loss {c['log_loss']:.3f}, ECE {c['ece']:.3f}, "
                         f"mean confidence {c['mean_confidence']:.3f} vs accuracy "
                         f"{c['accuracy']:.3f}")
    lines.append("")
    for head, h in result["heads"].items():
        lines.append(
            f"{head} head ({h['method']}; labels present: {', '.join(h['labels_present'])}): "
            f"macro-F1 {_pm(h['macro_f1'])}, accuracy {_pm(h['accuracy'])}; "
            f"copying the predicted facet: macro-F1 {_pm(h['copy_facet_macro_f1'])}, "
            f"accuracy {_pm(h['copy_facet_accuracy'])} "
            f"({h['label_equals_facet']:.0%} of {head} labels equal the facet)"
        )
    t = result["timing"]
    enc = f"{t['encode_all_seconds']:.1f} s" if t["encode_all_seconds"] is not None else "n/a"
    lines += ["", f"Timing: encoding all texts {enc}; training per fold "
              f"{t['train_seconds_per_fold']:.1f} s (both variants, 3 heads); "
              f"total {t['total_seconds']:.1f} s"]
    lines += [f"Note: {n}" for n in result["notes"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m facetscope.suggest.evaluate",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-embeddings", action="store_true",
                        help="evaluate as if the semantic runtime were not installed")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    result = evaluate(folds=args.folds, seed=args.seed, use_embeddings=not args.no_embeddings)
    if args.json:
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
