"""Synergies between projects: shared goals, partners, SDGs and similar texts."""

import random

import pytest

from facetscope.portfolio.synergies import find_synergies, terms


def project(pid, title="", description="", goals=(), partners=(), sdgs=(), tags=()):
    return {
        "id": pid,
        "title": title,
        "description": description,
        "policy_goals": list(goals),
        "partners": list(partners),
        "sdgs": list(sdgs),
        "tags": list(tags),
    }


def pairs(result):
    return {(r["a"], r["b"]) for r in result}


def reason(result, a, b, kind):
    for r in result:
        if (r["a"], r["b"]) == (a, b):
            return next((x for x in r["reasons"] if x["kind"] == kind), None)
    return None


def test_projects_sharing_a_policy_goal_are_paired_ignoring_case_and_spaces():
    result = find_synergies(
        [
            project(1, goals=["Climate  Adaptation", "Housing"]),
            project(2, goals=["climate adaptation "]),
            project(3, goals=["Digital services"]),
        ]
    )
    assert pairs(result) == {(1, 2)}
    assert result[0]["reasons"] == [
        {"kind": "goals", "shared": ["Climate Adaptation"], "score": 0.5}
    ]
    assert result[0]["score"] == 0.5


def test_projects_sharing_partners_are_paired():
    result = find_synergies(
        [
            project("a", partners=["City of Lyon", "Red Cross"]),
            project("b", partners=["red cross", "city of lyon"]),
            project("c", partners=["OECD"]),
        ]
    )
    assert pairs(result) == {("a", "b")}
    assert reason(result, "a", "b", "partners") == {
        "kind": "partners",
        "shared": ["City of Lyon", "Red Cross"],
        "score": 1.0,
    }


def test_projects_sharing_sdgs_are_paired_and_count_half():
    result = find_synergies(
        [project(1, sdgs=[3, 11]), project(2, sdgs=[11, 3]), project(3, sdgs=[4])]
    )
    assert pairs(result) == {(1, 2)}
    assert result[0]["reasons"] == [{"kind": "sdgs", "shared": [3, 11], "score": 1.0}]
    assert result[0]["score"] == 0.5


def test_projects_with_similar_descriptions_are_paired():
    result = find_synergies(
        [
            project(
                1,
                "Chatbot for tax questions",
                "A chatbot answers citizens' tax questions online, day and night.",
            ),
            project(
                2,
                "Tax chatbot pilot",
                "Piloting a chatbot that answers tax questions from citizens online.",
            ),
            project(
                3,
                "Green roofs",
                "Planting vegetation on municipal buildings to cool neighbourhoods in summer.",
            ),
        ]
    )
    assert pairs(result) == {(1, 2)}
    text = reason(result, 1, 2, "text")
    assert text["score"] >= 0.35
    assert {"chatbot", "tax", "question"} <= set(text["shared"])


def test_french_descriptions_match_despite_accents_and_stopwords():
    result = find_synergies(
        [
            project(
                1,
                "Rénovation énergétique des écoles",
                "Réduire la consommation d'énergie des bâtiments scolaires de la ville.",
            ),
            project(
                2,
                "Renovation energetique",
                "Les bâtiments scolaires : réduire leur consommation d'energie.",
            ),
            project(
                3,
                "Budget participatif",
                "Les habitants proposent et votent des projets pour leur quartier.",
            ),
        ]
    )
    assert pairs(result) == {(1, 2)}
    shared = reason(result, 1, 2, "text")["shared"]
    assert len(shared) == 5  # the five terms that contribute most
    assert {"energie", "batiment", "consommation"} <= set(shared)


def test_terms_fold_accents_drop_stopwords_and_plural_s():
    assert terms("Les réseaux d'énergie pour les écoles et the services of the city") == [
        "reseaux",
        "energie",
        "ecole",
        "service",
        "city",
    ]


def test_texts_made_of_stopwords_do_not_match():
    result = find_synergies(
        [
            project(1, description="the and of with for"),
            project(2, description="le la les des pour"),
        ]
    )
    assert result == []


def test_unrelated_projects_have_no_synergy():
    result = find_synergies(
        [
            project(1, "Open data portal", "Publishing datasets", ["Transparency"], ["ODI"], [16]),
            project(2, "School meals", "Healthier lunches", ["Health"], ["Schools"], [2]),
        ]
    )
    assert result == []


def test_text_threshold_decides_whether_text_counts():
    items = [
        project(1, description="bicycle lanes downtown traffic safety"),
        project(2, description="bicycle parking stations near railway"),
        project(3, description="library opening hours"),
    ]
    loose = find_synergies(items, text_threshold=0.05)
    strict = find_synergies(items, text_threshold=0.9)
    assert (1, 2) in pairs(loose)
    assert strict == []


def test_pairs_are_ordered_best_first_with_reasons_in_kind_order():
    result = find_synergies(
        [
            project(1, goals=["Health"], partners=["WHO"], sdgs=[3]),
            project(2, goals=["Health"], partners=["WHO"], sdgs=[3]),
            project(3, goals=["Health"]),
            project(4, sdgs=[3]),
        ]
    )
    scores = [r["score"] for r in result]
    assert scores == sorted(scores, reverse=True)
    assert (result[0]["a"], result[0]["b"]) == (1, 2)
    assert [r["kind"] for r in result[0]["reasons"]] == ["goals", "partners", "sdgs"]
    assert result[0]["score"] == 2.5


def test_equal_scores_keep_the_input_order():
    result = find_synergies([project(i, sdgs=[5]) for i in range(4)])
    assert [(r["a"], r["b"]) for r in result] == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]


def test_max_pairs_keeps_only_the_best():
    items = [project(i, sdgs=[5]) for i in range(10)]
    items[7]["policy_goals"] = items[8]["policy_goals"] = ["Water"]
    result = find_synergies(items, max_pairs=3)
    assert len(result) == 3
    assert (result[0]["a"], result[0]["b"]) == (7, 8)
    assert len(find_synergies(items, max_pairs=None)) == 45
    assert find_synergies(items, max_pairs=0) == []


def test_fewer_than_two_projects_have_no_pairs():
    assert find_synergies([]) == []
    assert find_synergies([project(1, goals=["x"])]) == []


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate project id"):
        find_synergies([project(1), project(1)])


def test_missing_optional_fields_are_treated_as_empty():
    result = find_synergies(
        [{"id": 1, "policy_goals": ["Water"]}, {"id": 2, "policy_goals": ["water"]}, {"id": 3}]
    )
    assert pairs(result) == {(1, 2)}


def test_five_hundred_projects_complete_with_the_planted_pairs_on_top():
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(alphabet, k=rng.randint(4, 9))) for _ in range(4000)]
    items = [
        project(
            i,
            " ".join(rng.choices(vocabulary, k=4)),
            " ".join(rng.choices(vocabulary, k=60)),
            rng.sample([f"goal {g}" for g in range(60)], 2),
            rng.sample([f"partner {p}" for p in range(400)], 2),
            rng.sample(range(1, 18), 2),
        )
        for i in range(500)
    ]
    # Three planted twins: same text, goals and partners.
    for a, b in ((10, 400), (20, 300), (30, 200)):
        items[b] = {**items[a], "id": b}
    result = find_synergies(items)
    assert len(result) == 200
    scores = [r["score"] for r in result]
    assert scores == sorted(scores, reverse=True)
    assert {(r["a"], r["b"]) for r in result[:3]} == {(10, 400), (20, 300), (30, 200)}
    assert all(
        {r["kind"] for r in x["reasons"]} == {"goals", "partners", "sdgs", "text"}
        for x in result[:3]
    )
