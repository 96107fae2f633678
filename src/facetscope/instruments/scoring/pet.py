"""Scoring of OPSI's Portfolio Exploration Tool (PET), module 1 and module 2.

Follows ``shared/instruments/portfolio-exploration-codebook.md``:

* facet raw scores (§3): likert rows r, half-weight rows r × ½, ranks 1..4 →
  4, 2, 1, 0, multi-select options their digit (*intended*) or 0 (*as coded*);
* ``pet_percent = round(raw / 64 × 100)`` with PHP's rounding (half away from
  zero), one divisor for every facet (§3.5);
* the tendency group from the set of facets at ≥ 50 % (§3.6);
* capability (§4): 16 + yes/no/unsure points + likert sub-items, either
  sign × r (*intended*) or 1 per answered sub-item (*as coded*), banded
  low < 36 ≤ medium < 72 ≤ high;
* ``percent``: corrected figures — the intended raw score with the q2 tags
  set to what the options read as (``reads_as``), divided by the facet's own
  achievable maximum (64/64/64/60), × 100, rounded (same rule) to
  ``corrected.decimals`` (1) places;
* ``projects``: module-2 zones (``zones.py``).

All arithmetic is exact: amounts are integers in units of ``1 / scale`` (the
common denominator of every weight and point, 2 for PET), and each figure is
rounded from an exact ratio of integers.  The parameters come from the
definition's ``scoring`` section.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from facetscope.instruments.scoring.zones import zone_for

if TYPE_CHECKING:
    from facetscope.instruments.loader import Definition

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")


def round_half_away(value: Fraction | float | int, decimals: int = 0) -> Fraction:
    """Round the exact value half away from zero, like PHP's ``round()`` (12.5 → 13)."""
    exact = value if isinstance(value, Fraction) else Fraction(value)
    return _round_ratio(exact.numerator, exact.denominator, decimals)


def _round_ratio(numerator: int, denominator: int, decimals: int = 0) -> Fraction:
    """``numerator / denominator`` (denominator > 0) rounded half away from zero."""
    unit = 10**decimals
    scaled = abs(numerator) * unit
    magnitude = (2 * scaled + denominator) // (2 * denominator)
    return Fraction(magnitude if numerator >= 0 else -magnitude, unit)


def _round_ratio_even(numerator: int, denominator: int, decimals: int = 0) -> Fraction:
    """Banker's rounding (Python's ``round``) of ``numerator / denominator``."""
    return Fraction(round(Fraction(numerator, denominator), decimals))


#: ``scoring.rounding`` → ``f(numerator, denominator, decimals) -> Fraction``
ROUNDERS = {"half_away_from_zero": _round_ratio, "half_even": _round_ratio_even}


@dataclass(frozen=True)
class _FacetOption:
    id: str
    facet: str
    reads_as: str
    points: int  # intended points of a multi-select option, × plan.scale
    exclusive: bool = False


@dataclass(frozen=True)
class _FacetItem:
    id: str
    type: str
    options: tuple[_FacetOption, ...]
    weight: int  # likert rows: points per response step, × plan.scale
    scale_max: int


@dataclass(frozen=True)
class _Plan:
    """PET scoring parameters of one definition.

    Every amount is an integer multiple of ``1 / scale`` (``scale`` is the
    common denominator of all weights and points: 2 for PET), so sums are
    exact integer arithmetic and only the final figures become fractions.
    """

    facets: tuple[str, ...]
    scale: int
    divisor: Fraction
    rounder: Any
    rank_points: tuple[int, ...]
    facet_items: tuple[_FacetItem, ...]
    yes_no: tuple[tuple[str, Mapping[str, int]], ...]  # item id, option → points
    capability_rows: tuple[tuple[str, Mapping[str, bool]], ...]  # item id, row → reverse
    threshold: float
    groups: Mapping[frozenset[str], str]
    offset: int
    band_set: str
    variants: Mapping[str, Mapping[str, str]]
    corrected: Mapping[str, Any] | None
    projects: str | None
    maxima: Mapping[tuple[str, bool], Mapping[str, int]]  # (multi mode, retag) → facet → max


