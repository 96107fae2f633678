"""The facet classifier: probabilities, facets, French, explanations, fallback, training."""

from __future__ import annotations

import os

import pytest

from facetscope.suggest.classifier import (
    FACETS,
    METHOD_EMBEDDINGS,
    METHOD_TFIDF,
    PURPOSES,
    FacetClassifier,
)
from facetscope.suggest.embedding import Embedder, MemoryCache
from tests.suggest.helpers import BrokenEmbedder, FakeModelEmbedder

ANTICIPATORY = (
    "The digital office set up a foresight team to explore how autonomous vehicles and "
    "artificial intelligence could reshape public transport by 2050, running scenario "
    "workshops and small speculative prototypes."
)
MISSION = (
    "The prime minister has set the goal of ending rough sleeping by 2027 and mobilises all "
    "ministries, local authorities and charities behind one national mission with yearly targets."
)
ENHANCEMENT = (
    "The tax agency is streamlining its existing online return form so that processing "
    "times fall from six weeks to ten days."
)
ADAPTIVE_FR = (
    "Après la fermeture de la ligne de bus, des infirmières ont remarqué que les patients âgés "
    "ne venaient plus à la clinique. Elles ont commencé à tester des visites à domicile et "
    "ajustent leur organisation chaque semaine."
)
ANTICIPATORY_FR = (
    "La région lance un exercice de prospective pour explorer comment l'intelligence "
    "artificielle et les véhicules autonomes pourraient transformer les services publics "
    "d'ici 2050, avec des scénarios et des prototypes."
)
OBVIOUS = [
    (ANTICIPATORY, "ant"),
    (MISSION, "mis"),
    (ENHANCEMENT, "enh"),
    (ADAPTIVE_FR, "ada"),
    (ANTICIPATORY_FR, "ant"),
]


def _check_result(result, method):
    assert set(result["facets"]) == set(FACETS)
    assert sum(result["facets"].values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in result["facets"].values())
    assert result["top"] == max(result["facets"], key=result["facets"].get)
    assert set(result["purpose"]) == set(PURPOSES)
    assert sum(result["purpose"].values()) == pytest.approx(1.0)
    assert set(result["driver"]) == set(FACETS)
    assert sum(result["driver"].values()) == pytest.approx(1.0)
    assert result["method"] == method


@pytest.mark.parametrize(("text", "facet"), OBVIOUS)
def test_tfidf_suggests_the_obvious_facet(tfidf_classifier, text, facet):
    result = tfidf_classifier.suggest(text)
    _check_result(result, METHOD_TFIDF)
    assert result["top"] == facet


@pytest.mark.parametrize(("text", "facet"), OBVIOUS)
def test_embeddings_suggest_the_obvious_facet(full_classifier, text, facet):
    result = full_classifier.suggest(text)
    _check_result(result, METHOD_EMBEDDINGS)
    assert result["top"] == facet


def test_purpose_and_driver_follow_a_clear_mission(tfidf_classifier):
    result = tfidf_classifier.suggest(MISSION)
    assert max(result["purpose"], key=result["purpose"].get) == "mis"
    assert max(result["driver"], key=result["driver"].get) == "mis"


def test_purpose_all_is_reported_even_though_the_labelled_set_has_none(tfidf_classifier):
    assert tfidf_classifier.suggest(MISSION)["purpose"]["all"] == 0.0


@pytest.mark.parametrize("text", [ANTICIPATORY, MISSION, ADAPTIVE_FR])
def test_explain_returns_phrases_found_in_the_text(tfidf_classifier, text):
    phrases = tfidf_classifier.explain(text)
    assert 1 <= len(phrases) <= 5
    assert all(phrase in text for phrase in phrases)
    assert tfidf_classifier.suggest(text)["phrases"] == phrases


def test_explain_points_at_the_telling_words(tfidf_classifier):
    joined = " ".join(tfidf_classifier.explain(ADAPTIVE_FR, top_k=8)).lower()
    assert "remarqué" in joined or "tester" in joined or "ajustent" in joined


def test_explain_with_embeddings_returns_phrases_in_the_text(full_classifier):
    phrases = full_classifier.explain(ANTICIPATORY_FR)
    assert phrases and all(phrase in ANTICIPATORY_FR for phrase in phrases)


def test_suggest_many_keeps_order(tfidf_classifier):
    results = tfidf_classifier.suggest_many([MISSION, ANTICIPATORY], phrases=0)
    assert [r["top"] for r in results] == ["mis", "ant"]
    assert results[0]["phrases"] == []


def test_empty_text_is_refused(tfidf_classifier):
    with pytest.raises(ValueError, match="empty"):
        tfidf_classifier.suggest("   ")


