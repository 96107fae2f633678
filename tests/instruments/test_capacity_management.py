"""The innovation-capacity and innovation-management instruments (family ``likert``).

Plain pytest, no Django: loading, structure, translations, library links of
every shipped definition, scoring fixtures computed by hand, and guidance.
"""

import io
import json
from pathlib import Path

import pytest

from facetscope.instruments.cli_score import score_stream
from facetscope.instruments.loader import builtin_keys, load_builtin
from facetscope.instruments.schema import LEVELS
from facetscope.instruments.scoring import guidance, score, validate_answers

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "src" / "facetscope" / "library" / "data"
EXAMPLES = ROOT / "docs" / "instruments"

KEYS = ("innovation-capacity", "innovation-management")
DETERMINANTS = ("clarity", "parity", "suitability", "normality")
LEVEL_DIMS = ("individual", "organisation", "system")
CELLS = tuple(f"{d}_{lvl}" for d in DETERMINANTS for lvl in LEVEL_DIMS)
ACTIONS = (
    "articulate",
    "extend",
    "drive",
    "accelerate",
    "mobilise",
    "enrich",
    "authorising_environment",
)
BANDS = ("ad_hoc", "emerging", "developing", "established", "embedded")
MANAGERS = ("team_lead", "senior_manager")


@pytest.fixture(scope="module")
def capacity():
    return load_builtin("innovation-capacity")


@pytest.fixture(scope="module")
def management():
    return load_builtin("innovation-management")


def _rows(definition, levels=LEVELS):
    """(item, row) for every likert row asked of at least one of ``levels``."""
    return [
        (item, row)
        for item in definition.items
        if set(item.levels) & set(levels)
        for row in item.rows
    ]


def _row_dims(item, row):
    return set(row.dimensions or item.dimensions)


def _answers(definition, value=None, favourable=None, levels=LEVELS):
    """Every row at ``value``; or, with ``favourable``, at the end that scores 100 (or 0)."""
    out = {}
    for item, row in _rows(definition, levels):
        top = 4 if favourable != row.reverse else 0
        out.setdefault(item.id, {})[row.id] = value if favourable is None else top
    return out


def _fired(definition, answers):
    return [rule.id for rule in guidance(definition, score(definition, answers))]


def _example(key):
    return json.loads((EXAMPLES / f"{key}-example.json").read_text(encoding="utf-8"))


def _texts(node, path=""):
    if isinstance(node, dict):
        if node and set(node) <= {"en", "fr", "es", "ja"} and "en" in node:
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")


