"""Portfolio balance: the intended, stated and actual facet mix, and where they differ.

Pure Python, no Django. Plain data in, plain data out.

Three mixes of the four facets are compared:

* **intended** — the strategic intent a steward sets, in percent summing to
  100 (:func:`check_intended` validates it);
* **stated** — how people describe the portfolio's orientation: the mean
  corrected percentages of a Portfolio Exploration Tool campaign, turned
  into shares by :func:`stated_mix_from_pet`;
* **actual** — the projects themselves: each placed project's facet mix,
  weighted by budget, FTE or simply counted (:func:`actual_mix`).

:func:`compare` accepts each mix as percentages, shares or any non-negative
weights (each is divided by its own total) and reports every figure in
percent and every difference in percentage points. :func:`largest_gaps`
ranks the differences; :func:`suggestions` turns gaps into codes
(``facet``, ``direction``, ``reason``) for the interface to word.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from facetscope.portfolio.geometry import FACETS

WEIGHTS: tuple[str, ...] = ("budget", "fte", "count")

#: The three comparisons, each ``first − second``, in the order they are reported.
COMPARISONS: Mapping[str, tuple[str, str]] = {
    "actual_vs_intended": ("actual", "intended"),
    "stated_vs_intended": ("stated", "intended"),
    "actual_vs_stated": ("actual", "stated"),
}

#: Reason codes of :func:`suggestions`, by comparison and sign of the gap.
REASONS: Mapping[tuple[str, str], str] = {
    ("actual_vs_intended", "more"): "actual_below_intended",
    ("actual_vs_intended", "less"): "actual_above_intended",
    ("stated_vs_intended", "more"): "stated_below_intended",
    ("stated_vs_intended", "less"): "stated_above_intended",
    ("actual_vs_stated", "more"): "actual_below_stated",
    ("actual_vs_stated", "less"): "actual_above_stated",
}

#: Tolerance on the total of an intended mix, in percent.
INTENDED_TOLERANCE = 0.5

_Number = int | float | Decimal | Fraction


def _number(value: Any, what: str) -> float:
    """A finite float from a plain number; ``ValueError`` naming ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, _Number):
        raise ValueError(f"{what} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return number


# --------------------------------------------------------------------------- actual


@dataclass(frozen=True)
class ActualMix:
    """The weighted facet mix of a set of projects, and what was left out.

    ``mix`` is ``None`` when no project could be used. ``unplaced`` counts
    projects without a facet mix; ``no_weight`` counts placed projects whose
    weight (budget or FTE) is missing or zero.
    """

    mix: dict[str, float] | None
    weight: str
    used: int
    unplaced: int
    no_weight: int
    total_weight: float
    excluded: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "excluded", self.unplaced + self.no_weight)


def _project_mix(mix: Any) -> dict[str, float] | None:
    """A project's mix as shares summing to 1; ``None`` when the project is unplaced."""
    if mix is None:
        return None
    if not isinstance(mix, Mapping):
        raise ValueError(f"a project's mix must be a mapping, not {mix!r}")
    unknown = sorted(set(mix) - set(FACETS))
    if unknown:
        raise ValueError(f"unknown facet(s) in a project's mix: {', '.join(map(str, unknown))}")
    shares = {f: _number(mix.get(f, 0.0), f"share of {f!r}") for f in FACETS}
    if any(share < 0 for share in shares.values()):
        raise ValueError("facet shares must not be negative")
    total = math.fsum(shares.values())
    if total <= 0:
        raise ValueError("a project's mix needs at least one positive share")
    return {f: share / total for f, share in shares.items()}


