"""Generic dimension scoring for likert-type instruments (family ``likert``).

Meant for instruments such as ``innovation-capacity`` (determinants × levels)
and ``innovation-management`` (six actions): every answered row of a
``likert_group``, ``half_likert_group`` or ``capability_likert_group`` feeds
the dimensions named on the row (or, failing that, on its item).  A
``reverse`` row counts as ``min + max − r``.

Result::

    {"dimensions": {<id>: {"mean": float | None,      # on the item's scale
                           "percent": float | None,   # 0 = all at scale minimum, 100 = maximum
                           "band": str | None,        # from scoring.bands, applied to percent
                           "answered": int}}}

Dimensions nobody answered have ``None`` values and ``answered`` 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from facetscope.instruments.scoring.pet import round_half_away

if TYPE_CHECKING:
    from facetscope.instruments.loader import Definition

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")


def row_value(response: int, low: int, high: int, reverse: bool) -> int:
    """A response on its scale, reversed (``low + high − r``) for reverse rows."""
    return low + high - response if reverse else response


def score_likert(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    decimals = definition.scoring.get("decimals", 1)
    band_set = definition.scoring.get("bands")
    values: dict[str, list[Fraction]] = {d.id: [] for d in definition.dimensions}
    positions: dict[str, list[Fraction]] = {d.id: [] for d in definition.dimensions}
    for item in definition.items:
        if item.type not in ROW_TYPES or not answers.get(item.id):
            continue
        scale = definition.scale(item.scale)
        low, high = scale.minimum, scale.maximum
        for row in item.rows:
            response = answers[item.id].get(row.id)
            if response is None:
                continue
            value = row_value(response, low, high, row.reverse)
            for dim in row.dimensions or item.dimensions:
                values[dim].append(Fraction(value))
                positions[dim].append(Fraction(value - low, high - low))
    result: dict[str, Any] = {}
    for dim in definition.dimensions:
        answered = len(values[dim.id])
        if not answered:
            result[dim.id] = {"mean": None, "percent": None, "band": None, "answered": 0}
            continue
        mean = sum(values[dim.id]) / answered
        percent = sum(positions[dim.id]) / answered * 100
        result[dim.id] = {
            "mean": float(round_half_away(mean, decimals + 1)),
            "percent": float(round_half_away(percent, decimals)),
            "band": definition.band_for(band_set, percent) if band_set else None,
            "answered": answered,
        }
    out: dict[str, Any] = {}
    if "id" in answers:
        out["id"] = answers["id"]
    out["dimensions"] = result
    return out
