"""The evaluation script runs end to end (TF-IDF only here, 2 folds, to stay fast)."""

from __future__ import annotations

import json

import pytest

from facetscope.suggest import evaluate


@pytest.fixture(scope="module")
def result():
    return evaluate.evaluate(folds=2, use_embeddings=False)


def test_it_reports_every_figure(result):
    tfidf = result["methods"]["tfidf"]
    assert set(result["methods"]) == {"tfidf", "keywords"}
    assert len(tfidf["macro_f1"]["folds"]) == 2
    assert sum(map(sum, tfidf["confusion"]["matrix"])) == result["dataset"]["records"] == 440
    assert set(tfidf["per_class_f1"]) == {"enh", "mis", "ada", "ant"}
    assert 0 <= tfidf["fr_macro_f1"] <= 1
    assert 0 <= tfidf["calibration"]["ece"] <= 1
    assert set(result["heads"]) == {"purpose", "driver"}


def test_the_classifier_beats_the_keyword_baseline(result):
    methods = result["methods"]
    assert methods["tfidf"]["macro_f1"]["mean"] > methods["keywords"]["macro_f1"]["mean"]


def test_text_report_names_methods_and_confusion(result):
    text = evaluate.render(result)
    assert "keywords" in text and "confusion" in text and "French" in text


def test_definitions_cover_every_facet_in_both_languages():
    for facet in ("enh", "mis", "ada", "ant"):
        assert set(evaluate.DEFINITIONS[facet]) == {"en", "fr"}


def test_json_output(capsys):
    assert evaluate.main(["--json", "--no-embeddings", "--folds", "2", "--seed", "3"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["folds"] == 2 and printed["seed"] == 3
    assert printed["methods"]["tfidf"]["macro_f1"]["mean"] > 0.8
