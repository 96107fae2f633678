"""Facet geometry: poles, zones, point ↔ mix, combining placements."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facetscope.instruments.scoring.zones import zone_for
from facetscope.portfolio.geometry import (
    FACETS,
    POLES,
    ZONE_CENTRES,
    ZONES,
    combine_placements,
    mix_to_point,
    nearest_zone,
    point_to_mix,
    rounded_mix,
    to_diamond,
    zone_centre,
)

unit = st.floats(min_value=-1, max_value=1, allow_nan=False)


def test_poles_follow_the_two_axes():
    assert POLES == {"enh": (0.0, -1.0), "mis": (1.0, 0.0), "ada": (-1.0, 0.0), "ant": (0.0, 1.0)}


@pytest.mark.parametrize("facet", FACETS)
def test_a_pole_is_entirely_its_facet(facet):
    mix = point_to_mix(*POLES[facet])
    assert mix[facet] == 1.0
    assert sum(mix.values()) == 1.0


def test_the_centre_is_an_even_mix():
    assert point_to_mix(0, 0) == dict.fromkeys(FACETS, 0.25)


def test_the_middle_of_an_edge_is_half_and_half():
    assert point_to_mix(0.5, 0.5) == {"enh": 0.0, "mis": 0.5, "ada": 0.0, "ant": 0.5}


def test_points_outside_the_diamond_are_scaled_onto_its_edge():
    assert to_diamond(1, 1) == (0.5, 0.5)
    assert to_diamond(0.2, -0.3) == (0.2, -0.3)
    assert to_diamond(3, 0) == (1.0, 0.0)
    assert point_to_mix(1, -1) == {"enh": 0.5, "mis": 0.5, "ada": 0.0, "ant": 0.0}


def test_mix_to_point_reads_the_two_axes():
    assert mix_to_point({"mis": 0.6, "ada": 0.1, "ant": 0.3}) == pytest.approx((0.5, 0.3))
    assert mix_to_point({"enh": 2, "ant": 2}) == (0.0, 0.0)


def test_mix_to_point_rejects_empty_or_negative_mixes():
    with pytest.raises(ValueError, match="positive share"):
        mix_to_point({})
    with pytest.raises(ValueError, match="negative"):
        mix_to_point({"enh": -0.1, "mis": 1.1})


def test_zone_centres_cover_every_zone_but_unplaced():
    assert set(ZONES) == {*ZONE_CENTRES, "unplaced"}
    assert zone_centre("unplaced") is None
    assert zone_centre("mission") == (0.8, 0.0)
    with pytest.raises(KeyError):
        zone_centre("elsewhere")


@pytest.mark.parametrize("zone", list(ZONE_CENTRES))
def test_each_zone_centre_is_nearest_to_its_own_zone(zone):
    assert nearest_zone(*ZONE_CENTRES[zone]) == zone


@pytest.mark.parametrize("purpose", FACETS)
@pytest.mark.parametrize("driver", FACETS)
def test_opsi_zone_table_agrees_with_the_geometry(purpose, driver):
    # The zone of purpose × driver is the zone nearest the midpoint of their poles.
    (px, py), (dx, dy) = POLES[purpose], POLES[driver]
    assert nearest_zone((px + dx) / 2, (py + dy) / 2) == zone_for(purpose, driver)


def test_zone_mixes_favour_their_facets():
    mission = point_to_mix(*ZONE_CENTRES["mission"])
    assert mission["mis"] == pytest.approx(0.85)
    sustaining = point_to_mix(*ZONE_CENTRES["sustaining"])
    assert sustaining["enh"] == sustaining["mis"] == pytest.approx(0.45)


def test_rounded_mix_keeps_the_sum_at_one():
    mix = rounded_mix({"enh": 1 / 3, "mis": 1 / 3, "ada": 1 / 3, "ant": 0.0}, 2)
    assert sorted(mix.values()) == [0.0, 0.33, 0.33, 0.34]
    assert sum(mix.values()) == pytest.approx(1.0)


def test_combining_agreeing_placements_has_no_spread():
    combined = combine_placements([(0.5, 0.2)] * 4)
    assert (combined.x, combined.y, combined.spread, combined.n) == (0.5, 0.2, 0.0, 4)


def test_combining_opposite_corners_has_full_spread():
    combined = combine_placements([(1, 1), (-1, -1)])
    assert (combined.x, combined.y) == (0.0, 0.0)
    assert combined.spread == pytest.approx(1.0)
    assert combined.zone == "mixed"


def test_weights_pull_the_mean_and_zero_weights_are_ignored():
    combined = combine_placements([(1, 0), (-1, 0), (0, 1)], weights=[3, 1, 0])
    assert (combined.x, combined.y, combined.n) == (0.5, 0.0, 2)
    assert combined.spread == pytest.approx(math.sqrt(0.75) / math.sqrt(2))


def test_combining_nothing_gives_none():
    assert combine_placements([]) is None
    assert combine_placements([(0, 0)], weights=[0]) is None


def test_combining_checks_weights():
    with pytest.raises(ValueError, match="one weight per placement"):
        combine_placements([(0, 0)], weights=[1, 2])
    with pytest.raises(ValueError, match="non-negative"):
        combine_placements([(0, 0)], weights=[-1])


@settings(max_examples=200, deadline=None)
@given(unit, unit)
def test_mix_sums_to_one_and_shares_are_between_0_and_1(x, y):
    mix = point_to_mix(x, y)
    assert abs(sum(mix.values()) - 1.0) < 1e-12
    assert all(0.0 <= share <= 1.0 for share in mix.values())


@settings(max_examples=200, deadline=None)
@given(unit, unit)
def test_point_to_mix_and_back_is_the_point_on_the_diamond(x, y):
    back = mix_to_point(point_to_mix(x, y))
    expected = to_diamond(x, y)
    assert back == pytest.approx(expected, abs=1e-12)
    assert abs(back[0]) + abs(back[1]) <= 1 + 1e-12


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(unit, unit), min_size=1, max_size=20))
def test_combined_placements_stay_in_bounds(points):
    combined = combine_placements(points)
    assert -1.0 <= combined.x <= 1.0 and -1.0 <= combined.y <= 1.0
    assert 0.0 <= combined.spread <= 1.0
    assert abs(sum(combined.mix.values()) - 1.0) < 1e-12
    assert combined.zone in ZONE_CENTRES


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FACETS), st.floats(0, 1), min_size=1).filter(
        lambda m: sum(m.values()) > 1e-6
    )
)
def test_mix_to_point_lands_in_the_diamond(mix):
    x, y = mix_to_point(mix)
    assert abs(x) + abs(y) <= 1 + 1e-9