def _common_scale(values) -> int:
    scale = 1
    for value in values:
        scale = math.lcm(scale, Fraction(value).denominator)
    return scale


@lru_cache(maxsize=32)
def plan(definition: Definition) -> _Plan:
    """Everything PET scoring needs from a definition, computed once per definition."""
    s = definition.scoring
    facets = tuple(s["facets"])
    cap_dim = s["capability"]["dimension"]
    amounts = [s["half_weight"], s["capability"]["offset"], *s["rank_points"]]
    amounts += [o.points or 0 for item in definition.items for o in item.options]
    scale = _common_scale(amounts)

    def scaled(value) -> int:
        return int(Fraction(value or 0) * scale)

    facet_items, yes_no, capability_rows = [], [], []
    for item in definition.items:
        if cap_dim in item.dimensions:
            if item.type == "yes_no_unsure":
                yes_no.append((item.id, {o.id: scaled(o.points) for o in item.options}))
            elif item.type == "capability_likert_group":
                capability_rows.append((item.id, {o.id: o.reverse for o in item.options}))
            continue
        if item.type not in ("likert_group", "half_likert_group", "rank", "multi_select"):
            continue
        options = tuple(
            _FacetOption(o.id, o.facet, o.reads_as or o.facet, scaled(o.points), o.exclusive)
            for o in item.options
            if o.facet in facets
        )
        if options:
            scale_max = definition.scale(item.scale).maximum if item.scale else 0
            weight = scaled(s["half_weight"] if item.type == "half_likert_group" else 1)
            facet_items.append(_FacetItem(item.id, item.type, options, weight, scale_max))
    rank_points = tuple(scaled(points) for points in s["rank_points"])
    maxima = {
        (mode, retag): _facet_maxima(facets, facet_items, rank_points, mode, retag)
        for mode in ("option_points", "zero")
        for retag in (False, True)
    }
    return _Plan(
        facets=facets,
        scale=scale,
        divisor=Fraction(s["divisor"]),
        rounder=ROUNDERS[s.get("rounding", "half_away_from_zero")],
        rank_points=rank_points,
        facet_items=tuple(facet_items),
        yes_no=tuple(yes_no),
        capability_rows=tuple(capability_rows),
        threshold=s["tendency"]["threshold"],
        groups={frozenset(g["facets"]): g["key"] for g in s["tendency"]["groups"]},
        offset=scaled(s["capability"]["offset"]),
        band_set=s["capability"]["bands"],
        variants=s["variants"],
        corrected=s.get("corrected"),
        projects=s.get("projects"),
        maxima=maxima,
    )


def facet_raw(
    p: _Plan, answers: Mapping[str, Any], multi_select: str, retag: bool = False
) -> dict[str, Fraction]:
    """Raw facet points; ``multi_select`` is ``option_points`` or ``zero``."""
    raw = _raw_scaled(p, answers, multi_select, retag)
    return {facet: Fraction(total, p.scale) for facet, total in raw.items()}


def _raw_scaled(p: _Plan, answers: Mapping[str, Any], multi_select: str, retag: bool) -> dict:
    raw = dict.fromkeys(p.facets, 0)
    rank_points = p.rank_points
    for item in p.facet_items:
        answer = answers.get(item.id)
        if not answer:
            continue
        kind = item.type
        if kind == "multi_select" and multi_select != "option_points":
            continue
        for option in item.options:
            facet = option.reads_as if retag else option.facet
            if kind == "multi_select":
                if option.id in answer:
                    raw[facet] += option.points
            elif kind == "rank":
                raw[facet] += rank_points[answer[option.id] - 1]
            else:
                response = answer.get(option.id)
                if response is not None:
                    raw[facet] += response * item.weight
    return raw


def facet_maxima(p: _Plan, multi_select: str, retag: bool = False) -> dict[str, Fraction]:
    """Highest raw score each facet can reach on its own (codebook §3.5 table)."""
    return {f: Fraction(v, p.scale) for f, v in p.maxima[(multi_select, retag)].items()}