def _library_keys():
    keys = set()
    for name in ("cases.jsonl", "toolkits.jsonl"):
        for line in (LIBRARY / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                keys.add(json.loads(line)["key"])
    return keys


# ------------------------------------------------------------------- loading


@pytest.mark.parametrize("key", KEYS)
def test_definition_loads_as_a_likert_instrument_with_maturity_bands(key):
    definition = load_builtin(key)
    assert key in builtin_keys()
    assert (definition.key, definition.version) == (key, 1)
    assert definition.family == "likert"
    assert definition.scoring["bands"] == "maturity"
    assert [b.id for b in definition.bands["maturity"]] == list(BANDS)
    assert [b.lt for b in definition.bands["maturity"]] == [20, 40, 60, 80, None]
    assert {"en", "fr"} <= set(definition.languages)


@pytest.mark.parametrize("key", KEYS)
def test_every_text_has_english_and_french(key):
    texts = list(_texts(load_builtin(key).to_data()))
    assert len(texts) > 100
    for path, text in texts:
        assert text.get("en", "").strip() and text.get("fr", "").strip(), path
        assert text["en"] != text["fr"] or len(text["en"]) <= 12, path


@pytest.mark.parametrize("key", KEYS)
def test_pages_fit_on_a_phone_and_every_item_is_a_0_to_4_agreement_grid(key):
    definition = load_builtin(key)
    for section in definition.sections:
        rows = sum(len(definition.item(i).rows) for i in section.items)
        assert rows <= 20, section.id
    for item in definition.items:
        assert item.type == "likert_group"
        assert [v.value for v in definition.scale(item.scale).values] == [0, 1, 2, 3, 4]


# ----------------------------------------------------------------- structure


def test_capacity_has_determinants_levels_and_cells(capacity):
    groups = {d.id: d.group for d in capacity.dimensions}
    assert groups == {
        **dict.fromkeys(DETERMINANTS, "determinant"),
        **dict.fromkeys(LEVEL_DIMS, "level"),
        **dict.fromkeys(CELLS, "cell"),
    }


def test_every_capacity_row_feeds_its_determinant_its_level_and_its_cell(capacity):
    per_cell = dict.fromkeys(CELLS, 0)
    for item, row in _rows(capacity):
        dims = _row_dims(item, row)
        (cell,) = dims & set(CELLS)
        determinant, level = cell.split("_")
        assert dims == {determinant, level, cell}, (item.id, row.id)
        per_cell[cell] += 1
    assert all(3 <= n <= 5 for n in per_cell.values()), per_cell
    assert sum(per_cell.values()) == 48


def test_capacity_reverse_rows_and_manager_only_system_rows(capacity):
    reverse = [(i.id, r.id) for i, r in _rows(capacity) if r.reverse]
    assert 3 <= len(reverse) <= 8
    reversed_determinants = {
        d for i, r in _rows(capacity) if r.reverse for d in _row_dims(i, r) & set(DETERMINANTS)
    }
    assert reversed_determinants == set(DETERMINANTS)
    managers_only = [(i, r) for i, r in _rows(capacity) if set(i.levels) != set(LEVELS)]
    assert managers_only
    for item, row in managers_only:
        assert set(item.levels) == set(MANAGERS)
        assert "system" in _row_dims(item, row)
    assert len(_rows(capacity, ["individual"])) == 44
    assert len(_rows(capacity, ["senior_manager"])) == 48


def test_management_has_the_six_actions_and_the_authorising_environment(management):
    assert [d.id for d in management.dimensions] == list(ACTIONS)
    assert {d.group for d in management.dimensions} == {"action"}
    for dim in ACTIONS:
        rows = [(i, r) for i, r in _rows(management) if _row_dims(i, r) == {dim}]
        assert 4 <= len(rows) <= 5, dim
        managers = [(i, r) for i, r in rows if set(i.levels) == set(MANAGERS)]
        assert 2 <= len(managers) <= 3, dim
        assert all(set(i.levels) in (set(LEVELS), set(MANAGERS)) for i, _ in rows)
    assert sum(len(item.rows) for item in management.items) == 35
    assert len(_rows(management, ["individual"])) == 21
    assert any(row.reverse for _, row in _rows(management))


# ---------------------------------------------------------- guidance rules


def _rule_thresholds(definition):
    """(kind, dimension, operator, value) of every single-comparison rule."""
    out = set()
    for rule in definition.guidance:
        when = rule.when
        if "score" in when:
            _, dim, field = when["score"].split(".")
            assert field in ("percent", "band")
            op = next(k for k in when if k != "score")
            out.add((rule.kind, dim, op, when[op]))
    return out


def test_capacity_guidance_has_strength_and_action_per_determinant_and_level_rules(capacity):
    assert len(capacity.guidance) >= 12
    thresholds = _rule_thresholds(capacity)
    for dim in DETERMINANTS:
        assert ("strength", dim, "gte", 70) in thresholds
        assert ("action", dim, "lt", 40) in thresholds
    by_level = {dim for _, dim, _, _ in thresholds} & set(LEVEL_DIMS)
    assert by_level == set(LEVEL_DIMS)
    assert {dim for _, dim, _, _ in thresholds} & set(CELLS)


def test_management_guidance_has_strength_and_action_per_dimension(management):
    assert len(management.guidance) >= 14
    thresholds = _rule_thresholds(management)
    for dim in ACTIONS:
        assert ("strength", dim, "gte", 70) in thresholds
        assert ("action", dim, "lt", 40) in thresholds


@pytest.mark.parametrize("key", KEYS)
def test_every_rule_has_a_title_and_one_to_three_links(key):
    for rule in load_builtin(key).guidance:
        assert rule.title is not None, rule.id
        assert 1 <= len(rule.links) <= 3, rule.id


@pytest.mark.parametrize("key", builtin_keys())
def test_every_guidance_link_of_every_shipped_definition_is_in_the_starter_library(key):
    library = _library_keys()
    assert len(library) > 100
    definition = load_builtin(key)
    links = [(rule.id, link) for rule in definition.guidance for link in rule.links]
    assert links
    assert [(rule, link) for rule, link in links if link not in library] == []


# ------------------------------------------------------------------- scoring


@pytest.mark.parametrize("key", KEYS)
def test_most_favourable_answers_score_100_and_the_top_band_everywhere(key):
    definition = load_builtin(key)
    result = score(definition, _answers(definition, favourable=True))
    for dim in definition.dimensions:
        figures = result["dimensions"][dim.id]
        assert figures["percent"] == 100.0, dim.id
        assert figures["mean"] == 4.0, dim.id
        assert figures["band"] == "embedded", dim.id


@pytest.mark.parametrize("key", KEYS)
def test_least_favourable_answers_score_0_and_the_lowest_band_everywhere(key):
    definition = load_builtin(key)
    result = score(definition, _answers(definition, favourable=False))
    for dim in definition.dimensions:
        figures = result["dimensions"][dim.id]
        assert (figures["percent"], figures["mean"], figures["band"]) == (0.0, 0.0, "ad_hoc")


def test_reverse_rows_are_reversed_capacity(capacity):
    # Every statement answered 4 ("strongly agree"): each reverse row counts 0.
    cells = score(capacity, _answers(capacity, value=4))["dimensions"]
    # clarity_individual: 4 + 4 + 4 + (4 - 4) = 12 of 16 -> 75 %
    assert cells["clarity_individual"] == {
        "mean": 3.0,
        "percent": 75.0,
        "band": "established",
        "answered": 4,
    }
    assert cells["parity_individual"]["percent"] == 75.0
    assert cells["suitability_organisation"]["percent"] == 75.0
    assert cells["normality_organisation"]["percent"] == 75.0
    assert cells["clarity_system"]["percent"] == 75.0
    # cells without a reverse row stay at 100
    assert cells["normality_individual"]["percent"] == 100.0
    # clarity: 12 rows, 2 reversed -> 40 of 48 = 83.3 %
    assert cells["clarity"]["percent"] == 83.3
    assert cells["clarity"]["band"] == "embedded"
    # and the other way round: all 0 puts each reverse row at 4
    zero = score(capacity, _answers(capacity, value=0))["dimensions"]
    assert zero["clarity_individual"]["percent"] == 25.0
    assert zero["normality_individual"]["percent"] == 0.0


def test_reverse_rows_are_reversed_management(management):
    dims = score(management, _answers(management, value=4))["dimensions"]
    # articulate, extend, accelerate, authorising_environment each have one reverse row of 5
    for dim in ("articulate", "extend", "accelerate", "authorising_environment"):
        assert dims[dim] == {"mean": 3.2, "percent": 80.0, "band": "embedded", "answered": 5}
    for dim in ("drive", "mobilise", "enrich"):
        assert dims[dim]["percent"] == 100.0


def test_band_limits(capacity):
    cases = [(0, "ad_hoc"), (19.9, "ad_hoc"), (20, "emerging"), (39.99, "emerging")]
    cases += [(40, "developing"), (59.9, "developing"), (60, "established")]
    cases += [(79.9, "established"), (80, "embedded"), (100, "embedded")]
    for percent, band in cases:
        assert capacity.band_for("maturity", percent) == band, percent


# Hand-computed from docs/instruments/innovation-capacity-example.json (a team
# lead, so the 4 manager-only system rows are answered).  Reverse rows count
# 4 - answer: unclear 0 -> 4, penalised 2 -> 2, silos 3 -> 1, exception 2 -> 2,
# mixed 3 -> 1.  Cell sums (4 rows each):
#   clarity:     individual 4+3+3+4=14   organisation 3+3+1+2=9   system 2+1+1+2=6
#   parity:      individual 2+1+3+2=8    organisation 1+0+1+2=4   system 1+0+1+2=4
#   suitability: individual 3+2+3+4=12   organisation 2+2+1+1=6   system 3+2+1+2=8
#   normality:   individual 3+4+2+3=12   organisation 2+2+3+1=8   system 1+1+2+0=4
# percent = sum / (rows x 4) x 100, rounded half away from zero to 1 decimal;
# mean = sum / rows, to 2 decimals.
CAPACITY_EXPECTED = {
    # determinants: 12 rows each
    "clarity": (2.42, 60.4, "established", 12),  # 29/12 = 2.4167; 29/48 = 60.42 %
    "parity": (1.33, 33.3, "emerging", 12),  # 16/12
    "suitability": (2.17, 54.2, "developing", 12),  # 26/12
    "normality": (2.0, 50.0, "developing", 12),  # 24/12
    # levels: 16 rows each
    "individual": (2.88, 71.9, "established", 16),  # 46/16 = 2.875; 71.875 %
    "organisation": (1.69, 42.2, "developing", 16),  # 27/16 = 1.6875; 42.1875 %
    "system": (1.38, 34.4, "emerging", 16),  # 22/16 = 1.375; 34.375 %
    # cells: 4 rows each
    "clarity_individual": (3.5, 87.5, "embedded", 4),
    "clarity_organisation": (2.25, 56.3, "developing", 4),  # 56.25 -> 56.3
    "clarity_system": (1.5, 37.5, "emerging", 4),
    "parity_individual": (2.0, 50.0, "developing", 4),
    "parity_organisation": (1.0, 25.0, "emerging", 4),
    "parity_system": (1.0, 25.0, "emerging", 4),
    "suitability_individual": (3.0, 75.0, "established", 4),
    "suitability_organisation": (1.5, 37.5, "emerging", 4),
    "suitability_system": (2.0, 50.0, "developing", 4),
    "normality_individual": (3.0, 75.0, "established", 4),
    "normality_organisation": (2.0, 50.0, "developing", 4),
    "normality_system": (1.0, 25.0, "emerging", 4),
}

# Hand-computed from docs/instruments/innovation-management-example.json (a
# senior manager: all 5 rows of each dimension).  Reverse rows: slogan 1 -> 3,
# slow_agreements 3 -> 1, slow_approval 4 -> 0, blame 3 -> 1.
MANAGEMENT_EXPECTED = {
    "articulate": (3.0, 75.0, "established", 5),  # 3+4+3+3+2 = 15
    "extend": (1.4, 35.0, "emerging", 5),  # 2+1+2+1+1 = 7
    "drive": (2.6, 65.0, "established", 5),  # 3+2+3+3+2 = 13
    "accelerate": (1.0, 25.0, "emerging", 5),  # 1+2+0+1+1 = 5
    "mobilise": (3.0, 75.0, "established", 5),  # 4+3+3+3+2 = 15
    "enrich": (2.0, 50.0, "developing", 5),  # 2+3+2+1+2 = 10
    "authorising_environment": (1.0, 25.0, "emerging", 5),  # 1+1+1+2+0 = 5
}

EXPECTED = {"innovation-capacity": CAPACITY_EXPECTED, "innovation-management": MANAGEMENT_EXPECTED}


@pytest.mark.parametrize("key", KEYS)
def test_hand_computed_mixed_example(key):
    definition = load_builtin(key)
    example = _example(key)
    validate_answers(definition, example, complete=True)
    result = score(definition, example)
    assert result["id"] == example["id"]
    got = {
        dim: (f["mean"], f["percent"], f["band"], f["answered"])
        for dim, f in result["dimensions"].items()
    }
    assert got == EXPECTED[key]


@pytest.mark.parametrize("key", KEYS)
def test_the_example_file_scores_the_same_through_the_cli(key):
    out, err = io.StringIO(), io.StringIO()
    code = score_stream(key, str(EXAMPLES / f"{key}-example.json"), out, err, fmt="json")
    assert (code, err.getvalue()) == (0, "")
    result = json.loads(out.getvalue())
    assert list(result) == ["id", "dimensions"]
    assert list(result["dimensions"]) == list(EXPECTED[key])
    for dim, (mean, percent, band, answered) in EXPECTED[key].items():
        assert result["dimensions"][dim] == {
            "mean": mean,
            "percent": percent,
            "band": band,
            "answered": answered,
        }


def test_individual_respondents_are_scored_on_the_rows_they_were_asked(capacity, management):
    dims = score(capacity, _answers(capacity, favourable=True, levels=["individual"]))
    dims = dims["dimensions"]
    assert dims["system"]["answered"] == 12
    assert dims["clarity_system"]["answered"] == 3
    assert dims["clarity"]["answered"] == 11
    assert dims["individual"]["answered"] == 16
    assert dims["clarity_system"]["percent"] == 100.0
    result = score(management, _answers(management, value=2, levels=["individual"]))
    for dim in ACTIONS:
        assert result["dimensions"][dim] == {
            "mean": 2.0,
            "percent": 50.0,
            "band": "developing",
            "answered": 3,
        }


def test_nothing_answered_gives_empty_dimensions(capacity):
    result = score(capacity, {})
    assert all(
        f == {"mean": None, "percent": None, "band": None, "answered": 0}
        for f in result["dimensions"].values()
    )
    assert _fired(capacity, {}) == []


# ------------------------------------------------------------------ guidance


CAPACITY_STRENGTHS = [
    "strength-clarity",
    "strength-parity",
    "strength-suitability",
    "strength-normality",
    "strength-level-system",
]
CAPACITY_ACTIONS = [
    "action-clarity",
    "action-parity",
    "action-suitability",
    "action-normality",
    "action-level-individual",
    "action-level-organisation",
    "action-level-system",
    "action-clarity-system",
    "action-parity-organisation",
    "action-suitability-individual",
    "action-normality-organisation",
]


def test_capacity_guidance_for_the_extremes(capacity):
    assert _fired(capacity, _answers(capacity, favourable=True)) == CAPACITY_STRENGTHS
    # everything low: every action but the "people ahead of the organisation" one
    assert _fired(capacity, _answers(capacity, favourable=False)) == CAPACITY_ACTIONS


def test_capacity_guidance_for_the_mixed_example(capacity):
    assert _fired(capacity, _example("innovation-capacity")) == [
        "action-parity",  # parity 33.3
        "action-level-system",  # system 34.4
        "action-clarity-system",  # clarity_system 37.5
        "action-parity-organisation",  # parity_organisation 25
    ]


def test_capacity_guidance_when_people_are_ahead_of_their_organisation(capacity):
    answers = _answers(capacity, favourable=True, levels=["individual"])
    for item in capacity.items:
        if "organisation" in item.dimensions:
            answers[item.id] = {row.id: 4 if row.reverse else 0 for row in item.rows}
        elif "system" in item.dimensions or item.id == "system_managers":
            answers.pop(item.id, None)
    result = score(capacity, answers)["dimensions"]
    assert (result["individual"]["percent"], result["organisation"]["percent"]) == (100.0, 0.0)
    assert result["system"]["answered"] == 0
    fired = _fired(capacity, answers)
    assert "action-people-ahead-of-organisation" in fired
    assert "action-level-organisation" in fired
    assert "action-level-system" not in fired  # unanswered: no figure, no rule


MANAGEMENT_STRENGTHS = [f"strength-{d.replace('_', '-')}" for d in ACTIONS]
MANAGEMENT_ACTIONS = [f"action-{d.replace('_', '-')}" for d in ACTIONS]


def test_management_guidance_for_the_extremes(management):
    assert _fired(management, _answers(management, favourable=True)) == MANAGEMENT_STRENGTHS
    assert _fired(management, _answers(management, favourable=False)) == MANAGEMENT_ACTIONS


def test_management_guidance_for_the_mixed_example(management):
    assert _fired(management, _example("innovation-management")) == [
        "strength-articulate",  # 75
        "action-extend",  # 35
        "action-accelerate",  # 25
        "strength-mobilise",  # 75
        "action-authorising-environment",  # 25
        "action-portfolio-without-learning",  # drive 65 >= 60, accelerate 25 < 40
        "action-energy-without-mandate",  # mobilise 75 >= 60, authorising 25 < 40
    ]
