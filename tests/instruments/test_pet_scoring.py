"""Scoring of portfolio-exploration v1 against the codebook (§3–§7)."""

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest

from facetscope.instruments.loader import load_builtin
from facetscope.instruments.scoring import (
    AnswerError,
    guidance,
    normalize_answers,
    score,
    validate_answers,
)
from facetscope.instruments.scoring.pet import facet_maxima, plan, round_half_away

FIXTURES = Path(__file__).parent / "fixtures"
FACETS = ("enh", "mis", "ada", "ant")
WORKED = json.loads((FIXTURES / "pet_worked_examples.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def pet():
    return load_builtin("portfolio-exploration", 1)


@pytest.fixture
def example():
    return json.loads((FIXTURES / "codebook_example.json").read_text(encoding="utf-8"))


def _summary(variant):
    return {
        "raw": [variant["raw"][f] for f in FACETS],
        "pet_percent": [variant["pet_percent"][f] for f in FACETS],
        "tendency_group": variant["tendency_group"],
        "capability": [variant["capability"]["score"], variant["capability"]["band"]],
    }


# ------------------------------------------------------------ worked examples


@pytest.mark.parametrize("case", WORKED, ids=[c["name"] for c in WORKED])
def test_worked_example_intended_matches_codebook(pet, case):
    result = score(pet, case["answers"])
    assert _summary(result) == case["intended"]


@pytest.mark.parametrize("case", WORKED, ids=[c["name"] for c in WORKED])
def test_worked_example_as_coded_matches_codebook(pet, case):
    result = score(pet, case["answers"])
    assert _summary(result["pet_as_coded"]) == case["as_coded"]


def test_codebook_example_as_coded_figures(pet, example):
    result = score(pet, example)["pet_as_coded"]
    assert result == {
        "pet_percent": {"enh": 48, "mis": 40, "ada": 43, "ant": 9},
        "raw": {"enh": 30.5, "mis": 25.5, "ada": 27.5, "ant": 5.5},
        "tendency_group": "weak_in_all_facets",
        "capability": {"score": 43.0, "band": "medium"},
    }


def test_codebook_example_intended_figures(pet, example):
    result = score(pet, example)
    assert result["pet_percent"] == {"enh": 54, "mis": 46, "ada": 54, "ant": 12}
    assert result["raw"] == {"enh": 34.5, "mis": 29.5, "ada": 34.5, "ant": 7.5}
    assert result["tendency_group"] == "adaptive_enhancement"
    assert result["capability"] == {"score": 59.0, "band": "medium"}


def test_codebook_example_projects_are_placed(pet, example):
    assert score(pet, example)["projects"] == [
        {"title": "Open data portal", "zone": "enhancement"},
        {"title": "Net-zero roadmap", "zone": "transformative"},
    ]


def test_codebook_example_corrected_percent_swaps_q2_tags_and_uses_own_maxima(pet, example):
    # q2: ant (rank 3 → 1 point) reads as ada, ada (rank 4 → 0) reads as ant.
    # ada 34.5 + 1 = 35.5 / 64; ant 7.5 − 1 = 6.5 / 60.
    assert score(pet, example)["percent"] == {"enh": 53.9, "mis": 46.1, "ada": 55.5, "ant": 10.8}


def test_result_keys_follow_the_codebook_order(pet, example):
    result = score(pet, example)
    assert list(result) == [
        "id",
        "pet_percent",
        "raw",
        "tendency_group",
        "capability",
        "pet_as_coded",
        "percent",
        "projects",
    ]
    assert list(result["pet_percent"]) == list(FACETS)
    assert list(result["pet_as_coded"]) == ["pet_percent", "raw", "tendency_group", "capability"]


def test_id_is_echoed_only_when_given(pet):
    assert score(pet, {"id": 17})["id"] == 17
    assert "id" not in score(pet, {})
    assert "id" not in score(pet, {"id": None})


def test_projects_is_an_empty_list_without_projects(pet):
    assert score(pet, {})["projects"] == []


# ------------------------------------------------------------------ rounding


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12.5, 13), (62.5, 63), (0.5, 1), (1.5, 2), (2.5, 3), (-2.5, -3), (49.99, 50), (12.49, 12)],
)
def test_round_half_away_from_zero_like_php(value, expected):
    assert round_half_away(value) == expected


