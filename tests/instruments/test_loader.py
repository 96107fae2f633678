"""Loading, validating and hashing instrument definitions."""

import copy
import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from facetscope.instruments import loader
from facetscope.instruments.loader import (
    DEFINITIONS_DIR,
    FrozenMap,
    UnknownDefinition,
    builtin_keys,
    builtin_versions,
    content_hash,
    load_builtin,
    load_definition,
    load_definition_data,
    load_definition_text,
)
from facetscope.instruments.schema import DefinitionError
from facetscope.instruments.scoring import guidance, score

FIXTURES = Path(__file__).parent / "fixtures"
PET_PATH = DEFINITIONS_DIR / "portfolio-exploration" / "v1.yaml"
FACETS_PATH = DEFINITIONS_DIR / "project-facets" / "v1.yaml"


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PET_DATA = yaml.load(PET_PATH.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506


@pytest.fixture
def pet_data():
    return copy.deepcopy(_PET_DATA)


def _item_index(data, item_id):
    return next(i for i, item in enumerate(data["items"]) if item["id"] == item_id)


def _errors(data):
    with pytest.raises(DefinitionError) as info:
        load_definition_data(data)
    return info.value.errors


def _messages(data):
    return dict(_errors(data))


# ------------------------------------------------------------------ built-ins


def test_builtin_keys_include_the_shipped_instruments():
    assert {"portfolio-exploration", "project-facets"} <= set(builtin_keys())
    assert builtin_keys() == sorted(builtin_keys())


def test_load_builtin_defaults_to_the_latest_version():
    assert (
        builtin_versions("portfolio-exploration")[-1]
        == load_builtin("portfolio-exploration").version
    )


def test_load_builtin_returns_the_same_immutable_object():
    assert load_builtin("project-facets") is load_builtin("project-facets", 1)


def test_load_builtin_rejects_unknown_key_and_version():
    with pytest.raises(UnknownDefinition, match="unknown instrument 'nope'"):
        load_builtin("nope")
    with pytest.raises(UnknownDefinition, match="no version 99"):
        load_builtin("portfolio-exploration", 99)


def test_builtin_versions_sort_numerically_and_skip_other_files(tmp_path, monkeypatch):
    text = FACETS_PATH.read_text(encoding="utf-8")
    folder = tmp_path / "project-facets"
    folder.mkdir()
    for version in (2, 10, 1):
        (folder / f"v{version}.yaml").write_text(
            text.replace("version: 1", f"version: {version}"), encoding="utf-8"
        )
    (folder / "notes.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "empty-folder").mkdir()
    monkeypatch.setattr(loader, "DEFINITIONS_DIR", tmp_path)
    loader._load_builtin_cached.cache_clear()
    try:
        assert builtin_keys() == ["project-facets"]
        assert builtin_versions("project-facets") == [1, 2, 10]
        assert load_builtin("project-facets").version == 10
    finally:
        loader._load_builtin_cached.cache_clear()


def test_builtin_file_must_declare_its_own_key_and_version(tmp_path, monkeypatch):
    folder = tmp_path / "project-facets"
    folder.mkdir()
    (folder / "v2.yaml").write_text(FACETS_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(loader, "DEFINITIONS_DIR", tmp_path)
    loader._load_builtin_cached.cache_clear()
    try:
        with pytest.raises(DefinitionError, match="its path says 'project-facets' v2"):
            load_builtin("project-facets", 2)
    finally:
        loader._load_builtin_cached.cache_clear()


# --------------------------------------------------------------- immutability


def test_definitions_are_frozen():
    definition = load_builtin("portfolio-exploration")
    with pytest.raises(dataclasses.FrozenInstanceError):
        definition.version = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        definition.items[0].required = False
    with pytest.raises(TypeError):
        definition.title["en"] = "Changed"
    assert isinstance(definition.items, tuple)
    assert isinstance(definition.scoring, FrozenMap)


def test_definitions_compare_and_hash_by_content(pet_data):
    first = load_definition_data(pet_data)
    second = load_definition_data(copy.deepcopy(pet_data))
    assert first == second
    assert len({first, second}) == 1
    assert first == load_builtin("portfolio-exploration")


def test_to_data_round_trips(pet_data):
    definition = load_definition_data(pet_data)
    assert load_definition_data(definition.to_data()) == definition


# ------------------------------------------------------------------- hashing


def test_content_hash_ignores_comments_whitespace_and_key_order(pet_data):
    original = load_definition(PET_PATH)
    reflowed = yaml.safe_dump(pet_data, sort_keys=True, allow_unicode=True, width=60)
    assert load_definition_text("# a new comment\n\n" + reflowed).content_hash == (
        original.content_hash
    )
    as_json = json.dumps(pet_data, indent=4, ensure_ascii=False)
    assert load_definition_text(as_json).content_hash == original.content_hash


def test_content_hash_changes_with_any_content_change(pet_data):
    base = content_hash(pet_data)
    changes = [
        ("items", 4, "rows", 0, "label", "fr"),
        ("scoring", "divisor"),
        ("guidance", 0, "links", 0),
    ]
    seen = {base}
    for path in changes:
        data = copy.deepcopy(pet_data)
        node = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = node[path[-1]] + 1 if isinstance(node[path[-1]], int) else "x"
        seen.add(content_hash(data))
    assert len(seen) == len(changes) + 1


def test_content_hash_counts_4_and_4_0_as_the_same_number(pet_data):
    data = copy.deepcopy(pet_data)
    data["scoring"]["divisor"] = 64.0
    assert content_hash(data) == content_hash(pet_data)


def test_content_hash_is_sha256_hex_of_the_definition():
    definition = load_builtin("portfolio-exploration")
    assert content_hash(definition) == definition.content_hash
    assert len(definition.content_hash) == 64
    assert content_hash(definition.to_data()) == definition.content_hash


# ------------------------------------------------- portfolio-exploration v1

CODEBOOK_OPTIONS = {
    "q1": ["mis", "enh", "ant", "ada"],
    "q2": ["enh", "mis", "ant", "ada"],
    "q3": ["enh", "mis", "ada", "ant"],
    "q4": ["enh", "ada", "ant", "mis"],
    "q5": ["enh", "mis", "ant", "ada"],
    "q6": ["ada1", "ada2", "mis1", "mis2", "enh1", "enh2"],
    "q7": ["ant", "mis", "ada", "enh"],
    "q8": ["mis", "enh", "ada", "ant"],
    "q9": ["enh", "mis", "ada", "ant"],
    "q10": ["mis", "ada", "ant", "enh", "none"],
    "q11": ["enh", "ada", "mis", "ant"],
    "q12": ["ada", "enh", "mis", "ant"],
    "q13": ["ada1", "ada2", "mis1", "mis2", "enh1", "enh2", "ant1", "ant2", "none"],
    "q14": ["enh1", "enh2", "mis1", "mis2", "ada1", "ada2", "ant1", "ant2", "none"],
    "q15": [*(f"{f}{n}" for f in ("enh", "ada", "mis", "ant") for n in range(1, 5)), "none"],
    "q16": ["enh1", "enh2", "mis1", "mis2", "ada1", "ada2", "ant1", "ant2"],
    "q17": ["yes", "no", "unsure"],
    "q18": ["q18a", "q18b"],
    "q19": ["yes", "no", "unsure"],
    "q20": ["yes", "no", "unsure"],
    "q21": ["q21a"],
    "q22": [f"q22{c}" for c in "abcde"],
    "q23": [f"q23{c}" for c in "abcd"],
    "q24": [f"q24{c}" for c in "abcdefghijk"],
}

CODEBOOK_TYPES = {
    **dict.fromkeys(["q1", "q3", "q4", "q7", "q9", "q11"], "likert_group"),
    **dict.fromkeys(["q6", "q16"], "half_likert_group"),
    **dict.fromkeys(["q2", "q5", "q8", "q12"], "rank"),
    **dict.fromkeys(["q10", "q13", "q14", "q15"], "multi_select"),
    **dict.fromkeys(["q17", "q19", "q20"], "yes_no_unsure"),
    **dict.fromkeys(["q18", "q21", "q22", "q23", "q24"], "capability_likert_group"),
}


def test_pet_items_and_option_ids_match_the_codebook():
    pet = load_builtin("portfolio-exploration")
    profile = ["profile.organisation", "profile.country", "profile.n_people", "profile.sector"]
    assert [item.id for item in pet.items] == [*profile, *CODEBOOK_OPTIONS, "projects"]
    for item_id, option_ids in CODEBOOK_OPTIONS.items():
        item = pet.item(item_id)
        assert item.type == CODEBOOK_TYPES[item_id], item_id
        assert [o.id for o in item.options] == option_ids, item_id


def test_pet_facet_tags_are_the_option_ids_and_none_is_mis():
    pet = load_builtin("portfolio-exploration")
    for item_id in [i for i in CODEBOOK_TYPES if int(i[1:]) <= 16]:
        for option in pet.item(item_id).options:
            expected = "mis" if option.id == "none" else option.id[:3]
            assert option.facet == expected, (item_id, option.id)


def test_pet_multi_select_points_and_codes_match_the_codebook():
    pet = load_builtin("portfolio-exploration")
    for item_id, points in {"q10": 4, "q13": 2, "q14": 2, "q15": 1}.items():
        for option in pet.item(item_id).options:
            if option.id == "none":
                assert (option.points, option.code, option.exclusive) == (0, "mis-0", True)
            else:
                assert option.points == points
                assert option.code.startswith(f"{option.facet}-{points}")
    assert [o.code for o in pet.item("q15").options[:4]] == [
        "enh-1",
        "enh-1-bis",
        "enh-1-ter",
        "enh-1-quat",
    ]


def test_pet_yes_no_points_and_reverse_items_match_the_codebook():
    pet = load_builtin("portfolio-exploration")
    points = {q: {o.id: o.points for o in pet.item(q).options} for q in ("q17", "q19", "q20")}
    assert points == {
        "q17": {"yes": 4, "no": 0, "unsure": 0},
        "q19": {"yes": 4, "no": 0, "unsure": 0},
        "q20": {"yes": 8, "no": 0, "unsure": 0},
    }
    assert [o.code for o in pet.item("q17").options] == ["4", "0", "0-bis"]
    reverse = {
        o.id for q in ("q18", "q21", "q22", "q23", "q24") for o in pet.item(q).rows if o.reverse
    }
    assert reverse == {"q18b", "q24d", "q24g", "q24h"}
    rows = sum(len(pet.item(q).rows) for q in ("q18", "q21", "q22", "q23", "q24"))
    assert rows == 23


def test_pet_q2_records_what_its_swapped_options_read_as():
    q2 = load_builtin("portfolio-exploration").item("q2")
    assert {o.id: (o.facet, o.reads_as) for o in q2.options} == {
        "enh": ("enh", None),
        "mis": ("mis", None),
        "ant": ("ant", "ada"),
        "ada": ("ada", "ant"),
    }


def test_pet_records_csv_columns_acf_keys_and_default_ranks():
    pet = load_builtin("portfolio-exploration")
    for item_id, item_type in CODEBOOK_TYPES.items():
        item = pet.item(item_id)
        assert item.acf and item.acf.startswith("field_"), item_id
        if item_type == "multi_select":
            assert item.csv == item_id.upper()
        elif item_type != "yes_no_unsure":
            for letter, row in zip("abcdefghijk", item.rows, strict=False):
                assert row.csv == f"Q{item_id[1:]}{letter}", (item_id, row.id)
                assert row.acf.startswith("field_")
    assert pet.item("q1").option("ada").acf == "field_5ef5de3b010b9"
    assert pet.item("q16").option("ant2").acf == "field_5f0e2a89b8fde"
    assert pet.item("q24").option("q24k").acf == "field_5f0e2dc0b3758"
    assert pet.item("profile.sector").acf == "field_5f0c6fdaa380c"
    assert pet.item("projects").field("purpose").acf == "field_5f34dc52a2fad"
    for item_id in ("q2", "q5", "q8", "q12"):
        assert [o.default_rank for o in pet.item(item_id).options] == [1, 2, 3, 4]


def test_pet_project_codes_are_pets_raw_values():
    projects = load_builtin("portfolio-exploration").item("projects")
    assert {o.id: o.code for o in projects.field("purpose").options} == {
        "mis": "2",
        "enh": "1",
        "ada": "4",
        "ant": "3",
        "all": "0",
    }
    assert {o.id: o.code for o in projects.field("driver").options} == {
        "mis": "a",
        "enh": "b",
        "ada": "c",
        "ant": "d",
    }


def test_pet_sections_are_profile_four_steps_capability_and_projects():
    pet = load_builtin("portfolio-exploration")
    assert [len(s.items) for s in pet.sections] == [4, 4, 4, 4, 4, 4, 4, 1]
    assert pet.sections[0].id == "profile"
    assert [s.items for s in pet.sections[1:5]] == [
        tuple(f"q{n}" for n in range(start, start + 4)) for start in (1, 5, 9, 13)
    ]
    assert pet.sections[-1].items == ("projects",)


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


@pytest.mark.parametrize("key", ["portfolio-exploration", "project-facets"])
def test_every_shipped_text_has_english_and_french(key):
    data = load_builtin(key).to_data()
    texts = list(_texts(data))
    assert len(texts) > 40
    for path, text in texts:
        assert text.get("en", "").strip() and text.get("fr", "").strip(), path
        assert text["en"] != text["fr"] or len(text["en"]) <= 12, path


def test_pet_guidance_has_strengths_and_actions_with_links():
    pet = load_builtin("portfolio-exploration")
    assert len(pet.guidance) >= 8
    assert {rule.kind for rule in pet.guidance} == {"strength", "action"}
    assert all(rule.links for rule in pet.guidance)
    links = {link for rule in pet.guidance for link in rule.links}
    assert {"design-council-double-diamond", "iff-three-horizons", "cynefin-framework"} <= links


def test_items_for_level_defaults_to_everyone():
    pet = load_builtin("portfolio-exploration")
    assert len(pet.items_for_level("senior_manager")) == len(pet.items)


def test_top_level_must_be_a_mapping():
    with pytest.raises(DefinitionError, match="expected a mapping at the top level"):
        load_definition_text("- just\n- a list\n")


def test_yaml_duplicate_keys_are_errors_with_a_line_number():
    text = FACETS_PATH.read_text(encoding="utf-8")
    lines = text.splitlines()
    duplicate_line = lines.index("version: 1") + 2
    lines.insert(duplicate_line - 1, "version: 2")
    with pytest.raises(DefinitionError) as info:
        load_definition_text("\n".join(lines), "dup.yaml")
    ((path, message),) = info.value.errors
    assert path == ""
    assert f"line {duplicate_line}," in message
    assert "duplicate key 'version'" in message


def test_yaml_syntax_errors_are_reported():
    with pytest.raises(DefinitionError, match="invalid YAML: line 2"):
        load_definition_text("key: x\n  bad: [\n")


def test_unquoted_yes_is_caught_as_a_non_string_id(pet_data):
    index = _item_index(pet_data, "q17")
    pet_data["items"][index]["options"][0]["id"] = True  # what YAML makes of `id: yes`
    assert _messages(pet_data)[f"items[{index}].options[0].id"] == "expected string"


# ------------------------------------------------- generality: a likert instrument


def test_a_determinants_by_levels_definition_loads():
    definition = load_definition(FIXTURES / "sample_capacity.yaml")
    assert definition.family == "likert"
    assert [d.group for d in definition.dimensions] == [
        "determinant",
        "determinant",
        "level",
        "level",
    ]
    assert definition.item("c1").rows[0].dimensions == ("clarity", "individual")
    assert [i.id for i in definition.items_for_level("individual")] == ["c2"]
    assert definition.scale("frequency").values[0].label["es"] == "Nunca"
    assert definition.band_for("maturity", 39.9) == "emerging"
    assert definition.band_for("maturity", 70) == "established"


def test_likert_family_scores_dimensions_with_reverse_rows_and_bands():
    definition = load_definition(FIXTURES / "sample_capacity.yaml")
    result = score(definition, {"id": "r1", "c1": {"a": 3, "b": 3}, "c2": {"a": 1}})
    assert result["id"] == "r1"
    dims = result["dimensions"]
    # b is reverse-scored on a 1..3 scale: 3 → 1.
    assert dims["clarity"] == {"mean": 2.0, "percent": 50.0, "band": "developing", "answered": 2}
    assert dims["organisation"] == {"mean": 1.0, "percent": 0.0, "band": "emerging", "answered": 2}
    assert dims["individual"]["band"] == "established"
    assert [r.id for r in guidance(definition, result)] == []


def test_likert_family_reports_unanswered_dimensions_as_null():
    definition = load_definition(FIXTURES / "sample_capacity.yaml")
    result = score(definition, {"c2": {"a": 2}})
    assert result["dimensions"]["clarity"] == {
        "mean": None,
        "percent": None,
        "band": None,
        "answered": 0,
    }
    assert guidance(definition, result)[0].id == "clarity-low"  # `not` of a null comparison
