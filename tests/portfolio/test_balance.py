"""Portfolio balance: actual mix, stated mix, intended mix, gaps and suggestions."""

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facetscope.portfolio.balance import (
    COMPARISONS,
    REASONS,
    actual_mix,
    check_intended,
    compare,
    largest_gaps,
    stated_mix_from_pet,
    suggestions,
)
from facetscope.portfolio.geometry import FACETS, point_to_mix

ENH = {"enh": 1.0, "mis": 0.0, "ada": 0.0, "ant": 0.0}
ANT = {"enh": 0.0, "mis": 0.0, "ada": 0.0, "ant": 1.0}
EVEN = dict.fromkeys(FACETS, 0.25)

unit = st.floats(min_value=-1, max_value=1, allow_nan=False)
mixes = st.builds(point_to_mix, unit, unit)
positive = st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False)
projects = st.lists(st.fixed_dictionaries({"mix": mixes, "budget": positive}), min_size=1)


def test_budget_weights_each_project_by_its_budget():
    result = actual_mix(
        [{"mix": ENH, "budget": Decimal("300")}, {"mix": ANT, "budget": Decimal("100")}],
        weight="budget",
    )
    assert result.mix == {"enh": 0.75, "mis": 0.0, "ada": 0.0, "ant": 0.25}
    assert result.used == 2
    assert result.excluded == 0
    assert result.total_weight == 400


def test_fte_weights_each_project_by_its_fte():
    result = actual_mix([{"mix": ENH, "fte": 1}, {"mix": ANT, "fte": 3}], weight="fte")
    assert result.mix["ant"] == 0.75
    assert result.weight == "fte"


def test_count_gives_every_placed_project_the_same_weight():
    result = actual_mix(
        [{"mix": ENH, "budget": 1_000_000}, {"mix": ANT, "budget": 1}, {"mix": ANT}],
        weight="count",
    )
    assert result.mix["ant"] == pytest.approx(2 / 3)
    assert result.used == 3


def test_unplaced_projects_are_excluded_and_counted():
    result = actual_mix([{"mix": ENH, "budget": 5}, {"mix": None, "budget": 10}, {"budget": 1}])
    assert result.mix == ENH
    assert (result.used, result.unplaced, result.no_weight, result.excluded) == (1, 2, 0, 2)


def test_projects_without_the_weight_are_excluded_and_counted():
    result = actual_mix(
        [{"mix": ENH, "budget": 5}, {"mix": ANT, "budget": None}, {"mix": ANT, "budget": 0}],
        weight="budget",
    )
    assert result.mix == ENH
    assert (result.used, result.unplaced, result.no_weight) == (1, 0, 2)


def test_no_usable_project_gives_no_mix():
    result = actual_mix([{"mix": None}, {"mix": ENH, "budget": None}])
    assert result.mix is None
    assert result.used == 0
    assert result.excluded == 2
    assert actual_mix([]).mix is None


def test_an_unknown_weight_is_refused():
    with pytest.raises(ValueError, match="weight must be one of budget, fte, count"):
        actual_mix([], weight="people")


def test_a_negative_weight_is_refused():
    with pytest.raises(ValueError, match="budget must not be negative"):
        actual_mix([{"mix": ENH, "budget": -1}])


def test_a_bad_project_mix_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        actual_mix([{"mix": {**ENH, "ant": -0.5}, "budget": 1}])
    with pytest.raises(ValueError, match="unknown facet"):
        actual_mix([{"mix": {"foo": 1.0}, "budget": 1}])


def test_a_mix_that_is_only_rounded_is_normalised():
    result = actual_mix(
        [{"mix": {"enh": 0.3333, "mis": 0.3333, "ada": 0.3333, "ant": 0}}], weight="count"
    )
    assert math.fsum(result.mix.values()) == pytest.approx(1.0)
    assert result.mix["enh"] == pytest.approx(1 / 3)


@settings(max_examples=200)
@given(projects, st.sampled_from(["budget", "count"]))
def test_actual_shares_sum_to_one(items, weight):
    result = actual_mix(items, weight=weight)
    assert math.fsum(result.mix.values()) == pytest.approx(1.0, abs=1e-9)
    assert all(0 <= share <= 1 + 1e-12 for share in result.mix.values())


@settings(max_examples=200)
@given(projects, st.floats(min_value=1e-3, max_value=1e6))
def test_actual_mix_does_not_change_when_every_weight_is_scaled(items, factor):
    scaled = [{**p, "budget": p["budget"] * factor} for p in items]
    before, after = actual_mix(items).mix, actual_mix(scaled).mix
    for facet in FACETS:
        assert after[facet] == pytest.approx(before[facet], abs=1e-9)


