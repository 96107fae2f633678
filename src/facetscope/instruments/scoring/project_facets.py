"""Scoring of ``project-facets``: one project placed on the two facet axes.

Evidence
--------
* ``purpose`` × ``driver`` (PET module 2) give the ``zone`` (``zones.py``);
  its centre (``portfolio/geometry.py``) counts as ``zone_weight`` (2)
  observations on each axis — it is two answers.
* Each further item counts once: an option with a ``facet`` places the
  project at that facet's pole (both axes); otherwise the option's
  ``points`` (−1..1) is a position on the axis of the item's dimension
  (``axes.x`` directionality, ``axes.y`` certainty).
* ``x``/``y`` are the weighted means of the evidence on each axis; an axis
  with no evidence at all sits at 0 (neutral).  ``mix`` is
  :func:`geometry.point_to_mix` of the point.

Confidence (0..1)
-----------------
``coverage`` = share of further items answered.  When purpose × driver
place the project, ``consistency`` = 1 − d/2 with d the distance between the
point of the further items alone (moved onto the diamond) and the zone
centre; confidence = ``placed_confidence`` + (1 − ``placed_confidence``) ×
coverage × consistency.  So purpose and driver alone give 0.2 (coordinates
are then the zone centre), all further items agreeing with them approach 1,
and contradicting them stays low.  Without a zone the further items cannot
be cross-checked: confidence = (1 − ``placed_confidence``) × coverage × ½.
With no evidence at all, ``x``, ``y`` and ``mix`` are ``null`` and
confidence is 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from facetscope.instruments.scoring.zones import zone_for
from facetscope.portfolio.geometry import (
    POLES,
    ZONE_RADIUS,
    distance,
    point_to_mix,
    rounded_mix,
    to_diamond,
    zone_centre,
)

if TYPE_CHECKING:
    from facetscope.instruments.loader import Definition


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def further_evidence(
    definition: Definition, answers: Mapping[str, Any]
) -> tuple[list[float], list[float], int, int]:
    """x contributions, y contributions, further items answered, further items in all."""
    s = definition.scoring
    xdim, ydim = s["axes"]["x"], s["axes"]["y"]
    xs: list[float] = []
    ys: list[float] = []
    answered = total = 0
    for item in definition.items:
        if item.id in (s["purpose"], s["driver"]):
            continue
        total += 1
        choice = answers.get(item.id)
        if choice is None:
            continue
        answered += 1
        option = item.option(choice)
        if option.facet is not None:
            px, py = POLES[option.facet]
            xs.append(px)
            ys.append(py)
            continue
        dims = option.dimensions or item.dimensions
        if xdim in dims:
            xs.append(float(option.points))
        if ydim in dims:
            ys.append(float(option.points))
    return xs, ys, answered, total


def score_project_facets(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    s = definition.scoring
    weight = float(s.get("zone_weight", 2))
    base = float(s.get("placed_confidence", 0.2))
    decimals = s.get("decimals", 4)
    zone = zone_for(answers.get(s["purpose"]), answers.get(s["driver"]))
    centre = zone_centre(zone)
    xs, ys, answered, total = further_evidence(definition, answers)

    def axis(values: list[float], centre_value: float | None) -> float | None:
        num, den = sum(values), float(len(values))
        if centre_value is not None and weight > 0:
            num, den = num + centre_value * weight, den + weight
        return num / den if den else None

    x = axis(xs, centre[0] if centre else None)
    y = axis(ys, centre[1] if centre else None)
    coverage = answered / total if total else 0.0
    if centre is not None:
        qx, qy = _mean(xs), _mean(ys)
        point = to_diamond(centre[0] if qx is None else qx, centre[1] if qy is None else qy)
        consistency = max(0.0, 1.0 - distance(point, centre) / (2 * ZONE_RADIUS))
        confidence = base + (1 - base) * coverage * consistency
    else:
        confidence = (1 - base) * coverage * 0.5
    result: dict[str, Any] = {}
    if "id" in answers:
        result["id"] = answers["id"]
    result["zone"] = zone
    if x is None and y is None:
        result.update(x=None, y=None, mix=None, confidence=0.0)
        return result
    x = 0.0 if x is None else x
    y = 0.0 if y is None else y
    result["x"] = round(x, decimals)
    result["y"] = round(y, decimals)
    result["mix"] = rounded_mix(point_to_mix(x, y), decimals)
    result["confidence"] = round(min(1.0, max(0.0, confidence)), decimals)
    return result
