"""Schema of instrument definitions and a validator that reports every error.

Why plain Python (not pydantic or jsonschema): a definition has many
cross-references (section → item, item → dimension/scale, scoring → item,
guidance → score path of the scoring family, band ids used in conditions)
that JSON Schema cannot express and pydantic would push into validators
with their own error format.  A small hand-written walker collects every
problem as ``(path, message)`` — ``items[3].options[2].points: expected
number`` — in one pass, adds no dependency, and keeps the messages ours.

Top level (see ``definitions/portfolio-exploration/v1.yaml`` for a full example)::

    key: portfolio-exploration        # lower-case words joined by "-"
    version: 1                        # int >= 1
    title / description: {en: …, fr: …}
    languages: [en, fr, …]            # must include en and fr
    dimensions: [{id, title, group, facet?, description?}]
    scales: [{id, values: [{value: int, label}]}]           # for likert-type items
    bands: {<set id>: [{id, label, lt?}]}                    # ascending; last has no lt
    sections: [{id, title, description?, items: [item ids]}] # one section = one page
    items: [ITEM]
    scoring: {family: pet | project_facets | likert, …family parameters}
    guidance: [{id, kind: strength|action, when: CONDITION, title?, text, links?: [keys]}]

ITEM::

    id: q1 | profile.sector            # dotted ids nest: {"profile": {"sector": …}}
    type: likert_group | half_likert_group | capability_likert_group   (rows + scale)
        | rank | multi_select | yes_no_unsure | single_choice            (options)
        | number (min, max, integer) | text (max_length)
        | repeater (fields: [ITEM without levels], max_entries)
    prompt: {…}  title?: {…}  help?: {…}
    required: bool (default false)   levels: [individual|team_lead|senior_manager] (default all)
    dimension?: id or [ids]   csv?: column   acf?: key
    rows|options: [{id, label, help?, facet?, dimension?, points?, reverse?, exclusive?,
                    code?, csv?, acf?, default_rank?, reads_as?}]

Every user-facing text is a mapping language → text and must have ``en``
and ``fr``; other languages must be listed in ``languages``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from facetscope.instruments.scoring import params
from facetscope.instruments.scoring.conditions import validate_condition

REQUIRED_LANGUAGES = ("en", "fr")
FACETS = ("enh", "mis", "ada", "ant")
LEVELS = ("individual", "team_lead", "senior_manager")
ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")
OPTION_TYPES = ("rank", "multi_select", "yes_no_unsure", "single_choice")
ITEM_TYPES = (*ROW_TYPES, *OPTION_TYPES, "number", "text", "repeater")
FIELD_TYPES = ("text", "number", "single_choice", "multi_select", "yes_no_unsure")
YES_NO_UNSURE = ("yes", "no", "unsure")
GUIDANCE_KINDS = ("strength", "action")

KEY_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
OPTION_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
LINK_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_ROOT_REQUIRED = tuple(
    "key version title description languages dimensions sections items scoring".split()  # noqa: SIM905
)
_ROOT_OPTIONAL = ("scales", "bands", "guidance")
_ITEM_COMMON = tuple("id type prompt title help required levels dimension csv acf".split())  # noqa: SIM905
_ITEM_EXTRA = {
    **dict.fromkeys(ROW_TYPES, ("rows", "scale")),
    **dict.fromkeys(OPTION_TYPES, ("options",)),
    "multi_select": ("options", "allow_custom"),
    "number": ("min", "max", "integer"),
    "text": ("max_length",),
    "repeater": ("fields", "max_entries"),
}
_OPTION_KEYS = tuple("id label help facet dimension points code csv acf reads_as".split())  # noqa: SIM905
_OPTION_EXTRA = {
    **dict.fromkeys(ROW_TYPES, ("reverse",)),
    "multi_select": ("exclusive",),
    "rank": ("default_rank",),
}


class DefinitionError(ValueError):
    """A definition is invalid; ``errors`` lists every ``(path, message)``."""

    def __init__(self, errors: Iterable[tuple[str, str]], source: str | None = None):
        self.errors = list(errors)
        self.source = source
        super().__init__(self.__str__())

    def __str__(self) -> str:
        count = len(self.errors)
        head = f"{count} error{'s' if count != 1 else ''} in {self.source or 'definition'}:"
        lines = [
            f"  {path}: {message}" if path else f"  {message}" for path, message in self.errors
        ]
        return "\n".join([head, *lines])


def join(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


class Checker:
    """Collects ``(path, message)`` pairs; small typed checks return whether they passed."""

    def __init__(self, languages: Iterable[str] = REQUIRED_LANGUAGES):
        self.errors: list[tuple[str, str]] = []
        self.languages = set(languages)

    def report(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def mapping(self, path: str, value: Any) -> bool:
        if isinstance(value, Mapping):
            return True
        self.report(path, "expected mapping")
        return False

    def keys(
        self, path: str, value: Mapping, required: Iterable[str], optional: Iterable[str] = ()
    ):
        required = tuple(required)
        for key in required:
            if key not in value:
                self.report(join(path, key), "required")
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.report(join(path, str(key)), "unknown key")

    def list(self, path: str, value: Any, nonempty: bool = False) -> bool:
        if not isinstance(value, list):
            self.report(path, "expected list")
            return False
        if nonempty and not value:
            self.report(path, "expected a non-empty list")
            return False
        return True

    def string(self, path: str, value: Any, pattern: re.Pattern | None = None) -> bool:
        if not isinstance(value, str) or not value.strip():
            self.report(path, "expected string" if not isinstance(value, str) else "empty string")
            return False
        if pattern is not None and not pattern.match(value):
            self.report(path, f"invalid identifier {value!r} (expected {pattern.pattern})")
            return False
        return True

    def boolean(self, path: str, value: Any) -> bool:
        if isinstance(value, bool):
            return True
        self.report(path, "expected boolean")
        return False

    def integer(self, path: str, value: Any, minimum: int | None = None) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            self.report(path, "expected integer")
            return False
        if minimum is not None and value < minimum:
            self.report(path, f"must be at least {minimum}")
            return False
        return True

    def number(
        self,
        path: str,
        value: Any,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_minimum: bool = False,
    ) -> bool:
        is_num = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_num or (isinstance(value, float) and not math.isfinite(value)):
            self.report(path, "expected number")
            return False
        if minimum is not None and (value <= minimum if exclusive_minimum else value < minimum):
            self.report(
                path, f"must be {'greater than' if exclusive_minimum else 'at least'} {minimum}"
            )
            return False
        if maximum is not None and value > maximum:
            self.report(path, f"must be at most {maximum}")
            return False
        return True

    def one_of(self, path: str, value: Any, choices: Iterable[str]) -> bool:
        choices = tuple(choices)
        if isinstance(value, str) and value in choices:
            return True
        self.report(path, f"expected one of {', '.join(choices)}")
        return False

    def text(self, path: str, value: Any) -> None:
        """A user-facing text: language → non-empty string, with every required language."""
        if not self.mapping(path, value):
            return
        for lang in REQUIRED_LANGUAGES:
            if lang not in value:
                self.report(path, f"missing translation {lang!r}")
        for lang, text in value.items():
            if lang not in self.languages:
                self.report(join(path, str(lang)), "language not listed in 'languages'")
            elif not isinstance(text, str) or not text.strip():
                self.report(join(path, str(lang)), "expected non-empty string")

    def unique(self, path: str, entries: list, what: str = "id") -> dict[str, int]:
        """Map id → index over a list of mappings, reporting duplicates."""
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping) or not isinstance(entry.get(what), str):
                continue
            ident = entry[what]
            if ident in seen:
                self.report(
                    join(join(path, index), what),
                    f"duplicate {what} {ident!r} (first at {join(path, seen[ident])})",
                )
            else:
                seen[ident] = index
        return seen

    def dimension_refs(self, path: str, value: Any, dimensions: set[str]) -> None:
        refs = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            self.report(path, "expected a dimension id or a non-empty list of them")
        for index, ref in enumerate(refs):
            sub = join(path, index) if isinstance(value, list) else path
            if self.string(sub, ref) and ref not in dimensions:
                self.report(sub, f"unknown dimension {ref!r}")


def validate_definition(data: Any, source: str | None = None) -> None:
    """Raise :class:`DefinitionError` listing every problem of a parsed definition."""
    if not isinstance(data, Mapping):
        raise DefinitionError([("", "expected a mapping at the top level")], source)
    langs = data.get("languages")
    ck = Checker(
        langs
        if isinstance(langs, list) and all(isinstance(x, str) for x in langs)
        else REQUIRED_LANGUAGES
    )
    ck.keys("", data, _ROOT_REQUIRED, _ROOT_OPTIONAL)
    if "key" in data:
        ck.string("key", data["key"], KEY_RE)
    if "version" in data:
        ck.integer("version", data["version"], minimum=1)
    for name in ("title", "description"):
        if name in data:
            ck.text(name, data[name])
    _check_languages(ck, data.get("languages"))
    dimensions = _check_dimensions(ck, data.get("dimensions", []))
    scales = _check_scales(ck, data.get("scales", []))
    bands = _check_bands(ck, data.get("bands", {}))
    items = _check_items(ck, data.get("items", []), dimensions, scales)
    _check_sections(ck, data.get("sections", []), items)
    scoring = data.get("scoring")
    paths: params.PathTable | None = None
    if "scoring" in data and ck.mapping("scoring", scoring):
        family = scoring.get("family")
        if ck.one_of("scoring.family", family, params.FAMILIES):
            context = params.Context(items=items, dimensions=dimensions, bands=bands, scales=scales)
            before = len(ck.errors)
            params.FAMILIES[family].validate(ck, scoring, context)
            if len(ck.errors) == before:
                paths = params.FAMILIES[family].paths(scoring, context)
    _check_guidance(ck, data.get("guidance", []), paths)
    if ck.errors:
        raise DefinitionError(ck.errors, source)


def _check_languages(ck: Checker, langs: Any) -> None:
    if langs is None or not ck.list("languages", langs, nonempty=True):
        return
    for index, lang in enumerate(langs):
        if ck.string(join("languages", index), lang) and not LANG_RE.match(lang):
            ck.report(join("languages", index), f"invalid language code {lang!r}")
    if len(set(map(str, langs))) != len(langs):
        ck.report("languages", "duplicate language")
    for lang in REQUIRED_LANGUAGES:
        if lang not in langs:
            ck.report("languages", f"must include {lang!r}")


def _check_dimensions(ck: Checker, value: Any) -> set[str]:
    if not ck.list("dimensions", value):
        return set()
    for index, dim in enumerate(value):
        path = join("dimensions", index)
        if not ck.mapping(path, dim):
            continue
        ck.keys(path, dim, ("id", "title", "group"), ("facet", "description"))
        if "id" in dim:
            ck.string(join(path, "id"), dim["id"], ID_RE)
        if "title" in dim:
            ck.text(join(path, "title"), dim["title"])
        if "description" in dim:
            ck.text(join(path, "description"), dim["description"])
        if "group" in dim:
            ck.string(join(path, "group"), dim["group"], ID_RE)
        if "facet" in dim:
            ck.one_of(join(path, "facet"), dim["facet"], FACETS)
    return set(ck.unique("dimensions", value))


def _check_scales(ck: Checker, value: Any) -> dict[str, tuple[int, ...]]:
    if not ck.list("scales", value):
        return {}
    result: dict[str, tuple[int, ...]] = {}
    for index, scale in enumerate(value):
        path = join("scales", index)
        if not ck.mapping(path, scale):
            continue
        ck.keys(path, scale, ("id", "values"))
        ok = "id" in scale and ck.string(join(path, "id"), scale["id"], ID_RE)
        values = scale.get("values")
        if "values" not in scale or not ck.list(join(path, "values"), values, nonempty=True):
            continue
        numbers = []
        for vindex, point in enumerate(values):
            vpath = join(join(path, "values"), vindex)
            if not ck.mapping(vpath, point):
                continue
            ck.keys(vpath, point, ("value", "label"))
            if "value" in point and ck.integer(join(vpath, "value"), point["value"]):
                numbers.append(point["value"])
            if "label" in point:
                ck.text(join(vpath, "label"), point["label"])
        if numbers != sorted(set(numbers)):
            ck.report(join(path, "values"), "values must be distinct and ascending")
        elif len(numbers) < 2:
            ck.report(join(path, "values"), "a scale needs at least two values")
        if ok:
            result[scale["id"]] = tuple(numbers)
    ck.unique("scales", value)
    return result


def _check_bands(ck: Checker, value: Any) -> dict[str, tuple[str, ...]]:
    if not ck.mapping("bands", value):
        return {}
    result = {}
    for set_id, bands in value.items():
        path = join("bands", str(set_id))
        if not isinstance(set_id, str) or not ID_RE.match(set_id):
            ck.report(path, "invalid band set id")
            continue
        if not ck.list(path, bands, nonempty=True):
            continue
        last_limit = None
        for index, band in enumerate(bands):
            bpath = join(path, index)
            if not ck.mapping(bpath, band):
                continue
            is_last = index == len(bands) - 1
            ck.keys(bpath, band, ("id", "label"), () if is_last else ("lt",))
            if "id" in band:
                ck.string(join(bpath, "id"), band["id"], OPTION_ID_RE)
            if "label" in band:
                ck.text(join(bpath, "label"), band["label"])
            if not is_last and "lt" not in band:
                ck.report(
                    join(bpath, "lt"), "required (every band but the last has an upper limit)"
                )
            elif "lt" in band and ck.number(join(bpath, "lt"), band["lt"]):
                if last_limit is not None and band["lt"] <= last_limit:
                    ck.report(join(bpath, "lt"), "band limits must increase")
                last_limit = band["lt"]
        result[set_id] = tuple(ck.unique(path, bands))
    return result


def _check_items(
    ck: Checker, value: Any, dimensions: set[str], scales: dict[str, tuple[int, ...]]
) -> dict[str, Mapping]:
    if not ck.list("items", value, nonempty=True):
        return {}
    items: dict[str, Mapping] = {}
    for index, item in enumerate(value):
        path = join("items", index)
        if _check_item(ck, path, item, dimensions, scales, field=False):
            items.setdefault(item["id"], item)
    ck.unique("items", value)
    groups = {i.split(".", 1)[0] for i in items if "." in i}
    for index, item in enumerate(value):
        if isinstance(item, Mapping) and isinstance(item.get("id"), str) and item["id"] in groups:
            ck.report(
                join(join("items", index), "id"),
                f"{item['id']!r} is also the group of dotted item ids",
            )
    return items


def _check_item(
    ck: Checker,
    path: str,
    item: Any,
    dimensions: set[str],
    scales: dict[str, tuple[int, ...]],
    field: bool,
) -> bool:
    """Check one item (or repeater field); return whether its id and type are usable."""
    if not ck.mapping(path, item):
        return False
    kind = item.get("type")
    types = FIELD_TYPES if field else ITEM_TYPES
    ok_type = ck.one_of(join(path, "type"), kind, types) if "type" in item else False
    common = tuple(k for k in _ITEM_COMMON if not (field and k == "levels"))
    ck.keys(
        path,
        item,
        ("id", "type", "prompt"),
        (*common, *(_ITEM_EXTRA.get(kind, ()) if ok_type else ())),
    )
    ok_id = "id" in item and ck.string(join(path, "id"), item["id"], ID_RE if field else ITEM_ID_RE)
    if ok_id and item["id"] == "id":
        ck.report(join(path, "id"), "'id' is reserved for the respondent's id")
        ok_id = False
    for name in ("prompt", "title", "help"):
        if name in item:
            ck.text(join(path, name), item[name])
    if "required" in item:
        ck.boolean(join(path, "required"), item["required"])
    if "levels" in item and ck.list(join(path, "levels"), item["levels"], nonempty=True):
        for lindex, level in enumerate(item["levels"]):
            ck.one_of(join(join(path, "levels"), lindex), level, LEVELS)
    if "dimension" in item:
        ck.dimension_refs(join(path, "dimension"), item["dimension"], dimensions)
    for name in ("csv", "acf"):
        if name in item:
            ck.string(join(path, name), item[name])
    if ok_type:
        _check_item_body(ck, path, item, kind, dimensions, scales)
    return ok_id and ok_type


def _check_item_body(
    ck: Checker,
    path: str,
    item: Mapping,
    kind: str,
    dimensions: set[str],
    scales: dict[str, tuple[int, ...]],
) -> None:
    if kind in ROW_TYPES:
        if "scale" not in item:
            ck.report(join(path, "scale"), "required")
        elif ck.string(join(path, "scale"), item["scale"]) and item["scale"] not in scales:
            ck.report(join(path, "scale"), f"unknown scale {item['scale']!r}")
        _check_options(ck, join(path, "rows"), item.get("rows"), kind, dimensions)
    elif kind in OPTION_TYPES:
        _check_options(ck, join(path, "options"), item.get("options"), kind, dimensions)
    if kind == "multi_select" and "allow_custom" in item:
        ck.boolean(join(path, "allow_custom"), item["allow_custom"])
    elif kind == "number":
        for name in ("min", "max"):
            if name in item:
                ck.number(join(path, name), item[name])
        if "integer" in item:
            ck.boolean(join(path, "integer"), item["integer"])
        low, high = item.get("min"), item.get("max")
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            ck.report(join(path, "max"), "must not be below min")
    elif kind == "text" and "max_length" in item:
        ck.integer(join(path, "max_length"), item["max_length"], minimum=1)
    elif kind == "repeater":
        if "max_entries" in item:
            ck.integer(join(path, "max_entries"), item["max_entries"], minimum=1)
        fields = item.get("fields")
        if "fields" not in item:
            ck.report(join(path, "fields"), "required")
        elif ck.list(join(path, "fields"), fields, nonempty=True):
            for findex, sub in enumerate(fields):
                _check_item(
                    ck, join(join(path, "fields"), findex), sub, dimensions, scales, field=True
                )
            ck.unique(join(path, "fields"), fields)


def _check_options(ck: Checker, path: str, options: Any, kind: str, dimensions: set[str]) -> None:
    if options is None:
        ck.report(path, "required")
        return
    if not ck.list(path, options, nonempty=True):
        return
    allowed = (*_OPTION_KEYS, *_OPTION_EXTRA.get(kind, ()))
    for index, option in enumerate(options):
        opath = join(path, index)
        if not ck.mapping(opath, option):
            continue
        ck.keys(opath, option, ("id", "label"), allowed)
        if "id" in option:
            ck.string(join(opath, "id"), option["id"], OPTION_ID_RE)
        for name in ("label", "help"):
            if name in option:
                ck.text(join(opath, name), option[name])
        for name in ("facet", "reads_as"):
            if name in option:
                ck.one_of(join(opath, name), option[name], FACETS)
        if "reads_as" in option and "facet" not in option:
            ck.report(join(opath, "reads_as"), "needs 'facet' (the tag it corrects)")
        if "dimension" in option:
            ck.dimension_refs(join(opath, "dimension"), option["dimension"], dimensions)
        if "points" in option:
            ck.number(join(opath, "points"), option["points"])
        for name in ("reverse", "exclusive"):
            if name in option:
                ck.boolean(join(opath, name), option[name])
        for name in ("code", "csv", "acf"):
            if name in option:
                ck.string(join(opath, name), option[name])
        if "default_rank" in option:
            ck.integer(join(opath, "default_rank"), option["default_rank"], minimum=1)
    ids = ck.unique(path, options)
    _check_option_set(ck, path, options, kind, ids)


def _check_option_set(ck: Checker, path: str, options: list, kind: str, ids: dict) -> None:
    entries = [o for o in options if isinstance(o, Mapping)]
    if kind == "yes_no_unsure" and set(ids) != set(YES_NO_UNSURE):
        ck.report(path, "options must be exactly 'yes', 'no' and 'unsure'")
    if kind == "rank":
        given = [o["default_rank"] for o in entries if "default_rank" in o]
        valid = all(isinstance(d, int) and not isinstance(d, bool) for d in given)
        if given and valid and sorted(given) != list(range(1, len(options) + 1)):
            ck.report(path, "default_rank must be given to every option as 1..n once each")
    if kind == "single_choice":
        codes: dict[str, str] = {}
        for index, option in enumerate(options):
            code = option.get("code") if isinstance(option, Mapping) else None
            if not isinstance(code, str):
                continue
            if code in codes or (code in ids and ids[code] != index):
                ck.report(
                    join(join(path, index), "code"),
                    f"code {code!r} clashes with another option's id or code",
                )
            codes[code] = option.get("id")


def _check_sections(ck: Checker, value: Any, items: dict[str, Mapping]) -> None:
    if not ck.list("sections", value, nonempty=True):
        return
    placed: dict[str, str] = {}
    for index, section in enumerate(value):
        path = join("sections", index)
        if not ck.mapping(path, section):
            continue
        ck.keys(path, section, ("id", "title", "items"), ("description",))
        if "id" in section:
            ck.string(join(path, "id"), section["id"], ID_RE)
        for name in ("title", "description"):
            if name in section:
                ck.text(join(path, name), section[name])
        refs = section.get("items")
        if "items" not in section or not ck.list(join(path, "items"), refs, nonempty=True):
            continue
        for rindex, ref in enumerate(refs):
            rpath = join(join(path, "items"), rindex)
            if not ck.string(rpath, ref):
                continue
            if ref not in items:
                ck.report(rpath, f"unknown item {ref!r}")
            elif ref in placed:
                ck.report(rpath, f"item {ref!r} is already in {placed[ref]}")
            else:
                placed[ref] = path
    ck.unique("sections", value)
    for ident in items:
        if ident not in placed:
            ck.report("sections", f"item {ident!r} is in no section")


def _check_guidance(ck: Checker, value: Any, paths: params.PathTable | None) -> None:
    if not ck.list("guidance", value):
        return
    for index, rule in enumerate(value):
        path = join("guidance", index)
        if not ck.mapping(path, rule):
            continue
        ck.keys(path, rule, ("id", "kind", "when", "text"), ("title", "links"))
        if "id" in rule:
            ck.string(join(path, "id"), rule["id"], OPTION_ID_RE)
        if "kind" in rule:
            ck.one_of(join(path, "kind"), rule["kind"], GUIDANCE_KINDS)
        for name in ("title", "text"):
            if name in rule:
                ck.text(join(path, name), rule[name])
        if "when" in rule:
            validate_condition(rule["when"], join(path, "when"), paths, ck.report)
        links = rule.get("links", [])
        if "links" in rule and ck.list(join(path, "links"), links):
            for lindex, link in enumerate(links):
                ck.string(join(join(path, "links"), lindex), link, LINK_RE)
            if len(set(map(str, links))) != len(links):
                ck.report(join(path, "links"), "duplicate link")
    ck.unique("guidance", value)