def test_round_half_away_keeps_decimals():
    assert round_half_away(Fraction(1, 8) * 100, 1) == Fraction(125, 10)
    assert round_half_away(Fraction(105, 1000), 2) == Fraction(11, 100)


def test_raw_8_is_12_5_percent_and_rounds_up_to_13(pet):
    # q2, q5, q8, q12 all rank mis second: 4 × 2 points = 8 raw.
    ranks = {"enh": 1, "mis": 2, "ada": 3, "ant": 4}
    result = score(pet, dict.fromkeys(("q2", "q5", "q8", "q12"), ranks))
    assert result["raw"]["mis"] == 8.0
    assert result["pet_percent"]["mis"] == 13


def test_raw_31_5_is_49_percent_and_not_high(pet):
    answers = {q: {"mis": 4} for q in ("q1", "q3", "q4", "q7", "q9", "q11")}
    answers["q6"] = {"mis1": 4, "mis2": 3}
    answers["q16"] = {"mis1": 4, "mis2": 4}
    result = score(pet, answers)
    assert result["raw"]["mis"] == 31.5
    assert result["pet_percent"]["mis"] == 49
    assert result["tendency_group"] == "weak_in_all_facets"


# --------------------------------------------------------- points per item type


def test_half_weight_rows_score_half_their_response(pet):
    result = score(pet, {"q6": {"enh1": 3}})
    assert result["raw"]["enh"] == 1.5


def test_rank_points_are_4_2_1_0(pet):
    result = score(pet, {"q12": {"ada": 1, "enh": 2, "mis": 3, "ant": 4}})
    assert result["raw"] == {"enh": 2.0, "mis": 1.0, "ada": 4.0, "ant": 0.0}


def test_multi_select_scores_only_in_the_intended_variant(pet):
    result = score(pet, {"q10": ["ant"], "q13": ["ant1"], "q15": ["ant1", "ant2"]})
    assert result["raw"]["ant"] == 8.0
    assert result["pet_as_coded"]["raw"]["ant"] == 0.0


def test_none_scores_nothing(pet):
    result = score(pet, {"q10": ["none"], "q13": ["none"], "q14": ["none"], "q15": ["none"]})
    assert result["raw"]["mis"] == 0.0


def test_q20_yes_is_worth_double(pet):
    assert score(pet, {"q20": "yes"})["capability"]["score"] == 24.0
    assert score(pet, {"q17": "yes"})["capability"]["score"] == 20.0
    assert score(pet, {"q19": "unsure"})["capability"]["score"] == 16.0


def test_reverse_capability_items_subtract_when_intended(pet):
    result = score(pet, {"q24": {"q24d": 4, "q24g": 4, "q24h": 4}, "q18": {"q18b": 4}})
    assert result["capability"]["score"] == 0.0
    assert result["capability"]["band"] == "low"


def test_as_coded_capability_counts_answered_sub_items_whatever_the_answer(pet):
    result = score(pet, {"q18": {"q18a": 0, "q18b": 4}, "q22": {"q22a": 2}})
    assert result["pet_as_coded"]["capability"]["score"] == 19.0


def test_capability_bands_edges(pet):
    # 16 + 4 + 4 + 8 = 32 from yes everywhere; add likert points to reach the edges.
    yes = {"q17": "yes", "q19": "yes", "q20": "yes"}
    assert score(pet, {**yes, "q22": {"q22a": 3}})["capability"]["band"] == "low"  # 35
    assert score(pet, {**yes, "q22": {"q22a": 4}})["capability"]["band"] == "medium"  # 36
    full = {"q22": {f"q22{c}": 4 for c in "abcde"}, "q23": {f"q23{c}": 4 for c in "abcd"}}
    full["q21"] = {"q21a": 3}  # 32 + 20 + 16 + 3 = 71
    assert score(pet, {**yes, **full})["capability"]["band"] == "medium"
    full["q21"] = {"q21a": 4}  # 72
    assert score(pet, {**yes, **full})["capability"] == {"score": 72.0, "band": "high"}


