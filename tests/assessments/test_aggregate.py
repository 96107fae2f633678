import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from facetscope.assessments.aggregate import column_summaries, flatten, reliability, summarise


def test_summarise_gives_mean_spread_and_quartiles():
    s = summarise([1, 2, 3, 4, 10])
    assert s["n"] == 5
    assert s["mean"] == 4
    assert s["median"] == 3
    assert (s["p25"], s["p75"]) == (2, 4)
    assert s["sd"] == pytest.approx(math.sqrt(12.5))


def test_summarise_of_nothing_says_so():
    assert summarise([]) == {"n": 0}


def test_flatten_keeps_numeric_leaves_as_dotted_paths():
    result = {
        "pet_percent": {"enh": 48, "mis": 40},
        "tendency_group": "x",
        "capability": {"score": 43.0, "band": "medium"},
        "flag": True,
    }
    assert flatten(result) == {
        "pet_percent.enh": 48.0,
        "pet_percent.mis": 40.0,
        "capability.score": 43.0,
    }


def test_column_summaries_agree_with_summarise_and_skip_missing():
    matrix = np.array([[1.0, np.nan], [2.0, 5.0], [10.0, np.nan]])
    out = column_summaries(matrix, ["a", "b"])
    assert out["a"] == pytest.approx(summarise([1, 2, 10]))
    assert out["b"] == {
        "n": 1,
        "mean": 5.0,
        "sd": 0.0,
        "min": 5.0,
        "p25": 5.0,
        "median": 5.0,
        "p75": 5.0,
        "max": 5.0,
    }
    assert column_summaries(np.empty((0, 1)), ["a"]) == {"a": {"n": 0}}


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=40))
def test_column_summaries_match_summarise(values):
    out = column_summaries(np.array(values, dtype=float).reshape(-1, 1), ["x"])["x"]
    for key, value in summarise(values).items():
        assert out[key] == pytest.approx(value, abs=1e-6)


def test_reliability_of_a_consistent_scale_is_high():
    rows = [[v, v, v + (i % 2)] for i, v in enumerate([0, 1, 1, 2, 3, 3, 4, 4, 2, 1])]
    out = reliability(rows)
    assert out["alpha"] > 0.9
    assert out["weak"] is False
    assert all(r > 0.8 for r in out["item_total"])


def test_reliability_flags_an_item_that_does_not_belong():
    base = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]
    noise = [4, 0, 3, 1, 2, 2, 4, 0, 1, 3]
    rows = [[a, a, b] for a, b in zip(base, noise, strict=True)]
    out = reliability(rows)
    assert 2 in out["weak_items"]


def test_reliability_matches_a_hand_computed_alpha():
    rows = [[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5]]
    # item variances 5/3, 4/3, 19/12; total variance of 5, 7, 10, 13 = 12.25
    expected = 1.5 * (1 - (5 / 3 + 4 / 3 + 19 / 12) / 12.25)
    assert reliability(rows)["alpha"] == pytest.approx(expected)


def test_reliability_leaves_out_incomplete_answers():
    assert reliability([[1, 2], [None, 3], [2, 2], [3, 4]])["n"] == 3


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=50))
def test_summary_bounds(values):
    s = summarise(values)
    assert s["min"] <= s["p25"] <= s["median"] <= s["p75"] <= s["max"]
    assert s["min"] - 1e-6 <= s["mean"] <= s["max"] + 1e-6
