"""Facet geometry: where a project sits on the two innovation axes.

Pure Python, no Django. Plain numbers in, plain numbers out.

Coordinates
-----------
``x`` is *directionality*: −1 undirected (bottom-up) … +1 directed (top-down).
``y`` is *certainty*: −1 certain (exploiting, incremental) … +1 uncertain
(exploring, radical).

The four facets are the poles of the two axes::

    mis = (+1, 0)   directed pole
    ada = (−1, 0)   undirected pole
    enh = (0, −1)   certain pole
    ant = (0, +1)   uncertain pole

Drawn as OPSI's diamond (mis at the top, enh on the left, ant on the right,
ada at the bottom), ``x`` is the *vertical* axis and ``y`` the *horizontal*
one.  The diamond is the set ``|x| + |y| <= 1``; answers to the axis
questions may land anywhere in the square ``[−1, 1]²``.

Mix
---
:func:`point_to_mix` turns a point into a facet mix summing to 1: the
positive and negative parts of each axis go to its two poles, and whatever
the point lacks in "commitment" (``1 − |x| − |y|``) is shared equally by the
four facets.  The centre is ``0.25`` each, a pole is 100 % its facet, the
middle of an edge is half and half.  Points outside the diamond are first
scaled onto its edge along the same direction (L1 normalisation).
:func:`mix_to_point` is ``x = mis − ada``, ``y = ant − enh``; for any point
inside the diamond ``mix_to_point(point_to_mix(p)) == p``.

Zones
-----
The nine zones of OPSI's module-2 map have centres on the diamond shrunk by
:data:`ZONE_RADIUS` (0.8): facet zones towards their pole, "between" zones
towards the middle of the edge between their two facets, ``mixed`` at the
centre.  ``unplaced`` has no centre.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

FACETS: tuple[str, ...] = ("enh", "mis", "ada", "ant")

POLES: Mapping[str, tuple[float, float]] = {
    "enh": (0.0, -1.0),
    "mis": (1.0, 0.0),
    "ada": (-1.0, 0.0),
    "ant": (0.0, 1.0),
}

ZONE_RADIUS = 0.8

_H = ZONE_RADIUS / 2
ZONE_CENTRES: Mapping[str, tuple[float, float]] = {
    "enhancement": (0.0, -ZONE_RADIUS),
    "mission": (ZONE_RADIUS, 0.0),
    "adaptive": (-ZONE_RADIUS, 0.0),
    "anticipatory": (0.0, ZONE_RADIUS),
    "sustaining": (_H, -_H),  # between enh and mis
    "transformative": (_H, _H),  # between mis and ant
    "disruptive": (-_H, _H),  # between ant and ada
    "optimising": (-_H, -_H),  # between ada and enh
    "mixed": (0.0, 0.0),
}

#: Every zone key, including ``unplaced`` (which has no centre).
ZONES: tuple[str, ...] = (*ZONE_CENTRES, "unplaced")

#: Largest distance between two points of the square ``[−1, 1]²`` divided by 2:
#: the normaliser that makes :attr:`Combined.spread` fall in 0..1.
_MAX_RMS = math.sqrt(2.0)


def clamp_unit(value: float) -> float:
    """Clamp a number into ``[−1, 1]``."""
    return max(-1.0, min(1.0, float(value)))


def to_diamond(x: float, y: float) -> tuple[float, float]:
    """Scale a point of the square onto the diamond along its direction.

    Points already inside the diamond are returned unchanged.
    """
    x, y = clamp_unit(x), clamp_unit(y)
    norm = abs(x) + abs(y)
    if norm <= 1.0:
        return x, y
    return x / norm, y / norm


def point_to_mix(x: float, y: float) -> dict[str, float]:
    """The facet mix of a point; the four shares are ≥ 0 and sum to 1."""
    x, y = to_diamond(x, y)
    rest = max(0.0, 1.0 - abs(x) - abs(y)) / 4
    mix = {
        "enh": max(-y, 0.0) + rest,
        "mis": max(x, 0.0) + rest,
        "ada": max(-x, 0.0) + rest,
        "ant": max(y, 0.0) + rest,
    }
    total = sum(mix.values())
    return {facet: share / total for facet, share in mix.items()}


def mix_to_point(mix: Mapping[str, float]) -> tuple[float, float]:
    """The point of a facet mix (need not be normalised; negative shares are invalid)."""
    shares = {facet: float(mix.get(facet, 0.0) or 0.0) for facet in FACETS}
    if any(share < 0 for share in shares.values()):
        raise ValueError("facet shares must not be negative")
    total = sum(shares.values())
    if total <= 0:
        raise ValueError("a facet mix needs at least one positive share")
    shares = {facet: share / total for facet, share in shares.items()}
    return shares["mis"] - shares["ada"], shares["ant"] - shares["enh"]


def zone_centre(zone: str) -> tuple[float, float] | None:
    """Centre of a zone; ``None`` for ``unplaced``. Unknown zones raise ``KeyError``."""
    if zone == "unplaced":
        return None
    return ZONE_CENTRES[zone]


def distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Euclidean distance between two points."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def nearest_zone(x: float, y: float) -> str:
    """The zone whose centre is nearest to the point (ties: table order)."""
    point = to_diamond(x, y)
    return min(ZONE_CENTRES, key=lambda zone: distance(point, ZONE_CENTRES[zone]))


def rounded_mix(mix: Mapping[str, float], decimals: int = 4) -> dict[str, float]:
    """Round a mix to ``decimals`` places keeping its sum at exactly 1 (largest remainder)."""
    scale = 10**decimals
    scaled = {facet: float(mix.get(facet, 0.0)) * scale for facet in FACETS}
    floors = {facet: math.floor(value) for facet, value in scaled.items()}
    missing = scale - sum(floors.values())
    by_remainder = sorted(FACETS, key=lambda f: (floors[f] - scaled[f], FACETS.index(f)))
    for facet in by_remainder[: max(0, missing)]:
        floors[facet] += 1
    return {facet: floors[facet] / scale for facet in FACETS}


@dataclass(frozen=True)
class Combined:
    """Several people's placements of one project, combined.

    ``spread`` is the (weighted) root-mean-square distance of the placements
    from their mean, divided by √2 so that it runs from 0 (everyone agrees)
    to 1 (two equal camps in opposite corners of the square).
    """

    x: float
    y: float
    mix: dict[str, float]
    spread: float
    n: int

    @property
    def zone(self) -> str:
        return nearest_zone(self.x, self.y)


def combine_placements(
    points: Iterable[Sequence[float]], weights: Iterable[float] | None = None
) -> Combined | None:
    """Combine placements ``(x, y)`` into a mean point, its mix and a spread.

    ``weights`` (e.g. each placement's confidence) default to 1; placements
    with weight 0 are ignored.  Returns ``None`` when nothing is left.
    """
    pts = [(clamp_unit(p[0]), clamp_unit(p[1])) for p in points]
    ws = [1.0] * len(pts) if weights is None else [float(w) for w in weights]
    if len(ws) != len(pts):
        raise ValueError("one weight per placement is needed")
    if any(w < 0 or math.isnan(w) for w in ws):
        raise ValueError("weights must be non-negative numbers")
    pairs = [(p, w) for p, w in zip(pts, ws, strict=True) if w > 0]
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    mx = sum(p[0] * w for p, w in pairs) / total
    my = sum(p[1] * w for p, w in pairs) / total
    mean_sq = sum(w * ((p[0] - mx) ** 2 + (p[1] - my) ** 2) for p, w in pairs) / total
    spread = min(1.0, math.sqrt(mean_sq) / _MAX_RMS)
    return Combined(x=mx, y=my, mix=point_to_mix(mx, my), spread=spread, n=len(pairs))
