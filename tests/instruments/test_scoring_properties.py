"""Invariants of the scoring, checked on generated answers (hypothesis)."""

import io
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facetscope.instruments.cli_score import score_stream
from facetscope.instruments.loader import content_hash, load_builtin, load_definition_data
from facetscope.instruments.schema import DefinitionError
from facetscope.instruments.scoring import score
from facetscope.instruments.scoring.pet import round_half_away

PET = load_builtin("portfolio-exploration", 1)
FACETS_DEF = load_builtin("project-facets", 1)
FACETS = ("enh", "mis", "ada", "ant")
ROW_ITEMS = [i for i in PET.items if i.type in ("likert_group", "half_likert_group")]
CAPABILITY_ITEMS = [i for i in PET.items if i.type == "capability_likert_group"]
RANK_ITEMS = [i for i in PET.items if i.type == "rank"]
MULTI_ITEMS = [i for i in PET.items if i.type == "multi_select" and i.id.startswith("q")]
YES_NO_ITEMS = [i for i in PET.items if i.type == "yes_no_unsure"]
OWN_MAX = {"enh": 64, "mis": 64, "ada": 64, "ant": 60}

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows(item):
    response = st.one_of(st.none(), st.integers(0, 4))
    return st.dictionaries(st.sampled_from([o.id for o in item.rows]), response)


def _rank(item):
    ids = [o.id for o in item.options]
    return st.permutations(range(1, len(ids) + 1)).map(
        lambda ranks: dict(zip(ids, ranks, strict=True))
    )


def _multi(item):
    ids = [o.id for o in item.options if not o.exclusive]
    return st.one_of(st.just(["none"]), st.lists(st.sampled_from(ids), unique=True))


@st.composite
def pet_answers(draw):
    answers = {}
    groups = [
        (ROW_ITEMS + CAPABILITY_ITEMS, _rows),
        (RANK_ITEMS, _rank),
        (MULTI_ITEMS, _multi),
        (YES_NO_ITEMS, lambda _: st.sampled_from(["yes", "no", "unsure"])),
    ]
    for items, strategy in groups:
        for item in items:
            if draw(st.booleans()):
                answers[item.id] = draw(strategy(item))
    return answers


@SETTINGS
@given(pet_answers())
def test_percentages_stay_within_bounds(answers):
    result = score(PET, answers)
    for variant in (result, result["pet_as_coded"]):
        for facet in FACETS:
            assert 0 <= variant["pet_percent"][facet] <= 100
            assert 0 <= variant["raw"][facet] <= OWN_MAX[facet]
    for facet in FACETS:
        assert 0 <= result["percent"][facet] <= 100
    for facet in FACETS:  # as coded, no facet can pass 75 % (ant 69 %)
        assert result["pet_as_coded"]["pet_percent"][facet] <= (69 if facet == "ant" else 75)


@SETTINGS
@given(pet_answers())
def test_capability_stays_within_its_range(answers):
    result = score(PET, answers)
    assert 0 <= result["capability"]["score"] <= 108
    assert 16 <= result["pet_as_coded"]["capability"]["score"] <= 55
    band = result["capability"]["band"]
    value = result["capability"]["score"]
    assert band == ("low" if value < 36 else "high" if value >= 72 else "medium")


@SETTINGS
@given(pet_answers())
def test_tendency_group_names_exactly_the_facets_at_50_percent(answers):
    result = score(PET, answers)
    for variant in (result, result["pet_as_coded"]):
        high = {f for f in FACETS if variant["pet_percent"][f] >= 50}
        group = variant["tendency_group"]
        words = {"enhancement": "enh", "mission": "mis", "adaptive": "ada", "anticipatory": "ant"}
        named = {facet for word, facet in words.items() if word in group}
        assert named == high