def test_unanswered_rows_and_items_score_zero(pet):
    unanswered = {
        "q1": {"enh": None},
        "q2": {},
        "q5": dict.fromkeys(("enh", "mis", "ant", "ada")),
        "q10": [],
        "q17": None,
        "profile": {"country": None},
        "projects": None,
    }
    assert score(pet, unanswered) == score(pet, {})


# ------------------------------------------------------------ tendency groups

GROUPS = {
    (): "weak_in_all_facets",
    ("enh",): "primarily_enhancement",
    ("mis",): "primarily_mission",
    ("ada",): "primarily_adaptive",
    ("ant",): "primarily_anticipatory",
    ("enh", "mis"): "enhancement_mission",
    ("enh", "ada"): "adaptive_enhancement",
    ("enh", "ant"): "anticipatory_enhancement",
    ("mis", "ada"): "adaptive_mission",
    ("mis", "ant"): "anticipatory_mission",
    ("ada", "ant"): "adaptive_anticipatory",
    ("enh", "mis", "ada"): "adaptive_enhancement_mission",
    ("enh", "mis", "ant"): "anticipatory_mission_enhancement",
    ("enh", "ada", "ant"): "adaptive_anticipatory_enhancement",
    ("mis", "ada", "ant"): "adaptive_anticipatory_mission",
    ("enh", "mis", "ada", "ant"): "adaptive_anticipatory_enhancement_mission",
}


@pytest.mark.parametrize("high", list(GROUPS), ids=[GROUPS[h] for h in GROUPS])
def test_every_tendency_group_is_reachable(pet, high):
    # Likert rows of the high facets at 4 (6 items × 4 = 24) plus their multi-select
    # options (4 × 4 = 16) give 40 raw = 62.5 % intended; every other facet stays at 0.
    answers = {q: dict.fromkeys(high, 4) for q in ("q1", "q3", "q4", "q7", "q9", "q11")}
    answers["q10"] = list(high)
    for q in ("q13", "q14", "q15"):
        item = pet.item(q)
        answers[q] = [o.id for o in item.options if o.facet in high and not o.exclusive]
    answers = {q: a for q, a in answers.items() if a}
    assert score(pet, answers)["tendency_group"] == GROUPS[high]


# ------------------------------------------------------- corrected percentages


def test_own_maxima_match_the_codebook_table(pet):
    p = plan(pet)
    assert facet_maxima(p, "option_points") == {"enh": 64, "mis": 64, "ada": 64, "ant": 60}
    assert facet_maxima(p, "zero") == {"enh": 48, "mis": 48, "ada": 48, "ant": 44}
    assert facet_maxima(p, "option_points", retag=True) == {
        "enh": 64,
        "mis": 64,
        "ada": 64,
        "ant": 60,
    }


def test_corrected_percent_reaches_100_for_each_facet_alone(pet):
    for facet in FACETS:
        answers = {q: {facet: 4} for q in ("q1", "q3", "q4", "q7", "q9", "q11")}
        for q in ("q6", "q16"):
            rows = [o.id for o in pet.item(q).options if o.facet == facet]
            if rows:
                answers[q] = dict.fromkeys(rows, 4)
        for q in ("q2", "q5", "q8", "q12"):
            options = pet.item(q).options
            # rank first the option that *reads as* the facet
            top = next(o.id for o in options if (o.reads_as or o.facet) == facet)
            others = [o.id for o in options if o.id != top]
            answers[q] = {top: 1, **{o: i + 2 for i, o in enumerate(others)}}
        for q in ("q10", "q13", "q14", "q15"):
            answers[q] = [o.id for o in pet.item(q).options if o.facet == facet and o.points]
        assert score(pet, answers)["percent"][facet] == 100.0


def test_q2_ranking_of_changing_course_feeds_adaptive_in_corrected_percent(pet):
    result = score(pet, {"q2": {"ant": 1, "ada": 2, "enh": 3, "mis": 4}})
    assert result["raw"]["ant"] == 4.0  # PET's tag
    assert result["percent"]["ada"] == 6.3  # 4 / 64, read as adaptive
    assert result["percent"]["ant"] == 3.3  # 2 / 60, "staying ahead" read as anticipatory


