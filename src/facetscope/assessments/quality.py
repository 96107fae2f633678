"""Instrument quality per campaign: Cronbach's alpha and item–total correlations per dimension."""

from __future__ import annotations

from typing import Any

from facetscope.assessments.aggregate import reliability
from facetscope.assessments.choices import ResponseStatus
from facetscope.assessments.models import Campaign
from facetscope.instruments.loader import localise

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")


def _scale_rows(definition) -> dict[str, list[tuple[Any, Any]]]:
    """Dimension (or, without dimensions, item) → its likert rows."""
    scales: dict[str, list[tuple[Any, Any]]] = {}
    for item in definition.items:
        if item.type not in ROW_TYPES:
            continue
        for row in item.rows:
            for dim in row.dimensions or item.dimensions or (item.id,):
                scales.setdefault(dim, []).append((item, row))
    return scales


def campaign_quality(campaign: Campaign, language: str = "en") -> list[dict[str, Any]]:
    """Reliability per scale; only when at least the minimum group size has answered."""
    definition = campaign.instrument_version.definition
    answers = list(
        campaign.responses.filter(status=ResponseStatus.SUBMITTED).values_list(
            "submitted_answers", flat=True
        )
    )
    if len(answers) < campaign.min_group_size:
        return []
    out = []
    for scale_id, rows in _scale_rows(definition).items():
        if len(rows) < 2:
            continue
        matrix = []
        for submitted in answers:
            submitted = submitted or {}
            values = []
            for item, row in rows:
                value = (submitted.get(item.id) or {}).get(row.id)
                if value is not None and row.reverse:
                    scale = definition.scale(item.scale)
                    value = scale.minimum + scale.maximum - value
                values.append(value)
            matrix.append(values)
        stats = reliability(matrix)
        try:
            title = localise(definition.dimension(scale_id).title, language)
        except KeyError:
            title = localise(definition.item(scale_id).title, language) or scale_id
        out.append(
            {
                "id": scale_id,
                "title": title,
                **stats,
                "rows": [
                    {
                        "label": localise(row.label, language),
                        "item_total": r,
                        "weak": i in stats.get("weak_items", []),
                    }
                    for i, ((_item, row), r) in enumerate(
                        zip(rows, stats["item_total"] or [None] * len(rows), strict=True)
                    )
                ],
            }
        )
    return out