@settings(max_examples=100)
@given(projects, st.randoms())
def test_actual_mix_does_not_depend_on_project_order(items, rng):
    shuffled = list(items)
    rng.shuffle(shuffled)
    for facet in FACETS:
        assert actual_mix(shuffled).mix[facet] == pytest.approx(
            actual_mix(items).mix[facet], abs=1e-9
        )


@settings(max_examples=100)
@given(projects)
def test_actual_mix_stays_within_the_projects_own_shares(items):
    result = actual_mix(items).mix
    for facet in FACETS:
        lowest = min(p["mix"][facet] for p in items)
        highest = max(p["mix"][facet] for p in items)
        assert lowest - 1e-9 <= result[facet] <= highest + 1e-9


@settings(max_examples=100)
@given(projects)
def test_count_weight_is_the_plain_mean_of_the_mixes(items):
    result = actual_mix(items, weight="count").mix
    for facet in FACETS:
        assert result[facet] == pytest.approx(
            sum(p["mix"][facet] for p in items) / len(items), abs=1e-9
        )


def test_stated_mix_normalises_the_pet_percentages():
    assert stated_mix_from_pet({"enh": 80, "mis": 40, "ada": 40, "ant": 40}) == {
        "enh": 0.4,
        "mis": 0.2,
        "ada": 0.2,
        "ant": 0.2,
    }


def test_stated_mix_of_all_zero_percentages_is_even():
    assert stated_mix_from_pet(dict.fromkeys(FACETS, 0)) == EVEN


def test_stated_mix_refuses_missing_or_out_of_range_percentages():
    with pytest.raises(ValueError, match="missing percentage for facet 'ant'"):
        stated_mix_from_pet({"enh": 1, "mis": 1, "ada": 1})
    with pytest.raises(ValueError, match="from 0 to 100"):
        stated_mix_from_pet({"enh": 101, "mis": 1, "ada": 1, "ant": 1})
    with pytest.raises(ValueError, match="must be a number"):
        stated_mix_from_pet({"enh": "high", "mis": 1, "ada": 1, "ant": 1})


@settings(max_examples=200)
@given(st.fixed_dictionaries({f: st.floats(min_value=0, max_value=100) for f in FACETS}))
def test_stated_shares_sum_to_one(percent):
    mix = stated_mix_from_pet(percent)
    assert math.fsum(mix.values()) == pytest.approx(1.0)
    assert all(share >= 0 for share in mix.values())


@settings(max_examples=100)
@given(
    st.fixed_dictionaries({f: st.floats(min_value=1, max_value=50) for f in FACETS}),
    st.floats(min_value=0.1, max_value=2),
)
def test_stated_mix_is_scale_invariant(percent, factor):
    scaled = stated_mix_from_pet({f: v * factor for f, v in percent.items()})
    for facet, share in stated_mix_from_pet(percent).items():
        assert scaled[facet] == pytest.approx(share)


def test_a_valid_intended_mix_passes():
    assert check_intended({"enh": 40, "mis": 30, "ada": 20, "ant": 10.2}) == {
        "enh": 40.0,
        "mis": 30.0,
        "ada": 20.0,
        "ant": 10.2,
    }


@pytest.mark.parametrize(
    ("mix", "problem"),
    [
        ({"enh": 50, "mis": 50, "ada": 0}, "missing facet"),
        ({"enh": 50, "mis": 50, "ada": 0, "ant": 0, "foo": 0}, "unknown facet"),
        ({"enh": 120, "mis": -20, "ada": 0, "ant": 0}, "'enh' must be from 0 to 100"),
        ({"enh": 30, "mis": 30, "ada": 30, "ant": 30}, "add up to 100, not 120"),
        ({"enh": 25, "mis": 25, "ada": 25, "ant": 24.4}, "add up to 100, not 99.4"),
        ({"enh": "a lot", "mis": 25, "ada": 25, "ant": 25}, "must be a number"),
        ({"enh": math.nan, "mis": 25, "ada": 25, "ant": 25}, "finite"),
        ({"enh": True, "mis": 25, "ada": 25, "ant": 25}, "must be a number"),
    ],
)
def test_an_invalid_intended_mix_is_refused_naming_the_problem(mix, problem):
    with pytest.raises(ValueError, match=problem):
        check_intended(mix)


def test_intended_mix_allows_half_a_point_of_rounding():
    check_intended({"enh": 33.3, "mis": 33.3, "ada": 33.3, "ant": 0})