def _facet_maxima(facets, facet_items, rank_points, multi_select, retag) -> dict[str, int]:
    best = dict.fromkeys(facets, 0)
    ranked = sorted(rank_points, reverse=True)
    for item in facet_items:
        for facet in facets:
            mine = [o for o in item.options if (o.reads_as if retag else o.facet) == facet]
            if not mine:
                continue
            if item.type == "rank":
                best[facet] += sum(ranked[: len(mine)])
            elif item.type == "multi_select":
                if multi_select == "option_points":
                    best[facet] += _multi_max(mine)
            else:
                best[facet] += item.scale_max * item.weight * len(mine)
    return best


def _multi_max(mine: list[_FacetOption]) -> int:
    """Best a facet gets from one multi-select: every positive option, or one exclusive one."""
    together = sum(o.points for o in mine if not o.exclusive and o.points > 0)
    alone = [o.points for o in mine if o.exclusive]
    return max([together, *alone])


def capability(p: _Plan, answers: Mapping[str, Any], mode: str) -> Fraction:
    """Capability score; ``mode`` is ``signed_response`` or ``one_if_answered``."""
    total = p.offset
    for item_id, points in p.yes_no:
        answer = answers.get(item_id)
        if answer is not None:
            total += points[answer]
    for item_id, reverse in p.capability_rows:
        answer = answers.get(item_id)
        if not answer:
            continue
        if mode == "one_if_answered":
            total += len(answer) * p.scale
        else:
            total += sum(-r if reverse[row] else r for row, r in answer.items()) * p.scale
    return Fraction(total, p.scale)


def _number(value: Fraction) -> float:
    return float(value)


def variant(definition: Definition, answers: Mapping[str, Any], name: str) -> dict[str, Any]:
    """``{pet_percent, raw, tendency_group, capability}`` for one scoring variant."""
    p = plan(definition)
    modes = p.variants[name]
    raw = _raw_scaled(p, answers, modes["multi_select"], False)
    # raw / scale / divisor × 100 as one ratio of integers, then rounded
    num, den = 100 * p.divisor.denominator, p.scale * p.divisor.numerator
    percent = {f: int(p.rounder(raw[f] * num, den)) for f in p.facets}
    high = frozenset(f for f in p.facets if percent[f] >= p.threshold)
    score = capability(p, answers, modes["capability_likert"])
    return {
        "pet_percent": percent,
        "raw": {f: raw[f] / p.scale for f in p.facets},
        "tendency_group": p.groups[high],
        "capability": {
            "score": _number(score),
            "band": definition.band_for(p.band_set, score),
        },
    }


def corrected_percent(definition: Definition, answers: Mapping[str, Any]) -> dict[str, float]:
    """Our corrected facet percentages (codebook §3.3 and §3.5)."""
    p = plan(definition)
    conf = p.corrected
    modes = p.variants[conf["variant"]]
    retag = conf.get("retag", "reads_as") == "reads_as"
    raw = _raw_scaled(p, answers, modes["multi_select"], retag)
    decimals = conf.get("decimals", 1)
    if conf.get("maximum", "own") == "own":
        maxima = p.maxima[(modes["multi_select"], retag)]  # scaled like raw
        ratios = {f: (raw[f] * 100, maxima[f]) for f in p.facets}
    else:
        den = p.scale * p.divisor.numerator
        ratios = {f: (raw[f] * 100 * p.divisor.denominator, den) for f in p.facets}
    return {
        f: float(p.rounder(num, den, decimals)) if den else 0.0 for f, (num, den) in ratios.items()
    }


def projects(definition: Definition, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``[{title, zone}]`` for the projects of module 2, in answer order."""
    p = plan(definition)
    if p.projects is None:
        return []
    return [
        {"title": entry.get("title"), "zone": zone_for(entry.get("purpose"), entry.get("driver"))}
        for entry in answers.get(p.projects) or ()
    ]


def score_pet(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The full result for normalised answers, keys in the codebook's order."""
    result: dict[str, Any] = {}
    if "id" in answers:
        result["id"] = answers["id"]
    result.update(variant(definition, answers, "intended"))
    result["pet_as_coded"] = variant(definition, answers, "as_coded")
    if plan(definition).corrected is not None:
        result["percent"] = corrected_percent(definition, answers)
    result["projects"] = projects(definition, answers)
    return result