def actual_mix(projects: Iterable[Mapping[str, Any]], weight: str = "budget") -> ActualMix:
    """The facet mix of the portfolio, as shares summing to 1.

    Each project is a mapping with ``mix`` (``{facet: share}`` summing to 1,
    or ``None`` when unplaced) and, for ``weight="budget"`` or ``"fte"``, that
    field (number, ``Decimal`` or ``None``). ``weight="count"`` gives every
    placed project the same weight. Unplaced projects, and placed projects
    with no or a zero weight, are left out and counted. A negative or
    non-numeric weight raises ``ValueError``.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, not {weight!r}")
    parts: dict[str, list[float]] = {f: [] for f in FACETS}
    used = unplaced = no_weight = 0
    weights: list[float] = []
    for project in projects:
        mix = _project_mix(project.get("mix"))
        if mix is None:
            unplaced += 1
            continue
        if weight == "count":
            w = 1.0
        else:
            raw = project.get(weight)
            w = 0.0 if raw is None else _number(raw, weight)
            if w < 0:
                raise ValueError(f"{weight} must not be negative, not {raw!r}")
        if w == 0:
            no_weight += 1
            continue
        used += 1
        weights.append(w)
        for facet in FACETS:
            parts[facet].append(mix[facet] * w)
    total = math.fsum(weights)
    result = None
    if used:
        sums = {f: math.fsum(parts[f]) for f in FACETS}
        grand = math.fsum(sums.values())
        result = {f: sums[f] / grand for f in FACETS}
    return ActualMix(
        mix=result,
        weight=weight,
        used=used,
        unplaced=unplaced,
        no_weight=no_weight,
        total_weight=total,
    )


# --------------------------------------------------------------------------- stated and intended


def stated_mix_from_pet(mean_percent: Mapping[str, Any]) -> dict[str, float]:
    """Shares summing to 1 from the mean corrected PET percentages (each 0..100).

    PET scores each facet on its own 0..100 scale, so the four need not sum to
    100; they are divided by their total. All zero gives equal shares. A
    missing facet, a value outside 0..100 or a non-number raises ``ValueError``.
    """
    values = {}
    for facet in FACETS:
        if facet not in mean_percent or mean_percent[facet] is None:
            raise ValueError(f"missing percentage for facet {facet!r}")
        value = _number(mean_percent[facet], f"percentage of {facet!r}")
        if not 0 <= value <= 100:
            raise ValueError(f"percentage of {facet!r} must be from 0 to 100, not {value:g}")
        values[facet] = value
    total = math.fsum(values.values())
    if total == 0:
        return dict.fromkeys(FACETS, 1 / len(FACETS))
    return {f: v / total for f, v in values.items()}


def check_intended(mix: Mapping[str, Any]) -> dict[str, float]:
    """Validate an intended mix in percent; return it as floats.

    Raises ``ValueError`` naming the problem unless the mix has exactly the
    four facets, each a number from 0 to 100, together 100 (± 0.5).
    """
    if not isinstance(mix, Mapping):
        raise ValueError(f"an intended mix must be a mapping of facet to percent, not {mix!r}")
    missing = [f for f in FACETS if f not in mix]
    if missing:
        raise ValueError(f"missing facet(s): {', '.join(missing)}")
    unknown = sorted(str(k) for k in mix if k not in FACETS)
    if unknown:
        raise ValueError(f"unknown facet(s): {', '.join(unknown)}")
    clean = {}
    for facet in FACETS:
        value = _number(mix[facet], f"percentage of {facet!r}")
        if not 0 <= value <= 100:
            raise ValueError(f"percentage of {facet!r} must be from 0 to 100, not {value:g}")
        clean[facet] = value
    total = math.fsum(clean.values())
    if abs(total - 100) > INTENDED_TOLERANCE:
        raise ValueError(f"the four percentages must add up to 100, not {total:g}")
    return clean


# --------------------------------------------------------------------------- comparing


def _percent(mix: Mapping[str, Any] | None, name: str) -> dict[str, float] | None:
    if mix is None:
        return None
    values = {}
    for facet in FACETS:
        if facet not in mix:
            raise ValueError(f"{name} mix: missing facet {facet!r}")
        values[facet] = _number(mix[facet], f"{name} share of {facet!r}")
        if values[facet] < 0:
            raise ValueError(f"{name} mix: share of {facet!r} must not be negative")
    total = math.fsum(values.values())
    if total <= 0:
        raise ValueError(f"{name} mix needs at least one positive share")
    return {f: 100 * v / total for f, v in values.items()}


def compare(
    intended: Mapping[str, Any] | None,
    stated: Mapping[str, Any] | None,
    actual: Mapping[str, Any] | None,
    *,
    decimals: int = 2,
) -> dict[str, Any]:
    """Compare the three mixes facet by facet, in percent and percentage points.

    Each mix is ``{facet: value}`` in percent, shares or any non-negative
    weights — it is divided by its own total — or ``None`` when not known
    (no intent set, no PET campaign, no placed project); comparisons that
    need a missing mix are ``None``. Returns::

        {"mixes": {"intended": {facet: percent} | None, "stated": …, "actual": …},
         "differences": {"actual_vs_intended": {facet: points} | None,
                         "stated_vs_intended": …, "actual_vs_stated": …}}

    Each difference is *first − second* of its name, rounded to ``decimals``.
    """
    mixes = {
        "intended": _percent(intended, "intended"),
        "stated": _percent(stated, "stated"),
        "actual": _percent(actual, "actual"),
    }
    differences: dict[str, dict[str, float] | None] = {}
    for name, (first, second) in COMPARISONS.items():
        a, b = mixes[first], mixes[second]
        differences[name] = (
            None if a is None or b is None else {f: round(a[f] - b[f], decimals) for f in FACETS}
        )
    return {
        "mixes": {
            name: None if mix is None else {f: round(v, decimals) for f, v in mix.items()}
            for name, mix in mixes.items()
        },
        "differences": differences,
    }


def largest_gaps(
    comparison: Mapping[str, Any], *, min_points: float = 5.0, limit: int | None = None
) -> list[dict[str, Any]]:
    """The differences of :func:`compare` of at least ``min_points``, largest first.

    Each gap is ``{"facet": "ant", "between": "actual_vs_intended", "points": -22.5}``
    (negative: the first of the pair has less of the facet than the second).
    Equal sizes keep the order of :data:`COMPARISONS`, then of ``FACETS``.
    """
    gaps = []
    for between in COMPARISONS:
        diffs = comparison.get("differences", {}).get(between)
        if not diffs:
            continue
        for facet in FACETS:
            points = diffs[facet]
            if abs(points) >= min_points and points != 0:
                gaps.append({"facet": facet, "between": between, "points": points})
    order = {name: i for i, name in enumerate(COMPARISONS)}
    gaps.sort(key=lambda g: (-abs(g["points"]), order[g["between"]], FACETS.index(g["facet"])))
    return gaps if limit is None else gaps[:limit]


def suggestions(gaps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Codes for what to do about gaps, one per facet and direction, in gap order.

    A negative gap suggests ``"more"`` of the facet, a positive one ``"less"``.
    Each suggestion is ``{"facet", "direction", "reason", "points", "also"}``:
    ``reason`` (a code of :data:`REASONS`) and ``points`` come from the first
    (largest) gap for that facet and direction; ``also`` lists the reason codes
    of later gaps pointing the same way. A facet may get both a ``"more"`` and a
    ``"less"`` (e.g. below the intent but above what people say).
    """
    result: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for gap in gaps:
        points = gap["points"]
        if not points:
            continue
        direction = "more" if points < 0 else "less"
        reason = REASONS[(gap["between"], direction)]
        key = (gap["facet"], direction)
        if key in seen:
            seen[key]["also"].append(reason)
            continue
        suggestion = {
            "facet": gap["facet"],
            "direction": direction,
            "reason": reason,
            "points": points,
            "also": [],
        }
        seen[key] = suggestion
        result.append(suggestion)
    return result