def test_compare_reports_differences_in_percentage_points():
    result = compare(
        {"enh": 25, "mis": 25, "ada": 25, "ant": 25},  # percent
        {"enh": 0.4, "mis": 0.2, "ada": 0.2, "ant": 0.2},  # shares
        {"enh": 0.625, "mis": 0.25, "ada": 0.1, "ant": 0.025},
    )
    assert result["mixes"]["intended"] == dict.fromkeys(FACETS, 25.0)
    assert result["mixes"]["stated"]["enh"] == 40.0
    assert result["differences"]["actual_vs_intended"] == {
        "enh": 37.5,
        "mis": 0.0,
        "ada": -15.0,
        "ant": -22.5,
    }
    assert result["differences"]["stated_vs_intended"]["enh"] == 15.0
    assert result["differences"]["actual_vs_stated"]["ant"] == -17.5


def test_compare_leaves_out_comparisons_with_a_missing_mix():
    result = compare(dict.fromkeys(FACETS, 25), None, ENH)
    assert result["mixes"]["stated"] is None
    assert result["differences"]["stated_vs_intended"] is None
    assert result["differences"]["actual_vs_stated"] is None
    assert result["differences"]["actual_vs_intended"]["enh"] == 75.0


def test_compare_refuses_an_empty_or_negative_mix():
    with pytest.raises(ValueError, match="actual mix needs at least one positive share"):
        compare(None, None, dict.fromkeys(FACETS, 0))
    with pytest.raises(ValueError, match="intended mix: share of 'enh' must not be negative"):
        compare({**EVEN, "enh": -1}, None, None)


@settings(max_examples=200)
@given(mixes, mixes, mixes)
def test_differences_add_up_and_each_sums_to_zero(intended, stated, actual):
    diffs = compare(intended, stated, actual, decimals=9)["differences"]
    for facet in FACETS:
        assert diffs["actual_vs_intended"][facet] == pytest.approx(
            diffs["actual_vs_stated"][facet] + diffs["stated_vs_intended"][facet], abs=1e-6
        )
    for name in COMPARISONS:
        assert math.fsum(diffs[name].values()) == pytest.approx(0, abs=1e-6)


def test_largest_gaps_are_ordered_by_size_with_direction():
    comparison = compare(
        {"enh": 25, "mis": 25, "ada": 25, "ant": 25},
        {"enh": 0.4, "mis": 0.2, "ada": 0.2, "ant": 0.2},
        {"enh": 0.625, "mis": 0.25, "ada": 0.1, "ant": 0.025},
    )
    gaps = largest_gaps(comparison)
    assert gaps[:3] == [
        {"facet": "enh", "between": "actual_vs_intended", "points": 37.5},
        {"facet": "ant", "between": "actual_vs_intended", "points": -22.5},
        {"facet": "enh", "between": "actual_vs_stated", "points": 22.5},
    ]
    sizes = [abs(g["points"]) for g in gaps]
    assert sizes == sorted(sizes, reverse=True)
    assert all(size >= 5 for size in sizes)


def test_largest_gaps_respects_threshold_and_limit():
    comparison = compare(EVEN, None, {"enh": 0.28, "mis": 0.22, "ada": 0.1, "ant": 0.4})
    assert [g["facet"] for g in largest_gaps(comparison)] == ["ada", "ant"]
    assert [g["facet"] for g in largest_gaps(comparison, min_points=1)] == [
        "ada",
        "ant",
        "enh",
        "mis",
    ]
    assert len(largest_gaps(comparison, min_points=1, limit=2)) == 2


def test_a_balanced_portfolio_has_no_gaps_and_no_suggestions():
    comparison = compare(EVEN, EVEN, EVEN)
    assert largest_gaps(comparison) == []
    assert suggestions(largest_gaps(comparison)) == []


def test_suggestions_are_codes_with_direction():
    gaps = [
        {"facet": "ant", "between": "actual_vs_intended", "points": -22.5},
        {"facet": "enh", "between": "actual_vs_intended", "points": 20.0},
        {"facet": "ant", "between": "actual_vs_stated", "points": -10.0},
        {"facet": "ant", "between": "stated_vs_intended", "points": 6.0},
    ]
    assert suggestions(gaps) == [
        {
            "facet": "ant",
            "direction": "more",
            "reason": "actual_below_intended",
            "points": -22.5,
            "also": ["actual_below_stated"],
        },
        {
            "facet": "enh",
            "direction": "less",
            "reason": "actual_above_intended",
            "points": 20.0,
            "also": [],
        },
        {
            "facet": "ant",
            "direction": "less",
            "reason": "stated_above_intended",
            "points": 6.0,
            "also": [],
        },
    ]


@settings(max_examples=100)
@given(mixes, mixes, mixes)
def test_every_suggestion_has_a_known_reason_code(intended, stated, actual):
    for suggestion in suggestions(largest_gaps(compare(intended, stated, actual))):
        assert suggestion["direction"] in {"more", "less"}
        assert suggestion["reason"] in REASONS.values()
        assert (suggestion["direction"] == "more") == (suggestion["points"] < 0)
