"""The definition schema: every error is reported, with its path."""

import copy

import pytest
import yaml

from facetscope.instruments.loader import DEFINITIONS_DIR, load_definition_data
from facetscope.instruments.schema import DefinitionError

PET_PATH = DEFINITIONS_DIR / "portfolio-exploration" / "v1.yaml"
FACETS_PATH = DEFINITIONS_DIR / "project-facets" / "v1.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PET_DATA = yaml.load(PET_PATH.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
_FACETS_DATA = yaml.load(FACETS_PATH.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506


@pytest.fixture
def pet_data():
    return copy.deepcopy(_PET_DATA)


@pytest.fixture
def facets_data():
    return copy.deepcopy(_FACETS_DATA)


def _item_index(data, item_id):
    return next(i for i, item in enumerate(data["items"]) if item["id"] == item_id)


def _errors(data):
    with pytest.raises(DefinitionError) as info:
        load_definition_data(data)
    return info.value.errors


def _messages(data):
    return dict(_errors(data))


def test_every_error_is_reported_with_its_path(pet_data):
    q1 = _item_index(pet_data, "q10")
    pet_data["items"][q1]["options"][2]["points"] = "four"
    del pet_data["items"][0]["prompt"]["fr"]
    pet_data["sections"][1]["items"].append("q99")
    errors = _errors(pet_data)
    assert (f"items[{q1}].options[2].points", "expected number") in errors
    assert ("items[0].prompt", "missing translation 'fr'") in errors
    assert ("sections[1].items[4]", "unknown item 'q99'") in errors
    assert len(errors) == 3


def test_definition_error_reads_well(pet_data):
    pet_data["version"] = "one"
    pet_data["extra"] = True
    with pytest.raises(DefinitionError) as info:
        load_definition_data(pet_data, source="pe.yaml")
    assert str(info.value) == (
        "2 errors in pe.yaml:\n  extra: unknown key\n  version: expected integer"
    )


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d.pop("scoring"), "scoring", "required"),
        (lambda d: d.update(key="Portfolio Exploration"), "key", "invalid identifier"),
        (lambda d: d.update(version=0), "version", "at least 1"),
        (lambda d: d.update(version=True), "version", "expected integer"),
        (lambda d: d.update(languages=["en"]), "languages", "must include 'fr'"),
        (lambda d: d["title"].update(de="Titel"), "title.de", "not listed"),
        (lambda d: d["title"].update(fr=""), "title.fr", "non-empty"),
        (
            lambda d: d["dimensions"][0].update(facet="xyz"),
            "dimensions[0].facet",
            "expected one of",
        ),
        (lambda d: d["dimensions"][1].update(id="enh"), "dimensions[1].id", "duplicate id 'enh'"),
        (lambda d: d["items"][4].update(type="slider"), "items[4].type", "expected one of"),
        (lambda d: d["items"][6].update(id="q1"), "items[6].id", "duplicate id 'q1'"),
        (lambda d: d["items"][4].update(scale="stars"), "items[4].scale", "unknown scale"),
        (lambda d: d["items"][4].update(levels=["boss"]), "items[4].levels[0]", "expected one of"),
        (lambda d: d["items"][4].update(required="yes"), "items[4].required", "boolean"),
        (lambda d: d["items"][4].update(promt={}), "items[4].promt", "unknown key"),
        (
            lambda d: d["items"][4]["rows"][0].update(facet="xxx"),
            "items[4].rows[0].facet",
            "one of",
        ),
        (
            lambda d: d["items"][4]["rows"][0].update(dimension="zzz"),
            "items[4].rows[0].dimension",
            "unknown dimension",
        ),
        (
            lambda d: d["items"][4]["rows"][0].update(exclusive=True),
            "items[4].rows[0].exclusive",
            "unknown key",
        ),
        (lambda d: d["items"][4]["rows"][1].update(id="mis"), "items[4].rows[1].id", "duplicate"),
        (
            lambda d: d["items"][4]["rows"][0].update(reads_as="ada", facet=None),
            "items[4].rows[0].facet",
            "expected one of",
        ),
        (lambda d: d["items"][4]["rows"][0].pop("label"), "items[4].rows[0].label", "required"),
        (lambda d: d["items"][2].update(min=5, max=2), "items[2].max", "must not be below min"),
        (lambda d: d["items"][0].update(id="id"), "items[0].id", "reserved"),
        (
            lambda d: d["bands"]["capability"][1].update(lt=20),
            "bands.capability[1].lt",
            "must increase",
        ),
        (
            lambda d: d["bands"]["capability"][2].update(lt=99),
            "bands.capability[2].lt",
            "unknown key",
        ),
        (lambda d: d["bands"]["capability"][0].pop("lt"), "bands.capability[0].lt", "required"),
        (lambda d: d["scales"][0]["values"].reverse(), "scales[0].values", "ascending"),
        (
            lambda d: d["sections"][2]["items"].append("q1"),
            "sections[2].items[4]",
            "already in sections[1]",
        ),
        (
            lambda d: (
                d["sections"][-1]["items"].remove("projects")
                or d["sections"][-1]["items"].append("q1")
            ),
            "sections",
            "'projects' is in no section",
        ),
        (lambda d: d["scoring"].update(family="magic"), "scoring.family", "expected one of"),
        (lambda d: d["scoring"].update(divisor=0), "scoring.divisor", "greater than 0"),
        (
            lambda d: d["scoring"].update(rank_points=[4, 2, 1]),
            "scoring.rank_points",
            "has 4 options, not 3",
        ),
        (
            lambda d: d["scoring"]["tendency"]["groups"].pop(),
            "scoring.tendency.groups",
            "no group for high facets [ada, ant, enh, mis]",
        ),
        (
            lambda d: d["scoring"]["variants"].pop("as_coded"),
            "scoring.variants.as_coded",
            "required",
        ),
        (
            lambda d: d["scoring"]["variants"]["intended"].update(multi_select="double"),
            "scoring.variants.intended.multi_select",
            "expected one of",
        ),
        (
            lambda d: d["scoring"]["capability"].update(bands="nope"),
            "scoring.capability.bands",
            "unknown band set",
        ),
        (lambda d: d["scoring"].update(projects="q1"), "scoring.projects", "must be of type"),
    ],
)
def test_schema_rejects(pet_data, mutate, path, fragment):
    mutate(pet_data)
    messages = _messages(pet_data)
    assert path in messages, messages
    assert fragment in messages[path]


