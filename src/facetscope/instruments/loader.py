"""Load instrument definitions (versioned YAML) into immutable dataclasses.

Pure Python, no Django.  A definition is validated by
:func:`facetscope.instruments.schema.validate_definition` before it is built,
so everything here may assume a well-formed document.

Built-in definitions live in ``definitions/<key>/v<N>.yaml``.  Every
definition carries ``content_hash``: the SHA-256 of a canonical JSON form of
the parsed document (keys sorted, no whitespace, integral floats written as
integers), so comments, key order and formatting do not change it and any
change of content does.  Stored responses point at this hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from facetscope.instruments.schema import LEVELS, DefinitionError, validate_definition

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.yaml$")


class UnknownDefinition(LookupError):
    """No built-in definition has this key (or this version)."""


class FrozenMap(Mapping):
    """An immutable, hashable mapping (used for texts and scoring parameters)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping | None = None):
        self._data = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._data) == dict(other)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


Text = FrozenMap


def freeze(value: Any) -> Any:
    """Mappings → :class:`FrozenMap`, lists → tuples, recursively."""
    if isinstance(value, Mapping):
        return FrozenMap({key: freeze(val) for key, val in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(val) for val in value)
    return value


def thaw(value: Any) -> Any:
    """The inverse of :func:`freeze`: plain dicts and lists."""
    if isinstance(value, Mapping):
        return {key: thaw(val) for key, val in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(val) for val in value]
    return value


def localise(text: Mapping[str, str] | None, lang: str, fallback: str = "en") -> str | None:
    """The text in ``lang``, else in ``fallback``."""
    if text is None:
        return None
    return text.get(lang) or text.get(fallback)


@dataclass(frozen=True)
class Option:
    """An option of a choice item, or a row of a likert-type item."""

    id: str
    label: Text
    help: Text | None = None
    facet: str | None = None
    dimensions: tuple[str, ...] = ()
    points: float | None = None
    reverse: bool = False
    exclusive: bool = False
    code: str | None = None
    csv: str | None = None
    acf: str | None = None
    default_rank: int | None = None
    reads_as: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    prompt: Text
    title: Text | None = None
    help: Text | None = None
    required: bool = False
    levels: tuple[str, ...] = LEVELS
    dimensions: tuple[str, ...] = ()
    scale: str | None = None
    options: tuple[Option, ...] = ()
    csv: str | None = None
    acf: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    max_length: int | None = None
    allow_custom: bool = False
    fields: tuple[Item, ...] = ()
    max_entries: int | None = None

    @property
    def rows(self) -> tuple[Option, ...]:
        """Rows of a likert-type item (the same tuple as :attr:`options`)."""
        return self.options

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(f"{self.id}: no option {option_id!r}")

    def field(self, field_id: str) -> Item:
        for sub in self.fields:
            if sub.id == field_id:
                return sub
        raise KeyError(f"{self.id}: no field {field_id!r}")


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    group: str
    facet: str | None = None
    description: Text | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[str, ...]
    description: Text | None = None


@dataclass(frozen=True)
class ScaleValue:
    value: int
    label: Text


@dataclass(frozen=True)
class Scale:
    id: str
    values: tuple[ScaleValue, ...]

    @property
    def minimum(self) -> int:
        return self.values[0].value

    @property
    def maximum(self) -> int:
        return self.values[-1].value


@dataclass(frozen=True)
class Band:
    id: str
    label: Text
    lt: float | None = None  # the band holds scores below this; None for the last band


@dataclass(frozen=True)
class GuidanceRule:
    id: str
    kind: str  # "strength" | "action"
    when: FrozenMap
    text: Text
    title: Text | None = None
    links: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Definition:
    """One validated instrument version.  Equal (and hashed) by content hash."""

    key: str
    version: int
    title: Text
    description: Text
    languages: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    bands: FrozenMap  # band set id → tuple[Band, ...]
    scoring: FrozenMap
    guidance: tuple[GuidanceRule, ...]
    content_hash: str
    canonical_json: str = field(repr=False)
    _items: Mapping[str, Item] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_items", {item.id: item for item in self.items})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Definition) and other.content_hash == self.content_hash

    def __hash__(self) -> int:
        return hash(self.content_hash)

    @property
    def family(self) -> str:
        return self.scoring["family"]

    def item(self, item_id: str) -> Item:
        try:
            return self._items[item_id]
        except KeyError:
            raise KeyError(f"{self.key} v{self.version}: no item {item_id!r}") from None

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items

    def dimension(self, dimension_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(f"{self.key} v{self.version}: no dimension {dimension_id!r}")

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(f"{self.key} v{self.version}: no scale {scale_id!r}")

    def band_for(self, band_set: str, score: float) -> str:
        """Id of the band of ``band_set`` that holds ``score``."""
        bands = self.bands[band_set]
        for band in bands:
            if band.lt is not None and score < band.lt:
                return band.id
        return bands[-1].id

    def items_for_level(self, level: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if level in item.levels)

    def to_data(self) -> dict:
        """The parsed document as plain JSON data."""
        return json.loads(self.canonical_json)


# ------------------------------------------------------------------ canonical form


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(key): _canonical(val) for key, val in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(val) for val in value]
    return value


def canonical_json(data: Any) -> str:
    """Canonical JSON text of parsed definition data."""
    return json.dumps(
        _canonical(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def content_hash(data: Any) -> str:
    """SHA-256 (hex) of :func:`canonical_json` — or a :class:`Definition`'s own hash."""
    if isinstance(data, Definition):
        return data.content_hash
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------- YAML input


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """Safe YAML that rejects duplicate keys instead of keeping the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    result: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be scalars", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, source: str | None = None) -> Any:
    """Parse YAML text; syntax errors and duplicate keys raise :class:`DefinitionError`."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([("", f"invalid YAML: {where}{problem}")], source) from None


# -------------------------------------------------------------------- building


def _opt_text(value: Any) -> Text | None:
    return freeze(value) if value is not None else None


def _dims(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _build_option(raw: Mapping) -> Option:
    return Option(
        id=raw["id"],
        label=freeze(raw["label"]),
        help=_opt_text(raw.get("help")),
        facet=raw.get("facet"),
        dimensions=_dims(raw.get("dimension")),
        points=raw.get("points"),
        reverse=raw.get("reverse", False),
        exclusive=raw.get("exclusive", False),
        code=raw.get("code"),
        csv=raw.get("csv"),
        acf=raw.get("acf"),
        default_rank=raw.get("default_rank"),
        reads_as=raw.get("reads_as"),
    )


def _build_item(raw: Mapping) -> Item:
    options = raw.get("rows") or raw.get("options") or ()
    return Item(
        id=raw["id"],
        type=raw["type"],
        prompt=freeze(raw["prompt"]),
        title=_opt_text(raw.get("title")),
        help=_opt_text(raw.get("help")),
        required=raw.get("required", False),
        levels=tuple(raw.get("levels", LEVELS)),
        dimensions=_dims(raw.get("dimension")),
        scale=raw.get("scale"),
        options=tuple(_build_option(o) for o in options),
        csv=raw.get("csv"),
        acf=raw.get("acf"),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        integer=raw.get("integer", False),
        max_length=raw.get("max_length"),
        allow_custom=raw.get("allow_custom", False),
        fields=tuple(_build_item(f) for f in raw.get("fields", ())),
        max_entries=raw.get("max_entries"),
    )


def load_definition_data(data: Any, source: str | None = None) -> Definition:
    """Validate parsed definition data and build the :class:`Definition`."""
    validate_definition(data, source)
    canonical = canonical_json(data)
    return Definition(
        key=data["key"],
        version=data["version"],
        title=freeze(data["title"]),
        description=freeze(data["description"]),
        languages=tuple(data["languages"]),
        dimensions=tuple(
            Dimension(
                id=d["id"],
                title=freeze(d["title"]),
                group=d["group"],
                facet=d.get("facet"),
                description=_opt_text(d.get("description")),
            )
            for d in data["dimensions"]
        ),
        sections=tuple(
            Section(
                id=s["id"],
                title=freeze(s["title"]),
                items=tuple(s["items"]),
                description=_opt_text(s.get("description")),
            )
            for s in data["sections"]
        ),
        items=tuple(_build_item(item) for item in data["items"]),
        scales=tuple(
            Scale(
                id=s["id"],
                values=tuple(ScaleValue(v["value"], freeze(v["label"])) for v in s["values"]),
            )
            for s in data.get("scales", ())
        ),
        bands=FrozenMap(
            {
                set_id: tuple(
                    Band(id=b["id"], label=freeze(b["label"]), lt=b.get("lt")) for b in bands
                )
                for set_id, bands in data.get("bands", {}).items()
            }
        ),
        scoring=freeze(data["scoring"]),
        guidance=tuple(
            GuidanceRule(
                id=g["id"],
                kind=g["kind"],
                when=freeze(g["when"]),
                text=freeze(g["text"]),
                title=_opt_text(g.get("title")),
                links=tuple(g.get("links", ())),
            )
            for g in data.get("guidance", ())
        ),
        content_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        canonical_json=canonical,
    )


def load_definition_text(text: str, source: str | None = None) -> Definition:
    """Parse, validate and build a definition from YAML (or JSON) text."""
    return load_definition_data(parse_yaml(text, source), source)


def load_definition(path: str | Path) -> Definition:
    """Load one definition file; raises :class:`DefinitionError` listing every problem."""
    path = Path(path)
    return load_definition_text(path.read_text(encoding="utf-8"), str(path))


# -------------------------------------------------------------------- built-ins


def builtin_keys() -> list[str]:
    """Keys of the definitions shipped in ``definitions/``, sorted."""
    if not DEFINITIONS_DIR.is_dir():
        return []
    return sorted(d.name for d in DEFINITIONS_DIR.iterdir() if d.is_dir() and _versions(d))


def builtin_versions(key: str) -> list[int]:
    """Versions shipped for ``key``, ascending (empty when none)."""
    folder = DEFINITIONS_DIR / key
    return _versions(folder) if key in builtin_keys() else []


def _versions(folder: Path) -> list[int]:
    found = (_VERSION_FILE.match(p.name) for p in folder.iterdir() if p.is_file())
    return sorted(int(m.group(1)) for m in found if m)


def load_builtin(key: str, version: int | None = None) -> Definition:
    """A shipped definition; the latest version when ``version`` is None."""
    versions = builtin_versions(key)
    if not versions:
        known = ", ".join(builtin_keys()) or "none"
        raise UnknownDefinition(f"unknown instrument {key!r} (built-in: {known})")
    if version is None:
        version = versions[-1]
    if version not in versions:
        raise UnknownDefinition(
            f"instrument {key!r} has no version {version!r} "
            f"(available: {', '.join(map(str, versions))})"
        )
    return _load_builtin_cached(key, version)


@lru_cache(maxsize=64)
def _load_builtin_cached(key: str, version: int) -> Definition:
    path = DEFINITIONS_DIR / key / f"v{version}.yaml"
    definition = load_definition(path)
    if definition.key != key or definition.version != version:
        raise DefinitionError(
            [
                (
                    "",
                    f"file declares {definition.key!r} v{definition.version}, "
                    f"its path says {key!r} v{version}",
                )
            ],
            str(path),
        )
    return definition
