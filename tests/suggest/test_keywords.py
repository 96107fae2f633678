"""The keyword baseline."""

from __future__ import annotations

import pytest

from facetscope.suggest import keywords


@pytest.mark.parametrize(
    ("text", "facet"),
    [
        ("We will streamline the licensing process to cut waiting times.", "enh"),
        ("A national mission to reach net zero emissions by 2035 across government.", "mis"),
        ("Frontline caseworkers noticed new needs and began testing informal fixes.", "ada"),
        ("A foresight unit explores scenarios for artificial intelligence in 2040.", "ant"),
        ("Le service dématérialise les formulaires pour réduire les délais.", "enh"),
        ("Une cellule de prospective explore des scénarios et des signaux faibles.", "ant"),
    ],
)
def test_obvious_texts_get_their_facet(text, facet):
    assert keywords.predict(text) == facet


def test_probabilities_sum_to_one_and_are_uniform_without_cues():
    probs = keywords.predict_proba("Lorem ipsum dolor sit amet.")
    assert set(probs) == set(keywords.FACETS)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert len(set(probs.values())) == 1


def test_accents_and_apostrophes_do_not_matter():
    assert keywords.cues_found("D’ici 2030, l’objectif est fixé")["mis"]
    assert keywords.normalise("Élaborer") == "elaborer"