@SETTINGS
@given(pet_answers(), st.data())
def test_raising_one_likert_answer_never_lowers_its_facet(answers, data):
    item = data.draw(st.sampled_from(ROW_ITEMS))
    row = data.draw(st.sampled_from(item.rows))
    current = (answers.get(item.id) or {}).get(row.id)
    low = data.draw(st.integers(0, 4 if current is None else current))
    high = data.draw(st.integers(low, 4))
    lower = {**answers, item.id: {**(answers.get(item.id) or {}), row.id: low}}
    higher = {**answers, item.id: {**(answers.get(item.id) or {}), row.id: high}}
    before, after = score(PET, lower), score(PET, higher)
    for key in ("raw", "pet_percent", "percent"):
        assert after[key][row.facet] >= before[key][row.facet]
        for facet in FACETS:
            if facet != row.facet:
                assert after[key][facet] == before[key][facet]
    assert after["pet_as_coded"]["raw"][row.facet] >= before["pet_as_coded"]["raw"][row.facet]


@SETTINGS
@given(pet_answers(), st.randoms(use_true_random=False))
def test_order_of_answer_keys_does_not_matter(answers, rnd):
    def shuffled(value):
        if isinstance(value, dict):
            keys = list(value)
            rnd.shuffle(keys)
            return {key: shuffled(value[key]) for key in keys}
        return value

    assert score(PET, shuffled(answers)) == score(PET, answers)


@SETTINGS
@given(pet_answers())
def test_results_survive_a_json_round_trip(answers):
    result = score(PET, answers)
    assert json.loads(json.dumps(result)) == result
    assert score(PET, json.loads(json.dumps(answers))) == result


@SETTINGS
@given(pet_answers())
def test_multi_selects_only_ever_add_in_the_intended_variant(answers):
    result = score(PET, answers)
    for facet in FACETS:
        assert result["raw"][facet] >= result["pet_as_coded"]["raw"][facet]


@settings(max_examples=300, deadline=None)
@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=64), st.integers(0, 3))
def test_round_half_away_matches_decimal_round_half_up(value, decimals):
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    expected = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert round_half_away(value, decimals) == Fraction(expected)


# ------------------------------------------------------------------ project facets


@st.composite
def facet_answers(draw):
    answers = {}
    for item in FACETS_DEF.items:
        if draw(st.booleans()):
            ids = [o.id for o in item.options] + [o.code for o in item.options if o.code]
            answers[item.id] = draw(st.sampled_from(ids))
    return answers


@SETTINGS
@given(facet_answers())
def test_project_placement_invariants(answers):
    result = score(FACETS_DEF, answers)
    assert 0.0 <= result["confidence"] <= 1.0
    if result["mix"] is None:
        assert result["x"] is None and result["y"] is None
        assert result["confidence"] == 0.0
        return
    assert -1.0 <= result["x"] <= 1.0
    assert -1.0 <= result["y"] <= 1.0
    assert abs(sum(result["mix"].values()) - 1.0) < 1e-9
    assert all(0.0 <= share <= 1.0 for share in result["mix"].values())


@SETTINGS
@given(facet_answers())
def test_a_placed_project_never_has_less_than_the_base_confidence(answers):
    result = score(FACETS_DEF, answers)
    if result["zone"] != "unplaced":
        assert result["confidence"] >= 0.2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(many=st.lists(pet_answers(), min_size=1, max_size=6))
def test_cli_json_lines_give_the_same_results_as_score(tmp_path_factory, many):
    path = tmp_path_factory.mktemp("cli") / "answers.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in many), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert score_stream("portfolio-exploration", str(path), out, err) == 0
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        score(PET, a) for a in many
    ]


# ------------------------------------------------------- definition validation


def _slots(node, found):
    """Every (container, key) of a parsed document."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        found.append((node, key))
        if isinstance(value, dict | list):
            _slots(value, found)
    return found


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(-2, 2) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["project-facets", "portfolio-exploration"]), st.data())
def test_any_corrupted_definition_is_rejected_cleanly_or_loads(key, data):
    document = load_builtin(key).to_data()
    slots = _slots(document, [])
    for _ in range(data.draw(st.integers(1, 3))):
        container, slot = data.draw(st.sampled_from(slots))
        container[slot] = data.draw(JSON_VALUES)
    try:
        definition = load_definition_data(document)
    except DefinitionError as exc:
        assert exc.errors
        assert all(isinstance(p, str) and isinstance(m, str) and m for p, m in exc.errors)
    else:
        assert definition.content_hash == content_hash(document)
        assert isinstance(score(definition, {}), dict)