@pytest.mark.parametrize(
    ("when", "path", "fragment"),
    [
        ({"score": "capability.points", "lt": 3}, "guidance[0].when.score", "unknown score"),
        ({"score": "tendency_group", "lt": 3}, "guidance[0].when.lt", "needs a number score"),
        (
            {"score": "tendency_group", "eq": "primarly_mission"},
            "guidance[0].when.eq",
            "unknown value",
        ),
        (
            {"score": "capability.band", "in": ["low", "top"]},
            "guidance[0].when.in[1]",
            "unknown value",
        ),
        ({"score": "percent.enh", "gte": "60"}, "guidance[0].when.gte", "expected number"),
        ({"score": "percent.enh", "gte": 6, "lt": 9}, "guidance[0].when", "exactly one operator"),
        ({"score": "percent.enh", "between": [1, 2]}, "guidance[0].when.between", "unknown key"),
        ({"all": []}, "guidance[0].when.all", "non-empty list"),
        (
            {"all": [{"score": "raw.xyz", "lt": 1}]},
            "guidance[0].when.all[0].score",
            "unknown score",
        ),
        ({"not": {"any": "x"}}, "guidance[0].when.not.any", "non-empty list"),
        ({"all": [], "any": []}, "guidance[0].when", "must stand alone"),
        ({"percent.enh": 3}, "guidance[0].when", "expected 'score'"),
        ("percent.enh > 60", "guidance[0].when", "expected mapping"),
    ],
)
def test_guidance_conditions_are_validated(pet_data, when, path, fragment):
    pet_data["guidance"][0]["when"] = when
    messages = _messages(pet_data)
    assert path in messages, messages
    assert fragment in messages[path]


def test_guidance_kind_and_links_are_validated(pet_data):
    pet_data["guidance"][0]["kind"] = "tip"
    pet_data["guidance"][1]["links"] = ["Double Diamond", "x", "x"]
    pet_data["guidance"][2]["id"] = pet_data["guidance"][3]["id"]
    messages = _messages(pet_data)
    assert "expected one of" in messages["guidance[0].kind"]
    assert "invalid identifier" in messages["guidance[1].links[0]"]
    assert messages["guidance[1].links"] == "duplicate link"
    assert "duplicate id" in messages["guidance[3].id"]


def test_guidance_structure_is_checked_even_when_scoring_is_broken(pet_data):
    pet_data["scoring"]["divisor"] = "x"
    pet_data["guidance"][0]["when"] = {"all": []}
    messages = _messages(pet_data)
    assert "scoring.divisor" in messages
    assert "guidance[0].when.all" in messages


def test_yes_no_unsure_options_are_fixed(pet_data):
    q17 = pet_data["items"][_item_index(pet_data, "q17")]
    q17["options"] = [dict(o) for o in q17["options"][:2]]
    messages = _messages(pet_data)
    assert (
        "exactly 'yes', 'no' and 'unsure'"
        in messages[f"items[{_item_index(pet_data, 'q17')}].options"]
    )


def test_rank_default_ranks_must_be_a_permutation(pet_data):
    index = _item_index(pet_data, "q5")
    pet_data["items"][index]["options"][1]["default_rank"] = 1
    assert "default_rank" in _messages(pet_data)[f"items[{index}].options"]


def test_single_choice_codes_must_not_clash(facets_data):
    facets_data["items"][0]["options"][1]["code"] = "2"
    messages = _messages(facets_data)
    assert "clashes" in messages["items[0].options[1].code"]


def test_project_facets_further_items_need_axis_positions(facets_data):
    facets_data["items"][2]["options"][0]["points"] = 3
    facets_data["items"][3]["type"] = "text"
    facets_data["items"][3].pop("options")
    messages = [m for p, m in _errors(facets_data) if p == "scoring"]
    assert any("needs points between -1 and 1" in m for m in messages)
    assert any("'goal_fixed' must be a single_choice" in m for m in messages)


def test_project_facets_guidance_cannot_use_pet_scores(facets_data):
    facets_data["guidance"][0]["when"] = {"score": "capability.score", "lt": 3}
    assert "unknown score" in _messages(facets_data)["guidance[0].when.score"]