# ---------------------------------------------------------------- validation


def _error(pet, answers):
    with pytest.raises(AnswerError) as info:
        validate_answers(pet, answers)
    return info.value


@pytest.mark.parametrize(
    ("answers", "item", "fragment"),
    [
        ({"q25": {}}, "q25", "unknown item"),
        ({"Q1": {}}, "Q1", "unknown item"),
        ({"q1": {"xyz": 2}}, "q1", "unknown option"),
        ({"q1": {"enh": 5}}, "q1", "from 0 to 4"),
        ({"q1": {"enh": -1}}, "q1", "from 0 to 4"),
        ({"q1": {"enh": True}}, "q1", "got true"),
        ({"q1": {"enh": 2.0}}, "q1", "got 2.0"),
        ({"q1": {"enh": "2"}}, "q1", "from 0 to 4"),
        ({"q1": [1, 2]}, "q1", "expected an object"),
        ({"q6": {"ant1": 2}}, "q6", "unknown option"),
        ({"q18": {"q18c": 1}}, "q18", "unknown option"),
        ({"q18": {"q18a": 1.5}}, "q18", "from 0 to 4"),
        ({"q2": {"enh": 1, "mis": 2, "ant": 3}}, "q2", "ranks must be 1, 2, 3, 4 once each"),
        ({"q2": {"enh": 1, "mis": 1, "ant": 3, "ada": 4}}, "q2", "ranks must be 1, 2, 3, 4"),
        ({"q2": {"enh": 0, "mis": 1, "ant": 2, "ada": 3}}, "q2", "ranks must be 1, 2, 3, 4"),
        ({"q2": {"enh": 1, "mis": 2, "ant": 3, "ada": None}}, "q2", "ranks must be"),
        ({"q2": {"enh": True, "mis": 2, "ant": 3, "ada": 4}}, "q2", "ranks must be"),
        ({"q5": {"enh": 1.0, "mis": 2, "ant": 3, "ada": 4}}, "q5", "ranks must be"),
        ({"q2": {"enh": 1, "mis": 2, "ant": 3, "foo": 4}}, "q2", "unknown option"),
        ({"q10": ["none", "mis"]}, "q10", "'none' cannot be combined"),
        ({"q13": ["ada1", "ada1"]}, "q13", "listed twice"),
        ({"q15": ["enh5"]}, "q15", "unknown option"),
        ({"q15": "enh1"}, "q15", "expected a list"),
        ({"q14": [1]}, "q14", "entries must be option ids"),
        ({"q17": "maybe"}, "q17", 'expected one of "yes", "no", "unsure"'),
        ({"q17": True}, "q17", "expected one of"),
        ({"q20": "4"}, "q20", "expected one of"),
        ({"profile": "x"}, "profile", "expected an object"),
        ({"profile": {"n_people": 0}}, "profile.n_people", "at least 1"),
        ({"profile": {"n_people": 3.5}}, "profile.n_people", "expected an integer"),
        ({"profile": {"n_people": True}}, "profile.n_people", "expected a number"),
        ({"profile": {"country": 33}}, "profile.country", "expected a string"),
        ({"profile": {"sector": "health"}}, "profile.sector", "expected a list"),
        ({"profile": {"sector": ["health", "health"]}}, "profile.sector", "listed twice"),
        ({"profile": {"email": "a@b.c"}}, "profile.email", "unknown item"),
        ({"projects": {"title": "x"}}, "projects", "expected a list"),
        ({"projects": ["x"]}, "projects[0]", "expected an object"),
        ({"projects": [{"purpose": "5"}]}, "projects[0].purpose", "expected one of"),
        ({"projects": [{}, {"driver": "e"}]}, "projects[1].driver", "expected one of"),
        ({"projects": [{"priority": "urgent"}]}, "projects[0].priority", "expected one of"),
        ({"projects": [{"title": 3}]}, "projects[0].title", "expected a string"),
        ({"projects": [{"owner": "me"}]}, "projects[0]", "unknown field"),
    ],
)
def test_invalid_answers_name_the_item(pet, answers, item, fragment):
    error = _error(pet, answers)
    assert error.item == item
    assert fragment in error.message
    assert str(error).startswith(f"{item}: ")