def test_falls_back_to_tfidf_when_the_model_is_missing(tmp_path):
    embedder = Embedder(model_path=tmp_path / "no-model")
    clf = FacetClassifier(embedder)
    assert not embedder.available()
    assert clf.method == METHOD_TFIDF
    assert clf.info()["methods"] == [METHOD_TFIDF]
    assert clf.info()["warnings"] and "no-model" in clf.info()["warnings"][0]
    result = clf.suggest(ANTICIPATORY)
    assert result["top"] == "ant" and result["method"] == METHOD_TFIDF


def test_trains_both_variants_and_falls_back_when_the_runtime_breaks_later(small_labelled):
    embedder = BrokenEmbedder(cache=MemoryCache())
    clf = FacetClassifier(embedder, labelled_path=small_labelled)
    clf.train()
    assert clf.info()["methods"] == [METHOD_EMBEDDINGS, METHOD_TFIDF]
    assert clf.suggest(MISSION)["method"] == METHOD_EMBEDDINGS

    embedder.broken = True
    result = clf.suggest(ENHANCEMENT)  # not cached: needs the (now broken) model
    _check_result(result, METHOD_TFIDF)


def test_corrections_retrain_the_model():
    clf = FacetClassifier(Embedder(enabled=False))
    corrections = [
        {"text": f"The zorblax quuxification programme, phase {n}, for the parking office.",
         "facet": "ant", "purpose": "all"}
        for n in range(1, 4)
    ]
    info = clf.train(corrections)
    assert info["corrections"] == 3 and info["examples"] == 443
    result = clf.suggest("A zorblax quuxification for the parking office.")
    assert result["top"] == "ant"
    assert result["purpose"]["all"] > 0.0


def test_invalid_corrections_name_the_example():
    clf = FacetClassifier(Embedder(enabled=False))
    with pytest.raises(ValueError, match="example 2: facet"):
        clf.train([{"text": "fine", "facet": "ant"}, {"text": "bad", "facet": "other"}])
    with pytest.raises(ValueError, match="example 1: text"):
        clf.train([{"text": " ", "facet": "ant"}])


def test_fitted_model_is_cached_to_the_given_path_and_reused(tmp_path, small_labelled):
    path = tmp_path / "models" / "suggest.joblib"
    first = FacetClassifier(Embedder(enabled=False), cache_path=path, labelled_path=small_labelled)
    first.suggest(MISSION)  # trains at first use and saves
    assert path.is_file()
    stamp = os.stat(path).st_mtime_ns

    second = FacetClassifier(Embedder(enabled=False), cache_path=path,
                             labelled_path=small_labelled)
    assert second.suggest(MISSION)["facets"] == first.suggest(MISSION)["facets"]
    assert os.stat(path).st_mtime_ns == stamp  # loaded, not retrained
    assert second.info()["train_seconds"] == first.info()["train_seconds"]


def test_cache_is_retrained_when_corrections_differ_or_file_is_corrupt(tmp_path, small_labelled):
    path = tmp_path / "suggest.joblib"
    correction = {"text": "The zorblax office pilots quuxification.", "facet": "ant"}

    def make(**kwargs):
        return FacetClassifier(Embedder(enabled=False), cache_path=path,
                               labelled_path=small_labelled, **kwargs)

    make().train([correction])
    assert make(examples=[correction]).info()["corrections"] == 1
    assert make().info()["corrections"] == 1  # examples=None: any valid cache will do
    assert make(examples=[]).info()["corrections"] == 0  # differs: retrained

    path.write_bytes(b"not a pickle")
    _check_result(make().suggest(MISSION), METHOD_TFIDF)


def test_cache_without_embeddings_is_retrained_once_embeddings_are_available(
    tmp_path, small_labelled
):
    path = tmp_path / "suggest.joblib"
    FacetClassifier(Embedder(enabled=False), cache_path=path, labelled_path=small_labelled).train()
    clf = FacetClassifier(FakeModelEmbedder(cache=MemoryCache()), cache_path=path,
                          labelled_path=small_labelled)
    assert clf.method == METHOD_EMBEDDINGS
    assert METHOD_EMBEDDINGS in clf.info()["methods"]


def test_a_model_retrained_by_another_process_is_picked_up(tmp_path, small_labelled):
    path = tmp_path / "suggest.joblib"

    def make():
        return FacetClassifier(Embedder(enabled=False), cache_path=path,
                               labelled_path=small_labelled)

    web = make()
    assert web.info()["corrections"] == 0
    worker = make()
    worker.train([{"text": "The zorblax office pilots quuxification.", "facet": "ant"}])
    assert web.info()["corrections"] == 1  # the web process now serves the new file


def test_an_unwritable_cache_path_does_not_stop_suggestions(tmp_path, small_labelled):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    clf = FacetClassifier(Embedder(enabled=False), cache_path=blocker / "suggest.joblib",
                          labelled_path=small_labelled)
    _check_result(clf.suggest(MISSION), METHOD_TFIDF)
    assert any("could not write" in w for w in clf.info()["warnings"])
