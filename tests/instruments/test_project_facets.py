"""project-facets v1: PET's module-2 zone plus continuous coordinates."""

import pytest

from facetscope.instruments.loader import load_builtin
from facetscope.instruments.scoring import AnswerError, score, validate_answers
from facetscope.instruments.scoring.zones import zone_for, zone_table

FURTHER = ("goal_source", "goal_fixed", "route_clarity", "outcome_uncertainty", "time_horizon",
           "main_method")  # fmt: skip

# Codebook §5, purpose ↓ × driver →
OPSI_TABLE = {
    ("enh", "mis"): "sustaining",
    ("enh", "enh"): "enhancement",
    ("enh", "ada"): "optimising",
    ("enh", "ant"): "mixed",
    ("mis", "mis"): "mission",
    ("mis", "enh"): "sustaining",
    ("mis", "ada"): "mixed",
    ("mis", "ant"): "transformative",
    ("ant", "mis"): "transformative",
    ("ant", "enh"): "mixed",
    ("ant", "ada"): "disruptive",
    ("ant", "ant"): "anticipatory",
    ("ada", "mis"): "mixed",
    ("ada", "enh"): "optimising",
    ("ada", "ada"): "adaptive",
    ("ada", "ant"): "disruptive",
    ("all", "mis"): "mixed",
    ("all", "enh"): "mixed",
    ("all", "ada"): "mixed",
    ("all", "ant"): "mixed",
}
PURPOSE_CODE = {"enh": "1", "mis": "2", "ant": "3", "ada": "4", "all": "0"}
DRIVER_CODE = {"mis": "a", "enh": "b", "ada": "c", "ant": "d"}


@pytest.fixture(scope="module")
def facets():
    return load_builtin("project-facets", 1)


def test_opsi_table_has_all_twenty_combinations():
    assert len(OPSI_TABLE) == 20


@pytest.mark.parametrize(("purpose", "driver"), list(OPSI_TABLE))
def test_opsi_mapping_with_our_ids(facets, purpose, driver):
    assert (
        score(facets, {"purpose": purpose, "driver": driver})["zone"]
        == OPSI_TABLE[(purpose, driver)]
    )


@pytest.mark.parametrize(("purpose", "driver"), list(OPSI_TABLE))
def test_opsi_mapping_with_pet_codes(facets, purpose, driver):
    answers = {"purpose": PURPOSE_CODE[purpose], "driver": DRIVER_CODE[driver]}
    assert score(facets, answers)["zone"] == OPSI_TABLE[(purpose, driver)]


def test_zone_table_matches_the_codebook():
    table = zone_table()
    assert {(p, d): z for p, row in table.items() for d, z in row.items()} == OPSI_TABLE


def test_all_without_driver_is_mixed(facets):
    assert score(facets, {"purpose": "all"})["zone"] == "mixed"
    assert score(facets, {"purpose": "0"})["zone"] == "mixed"


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"driver": "mis"},
        {"purpose": "enh"},
        {"purpose": None, "driver": "ant"},
        {"purpose": "3"},
    ],
)
def test_unanswered_purpose_or_facet_purpose_without_driver_is_unplaced(facets, answers):
    assert score(facets, answers)["zone"] == "unplaced"


def test_zone_for_rejects_unknown_values():
    with pytest.raises(ValueError, match="unknown purpose"):
        zone_for("xyz", "mis")
    with pytest.raises(ValueError, match="unknown driver"):
        zone_for("mis", "e")


def test_result_has_the_documented_keys(facets):
    result = score(facets, {"id": "p-1", "purpose": "mis", "driver": "mis"})
    assert list(result) == ["id", "zone", "x", "y", "mix", "confidence"]
    assert list(result["mix"]) == ["enh", "mis", "ada", "ant"]


def test_zone_only_uses_the_zone_centre_with_low_confidence(facets):
    result = score(facets, {"purpose": "mis", "driver": "ant"})
    assert result == {
        "zone": "transformative",
        "x": 0.4,
        "y": 0.4,
        "mix": {"enh": 0.05, "mis": 0.45, "ada": 0.05, "ant": 0.45},
        "confidence": 0.2,
    }