def test_partial_rank_message_is_exact(pet):
    error = _error(pet, {"q2": {"enh": 1, "mis": 2}})
    assert str(error) == "q2: ranks must be 1, 2, 3, 4 once each"


def test_every_problem_is_collected(pet):
    error = _error(pet, {"q1": {"enh": 9}, "q2": {"enh": 1}, "bogus": 1})
    assert [item for item, _ in error.errors] == ["bogus", "q1", "q2"]


def test_answers_must_be_an_object(pet):
    with pytest.raises(AnswerError) as info:
        score(pet, ["q1"])
    assert info.value.item == "answers"


def test_free_sector_entries_are_allowed(pet):
    validate_answers(pet, {"profile": {"sector": ["health", "Port authority"]}})


def test_pet_raw_codes_are_aliases_for_projects(pet):
    answers = {
        "projects": [
            {"title": "A", "purpose": "1", "driver": "b", "priority": "h"},
            {"title": "B", "purpose": "2", "driver": "d"},
            {"title": "C", "purpose": "0"},
            {"title": "D", "purpose": "4", "driver": "c", "priority": "l"},
            {"title": "E", "purpose": "3"},
        ]
    }
    zones = [p["zone"] for p in score(pet, answers)["projects"]]
    assert zones == ["enhancement", "transformative", "mixed", "adaptive", "unplaced"]
    assert normalize_answers(pet, answers)["projects"][0] == {
        "title": "A",
        "purpose": "enh",
        "driver": "enh",
        "priority": "high",
    }


def test_project_without_title_reports_null_title(pet):
    assert score(pet, {"projects": [{"purpose": "all"}]})["projects"] == [
        {"title": None, "zone": "mixed"}
    ]


def test_required_items_are_enforced_only_on_request(pet):
    validate_answers(pet, {"q1": {"enh": 2}})
    with pytest.raises(AnswerError) as info:
        validate_answers(pet, {"q1": {"enh": 2}}, complete=True)
    messages = dict(info.value.errors)
    assert "every row must be answered" in messages["q1"]
    assert messages["q24"] == "answer required"
    assert "projects" not in messages


def test_complete_example_except_q4_mis_fails_complete_check(pet, example):
    with pytest.raises(AnswerError) as info:
        validate_answers(pet, example, complete=True)
    assert info.value.errors == [("q4", "every row must be answered (missing: mis)")]
    fixed = copy.deepcopy(example)
    fixed["q4"]["mis"] = 0
    validate_answers(pet, fixed, complete=True)


def test_scoring_does_not_change_the_answers(pet, example):
    before = copy.deepcopy(example)
    score(pet, example)
    assert example == before


# ------------------------------------------------------------------ guidance


def test_guidance_for_the_codebook_example(pet, example):
    rules = guidance(pet, score(pet, example))
    assert [r.id for r in rules] == ["action-build-anticipation", "action-capability-medium"]
    assert all(r.kind == "action" for r in rules)
    assert "go-science-futures-toolkit" in rules[0].links


def test_guidance_for_all_max_is_strengths_and_high_capability(pet):
    result = score(pet, WORKED[0]["answers"])
    ids = {r.id for r in guidance(pet, result)}
    assert {"strength-broad-portfolio", "strength-capability-high"} <= ids
    assert "action-capability-low" not in ids


def test_guidance_for_empty_answers_starts_the_conversation(pet):
    ids = {r.id for r in guidance(pet, score(pet, {}))}
    assert {"action-start-portfolio-conversation", "action-capability-low"} <= ids


def test_balance_rule_needs_both_conditions(pet):
    enh_heavy = score(pet, next(c for c in WORKED if c["name"].startswith("enh"))["answers"])
    assert "action-balance-exploration" in {r.id for r in guidance(pet, enh_heavy)}
    all_max = score(pet, WORKED[0]["answers"])
    assert "action-balance-exploration" not in {r.id for r in guidance(pet, all_max)}
