"""Parameters of each scoring family: their validation and the score paths they output.

The definition schema (``instruments/schema.py``) delegates the ``scoring``
section here.  Each family declares

* ``validate(ck, scoring, context)`` — reports problems through the
  schema's checker (duck-typed: ``report``, ``keys``, ``number`` …), and
* ``paths(scoring, context)`` — the score paths guidance conditions may use,
  with their kind and, for strings, their allowed values.

Families
--------
``pet``
    OPSI Portfolio Exploration Tool scoring (``pet.py``)::

        family: pet
        facets: [enh, mis, ada, ant]
        divisor: 64                      # pet_percent = round(raw / divisor * 100)
        rounding: half_away_from_zero    # PHP round(); or half_even
        rank_points: [4, 2, 1, 0]        # points for rank 1, 2, 3, 4
        half_weight: 0.5                 # half_likert_group rows: r × half_weight
        tendency: {threshold: 50, groups: [{key, facets: [...], label}]}  # all 2^n sets
        capability: {dimension: capability, offset: 16, maximum: 108, bands: capability}
        variants:                        # both required
          intended: {multi_select: option_points, capability_likert: signed_response}
          as_coded: {multi_select: zero, capability_likert: one_if_answered}
        corrected: {variant: intended, retag: reads_as, maximum: own, decimals: 1}
        projects: projects               # a repeater item with purpose/driver fields

``project_facets``
    One project on the two axes (``project_facets.py``)::

        family: project_facets
        purpose: purpose                 # single_choice, options ⊆ enh mis ada ant all
        driver: driver                   # single_choice, options ⊆ enh mis ada ant
        axes: {x: directionality, y: certainty}   # dimension ids
        zone_weight: 2                   # weight of the purpose × driver zone centre
        placed_confidence: 0.2           # confidence from purpose × driver alone
        decimals: 4

``likert``
    Generic dimension means for later instruments (``likert.py``)::

        family: likert
        bands: maturity                  # optional band set applied to percent
        decimals: 1
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from facetscope.instruments.scoring.conditions import NUMBER, STRING, PathTable
from facetscope.portfolio.geometry import ZONES

FACETS = ("enh", "mis", "ada", "ant")
ROUNDINGS = ("half_away_from_zero", "half_even")
MULTI_SELECT_MODES = ("option_points", "zero")
CAPABILITY_MODES = ("signed_response", "one_if_answered")
PET_VARIANTS = ("intended", "as_coded")
FACET_ITEM_TYPES = ("likert_group", "half_likert_group", "rank", "multi_select")
CAPABILITY_ITEM_TYPES = ("yes_no_unsure", "capability_likert_group")

__all__ = ["FAMILIES", "Context", "Family", "PathTable"]


@dataclass(frozen=True)
class Context:
    """What the schema already knows about the rest of the definition."""

    items: Mapping[str, Mapping]  # item id → raw item mapping
    dimensions: set[str]
    bands: Mapping[str, tuple[str, ...]]  # band set id → band ids
    scales: Mapping[str, tuple[int, ...]]


@dataclass(frozen=True)
class Family:
    validate: Callable[[Any, Mapping, Context], None]
    paths: Callable[[Mapping, Context], PathTable]


def _dims(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _item_ref(ck, path: str, ref: Any, ctx: Context, kinds: tuple[str, ...]) -> Mapping | None:
    if not ck.string(path, ref):
        return None
    item = ctx.items.get(ref)
    if item is None:
        ck.report(path, f"unknown item {ref!r}")
        return None
    if item.get("type") not in kinds:
        ck.report(path, f"item {ref!r} must be of type {' or '.join(kinds)}")
        return None
    return item


def _entries(item: Mapping, key: str) -> list[Mapping]:
    """The mappings listed under ``key`` (nothing when it is not a list)."""
    value = item.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _option_ids(item: Mapping, key: str = "options") -> set[str]:
    options = item.get(key)
    if not isinstance(options, list):
        return set()
    return {o["id"] for o in options if isinstance(o, Mapping) and isinstance(o.get("id"), str)}


def _band_ref(ck, path: str, ref: Any, ctx: Context) -> None:
    if ck.string(path, ref) and ref not in ctx.bands:
        ck.report(path, f"unknown band set {ref!r}")


# --------------------------------------------------------------------------- pet


def _validate_pet(ck, s: Mapping, ctx: Context) -> None:
    ck.keys(
        "scoring",
        s,
        (
            "family",
            "facets",
            "divisor",
            "rank_points",
            "half_weight",
            "tendency",
            "capability",
            "variants",
        ),
        ("rounding", "corrected", "projects"),
    )
    facets: tuple[str, ...] = ()
    if "facets" in s and ck.list("scoring.facets", s["facets"], nonempty=True):
        for index, facet in enumerate(s["facets"]):
            ck.one_of(f"scoring.facets[{index}]", facet, FACETS)
        facets = tuple(f for f in s["facets"] if f in FACETS)
        if len(set(facets)) != len(s["facets"]):
            ck.report("scoring.facets", "duplicate facet")
    if "divisor" in s:
        ck.number("scoring.divisor", s["divisor"], minimum=0, exclusive_minimum=True)
    if "rounding" in s:
        ck.one_of("scoring.rounding", s["rounding"], ROUNDINGS)
    if "half_weight" in s:
        ck.number("scoring.half_weight", s["half_weight"], minimum=0, exclusive_minimum=True)
    if "rank_points" in s and ck.list("scoring.rank_points", s["rank_points"], nonempty=True):
        for index, points in enumerate(s["rank_points"]):
            ck.number(f"scoring.rank_points[{index}]", points)
        for ident, item in ctx.items.items():
            if item.get("type") == "rank" and len(_entries(item, "options")) != len(
                s["rank_points"]
            ):
                ck.report(
                    "scoring.rank_points",
                    f"rank item {ident!r} has {len(_entries(item, 'options'))} options, "
                    f"not {len(s['rank_points'])}",
                )
    if "tendency" in s:
        _validate_tendency(ck, s["tendency"], facets)
    if "capability" in s:
        _validate_capability(ck, s["capability"], ctx)
    if "variants" in s and ck.mapping("scoring.variants", s["variants"]):
        ck.keys("scoring.variants", s["variants"], PET_VARIANTS)
        for name in PET_VARIANTS:
            variant = s["variants"].get(name)
            path = f"scoring.variants.{name}"
            if variant is None or not ck.mapping(path, variant):
                continue
            ck.keys(path, variant, ("multi_select", "capability_likert"))
            if "multi_select" in variant:
                ck.one_of(f"{path}.multi_select", variant["multi_select"], MULTI_SELECT_MODES)
            if "capability_likert" in variant:
                ck.one_of(
                    f"{path}.capability_likert", variant["capability_likert"], CAPABILITY_MODES
                )
    corrected = s.get("corrected")
    if corrected is not None and ck.mapping("scoring.corrected", corrected):
        ck.keys("scoring.corrected", corrected, ("variant",), ("retag", "maximum", "decimals"))
        if "variant" in corrected:
            ck.one_of("scoring.corrected.variant", corrected["variant"], PET_VARIANTS)
        if "retag" in corrected:
            ck.one_of("scoring.corrected.retag", corrected["retag"], ("reads_as", "none"))
        if "maximum" in corrected:
            ck.one_of("scoring.corrected.maximum", corrected["maximum"], ("own", "divisor"))
        decimals = corrected.get("decimals")
        if (
            decimals is not None
            and ck.integer("scoring.corrected.decimals", decimals, minimum=0)
            and decimals > 6
        ):
            ck.report("scoring.corrected.decimals", "must be at most 6")
    if "projects" in s:
        item = _item_ref(ck, "scoring.projects", s["projects"], ctx, ("repeater",))
        if item is not None:
            _check_project_fields(ck, item)
    for ident, item in ctx.items.items():
        cap = s.get("capability")
        dim = cap.get("dimension") if isinstance(cap, Mapping) else None
        if dim in _dims(item.get("dimension")) and item.get("type") not in CAPABILITY_ITEM_TYPES:
            ck.report(
                "scoring.capability.dimension",
                f"item {ident!r} feeds {dim!r} but is a {item.get('type')}",
            )


def _validate_tendency(ck, tendency: Any, facets: tuple[str, ...]) -> None:
    if not ck.mapping("scoring.tendency", tendency):
        return
    ck.keys("scoring.tendency", tendency, ("threshold", "groups"))
    if "threshold" in tendency:
        ck.number("scoring.tendency.threshold", tendency["threshold"])
    groups = tendency.get("groups")
    if groups is None or not ck.list("scoring.tendency.groups", groups, nonempty=True):
        return
    seen: dict[frozenset, int] = {}
    for index, group in enumerate(groups):
        path = f"scoring.tendency.groups[{index}]"
        if not ck.mapping(path, group):
            continue
        ck.keys(path, group, ("key", "facets", "label"))
        if "key" in group:
            ck.string(f"{path}.key", group["key"])
        if "label" in group:
            ck.text(f"{path}.label", group["label"])
        members = group.get("facets")
        if members is None or not ck.list(f"{path}.facets", members):
            continue
        for findex, facet in enumerate(members):
            ck.one_of(f"{path}.facets[{findex}]", facet, facets or FACETS)
        key = frozenset(m for m in members if isinstance(m, str))
        if len(key) != len(members):
            ck.report(f"{path}.facets", "duplicate facet")
        if key in seen:
            ck.report(f"{path}.facets", f"same facet set as groups[{seen[key]}]")
        seen.setdefault(key, index)
    ck.unique("scoring.tendency.groups", groups, what="key")
    expected = {frozenset(c) for n in range(len(facets) + 1) for c in combinations(facets, n)}
    for missing in sorted(expected - set(seen), key=lambda fs: (len(fs), sorted(fs))):
        ck.report(
            "scoring.tendency.groups", f"no group for high facets [{', '.join(sorted(missing))}]"
        )


def _validate_capability(ck, cap: Any, ctx: Context) -> None:
    if not ck.mapping("scoring.capability", cap):
        return
    ck.keys("scoring.capability", cap, ("dimension", "offset", "bands"), ("maximum",))
    dim = cap.get("dimension")
    if (
        dim is not None
        and ck.string("scoring.capability.dimension", dim)
        and dim not in ctx.dimensions
    ):
        ck.report("scoring.capability.dimension", f"unknown dimension {cap['dimension']!r}")
    for name in ("offset", "maximum"):
        if name in cap:
            ck.number(f"scoring.capability.{name}", cap[name])
    if "bands" in cap:
        _band_ref(ck, "scoring.capability.bands", cap["bands"], ctx)


def _check_project_fields(ck, item: Mapping) -> None:
    fields = {f.get("id"): f for f in _entries(item, "fields") if isinstance(f.get("id"), str)}
    for name, allowed in (("purpose", (*FACETS, "all")), ("driver", FACETS)):
        field = fields.get(name)
        if field is None or field.get("type") != "single_choice":
            ck.report("scoring.projects", f"the repeater needs a single_choice field {name!r}")
        elif not _option_ids(field) <= set(allowed):
            ck.report("scoring.projects", f"{name!r} options must be among {', '.join(allowed)}")


def _pet_paths(s: Mapping, ctx: Context) -> PathTable:
    groups = frozenset(g["key"] for g in s["tendency"]["groups"])
    bands = frozenset(ctx.bands.get(s["capability"]["bands"], ()))
    facets = tuple(s["facets"])
    table: dict[str, tuple[str, frozenset[str] | None]] = {}
    for prefix in ("", "pet_as_coded."):
        for facet in facets:
            table[f"{prefix}pet_percent.{facet}"] = (NUMBER, None)
            table[f"{prefix}raw.{facet}"] = (NUMBER, None)
        table[f"{prefix}tendency_group"] = (STRING, groups)
        table[f"{prefix}capability.score"] = (NUMBER, None)
        table[f"{prefix}capability.band"] = (STRING, bands)
    if "corrected" in s:
        for facet in facets:
            table[f"percent.{facet}"] = (NUMBER, None)
    return table


# ---------------------------------------------------------------- project_facets


def _validate_project_facets(ck, s: Mapping, ctx: Context) -> None:
    ck.keys(
        "scoring",
        s,
        ("family", "purpose", "driver", "axes"),
        ("zone_weight", "placed_confidence", "decimals"),
    )
    refs = {}
    for name, allowed in (("purpose", (*FACETS, "all")), ("driver", FACETS)):
        if name in s:
            item = _item_ref(ck, f"scoring.{name}", s[name], ctx, ("single_choice",))
            if item is not None:
                refs[name] = s[name]
                if not _option_ids(item) <= set(allowed):
                    ck.report(f"scoring.{name}", f"options must be among {', '.join(allowed)}")
    axes: dict[str, str] = {}
    if "axes" in s and ck.mapping("scoring.axes", s["axes"]):
        ck.keys("scoring.axes", s["axes"], ("x", "y"))
        for axis in ("x", "y"):
            dim = s["axes"].get(axis)
            if dim is not None and ck.string(f"scoring.axes.{axis}", dim):
                if dim not in ctx.dimensions:
                    ck.report(f"scoring.axes.{axis}", f"unknown dimension {dim!r}")
                axes[axis] = dim
    if "zone_weight" in s:
        ck.number("scoring.zone_weight", s["zone_weight"], minimum=0)
    if "placed_confidence" in s:
        ck.number("scoring.placed_confidence", s["placed_confidence"], minimum=0, maximum=1)
    if "decimals" in s:
        ck.integer("scoring.decimals", s["decimals"], minimum=0)
    for ident, item in ctx.items.items():
        if ident in refs.values():
            continue
        path = "scoring"
        if item.get("type") != "single_choice":
            ck.report(path, f"further item {ident!r} must be a single_choice")
            continue
        on_axis = set(_dims(item.get("dimension"))) & set(axes.values())
        for option in _entries(item, "options"):
            points = option.get("points")
            if "facet" in option:
                continue
            if not on_axis:
                ck.report(
                    path,
                    f"item {ident!r}: option {option.get('id')!r} needs a facet, "
                    "or the item needs an axis dimension",
                )
            elif (
                not isinstance(points, int | float)
                or isinstance(points, bool)
                or not (-1 <= points <= 1)
            ):
                ck.report(
                    path,
                    f"item {ident!r}: option {option.get('id')!r} needs points "
                    "between -1 and 1 (its position on the axis)",
                )


def _project_facets_paths(s: Mapping, ctx: Context) -> PathTable:
    table: dict[str, tuple[str, frozenset[str] | None]] = {
        "zone": (STRING, frozenset(ZONES)),
        "x": (NUMBER, None),
        "y": (NUMBER, None),
        "confidence": (NUMBER, None),
    }
    for facet in FACETS:
        table[f"mix.{facet}"] = (NUMBER, None)
    return table


# ------------------------------------------------------------------------ likert


def _validate_likert(ck, s: Mapping, ctx: Context) -> None:
    ck.keys("scoring", s, ("family",), ("bands", "decimals"))
    if "bands" in s:
        _band_ref(ck, "scoring.bands", s["bands"], ctx)
    if "decimals" in s:
        ck.integer("scoring.decimals", s["decimals"], minimum=0)


def _likert_paths(s: Mapping, ctx: Context) -> PathTable:
    bands = frozenset(ctx.bands.get(s.get("bands"), ()))
    table: dict[str, tuple[str, frozenset[str] | None]] = {}
    for dim in sorted(ctx.dimensions):
        for name in ("mean", "percent", "answered"):
            table[f"dimensions.{dim}.{name}"] = (NUMBER, None)
        table[f"dimensions.{dim}.band"] = (STRING, bands)
    return table


FAMILIES: Mapping[str, Family] = {
    "pet": Family(_validate_pet, _pet_paths),
    "project_facets": Family(_validate_project_facets, _project_facets_paths),
    "likert": Family(_validate_likert, _likert_paths),
}