def test_nothing_answered_gives_no_coordinates(facets):
    assert score(facets, {}) == {
        "zone": "unplaced",
        "x": None,
        "y": None,
        "mix": None,
        "confidence": 0.0,
    }


def test_directed_certain_answers_move_towards_mission_and_enhancement(facets):
    answers = {
        "purpose": "mis",
        "driver": "enh",
        "goal_source": "leadership",
        "goal_fixed": "fixed",
        "route_clarity": "known",
        "outcome_uncertainty": "very_predictable",
        "time_horizon": "months",
        "main_method": "coordinate",
    }
    result = score(facets, answers)
    assert result["zone"] == "sustaining"
    # x: centre 0.4 × 2 + leadership 1 + fixed 1 + mission pole 1 → 3.8 / 5
    assert result["x"] == pytest.approx(0.76)
    # y: centre −0.4 × 2 − 1 − 1 − 1 + mission pole 0 → −3.8 / 6
    assert result["y"] == pytest.approx(-3.8 / 6, abs=1e-4)
    assert result["mix"]["mis"] > result["mix"]["enh"] > result["mix"]["ant"] == 0
    assert result["confidence"] > 0.8


def test_answers_contradicting_the_zone_lower_confidence(facets):
    agree = {
        "purpose": "ada",
        "driver": "ada",
        "goal_source": "frontline",
        "goal_fixed": "emerging",
        "route_clarity": "partly",
        "outcome_uncertainty": "mixed",
        "time_horizon": "years_1_3",
        "main_method": "test",
    }
    contradict = {
        **agree,
        "goal_source": "leadership",
        "goal_fixed": "fixed",
        "main_method": "coordinate",
    }
    high = score(facets, agree)["confidence"]
    low = score(facets, contradict)["confidence"]
    assert high > 0.85
    assert 0.2 <= low < 0.35


def test_confidence_grows_with_the_number_of_consistent_answers(facets):
    answers = {"purpose": "ant", "driver": "ant"}
    values = []
    for item, choice in [
        ("route_clarity", "unknown"),
        ("outcome_uncertainty", "very_uncertain"),
        ("time_horizon", "beyond_5"),
        ("main_method", "explore"),
    ]:
        answers[item] = choice
        values.append(score(facets, answers)["confidence"])
    assert values == sorted(values)
    assert values[0] > 0.2


def test_further_items_alone_place_the_point_but_confidence_stays_low(facets):
    answers = dict.fromkeys(FURTHER)
    answers.update(goal_source="frontline", route_clarity="unknown")
    result = score(facets, answers)
    assert result["zone"] == "unplaced"
    assert (result["x"], result["y"]) == (-1.0, 1.0)
    assert result["mix"] == {"enh": 0.0, "mis": 0.0, "ada": 0.5, "ant": 0.5}
    assert result["confidence"] == pytest.approx(0.8 * 2 / 6 * 0.5, abs=1e-4)


def test_one_axis_without_evidence_sits_at_zero(facets):
    result = score(facets, {"goal_source": "leadership"})
    assert (result["x"], result["y"]) == (1.0, 0.0)


def test_mix_sums_to_one(facets):
    result = score(facets, {"purpose": "enh", "driver": "ada", "time_horizon": "year"})
    assert sum(result["mix"].values()) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(
    ("answers", "item"),
    [
        ({"purpose": "5"}, "purpose"),
        ({"purpose": "both"}, "purpose"),
        ({"driver": "e"}, "driver"),
        ({"driver": "all"}, "driver"),
        ({"goal_source": "mayor"}, "goal_source"),
        ({"time_horizon": 3}, "time_horizon"),
        ({"title": "x"}, "title"),
    ],
)
def test_invalid_answers_are_rejected(facets, answers, item):
    with pytest.raises(AnswerError) as info:
        validate_answers(facets, answers)
    assert info.value.item == item


def test_purpose_and_driver_are_required_for_a_complete_answer(facets):
    with pytest.raises(AnswerError) as info:
        validate_answers(facets, {"goal_source": "team"}, complete=True)
    assert [item for item, _ in info.value.errors] == ["purpose", "driver"]
    validate_answers(facets, {"purpose": "mis", "driver": "a"}, complete=True)
