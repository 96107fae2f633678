from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from facetscope.portfolio.models import Project, StrategicIntent


def projects_for_organisation(
    *, organisation, filters: Mapping[str, str] | None = None
) -> QuerySet[Project]:
    """The organisation's projects, optionally filtered by unit, stage, tag, goal or text."""
    qs = Project.objects.filter(organisation=organisation).select_related("unit", "owner")
    filters = filters or {}
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("zone"):
        qs = qs.filter(zone=filters["zone"])
    tag, goal = filters.get("tag"), filters.get("goal")
    if tag:
        qs = [p for p in qs if tag.lower() in (t.lower() for t in p.tags)]
    if goal:
        qs = [p for p in qs if goal.lower() in (g.lower() for g in p.policy_goals)]
    if filters.get("q"):
        text = filters["q"]
        if isinstance(qs, QuerySet):
            qs = qs.filter(Q(title__icontains=text) | Q(description__icontains=text))
        else:
            qs = [p for p in qs if text.lower() in (p.title + " " + p.description).lower()]
    return qs


def filter_choices(*, organisation) -> dict[str, list[str]]:
    tags, goals = Counter(), Counter()
    for project_tags, project_goals in Project.objects.filter(
        organisation=organisation
    ).values_list("tags", "policy_goals"):
        tags.update(project_tags or [])
        goals.update(project_goals or [])
    return {"tags": sorted(tags), "goals": sorted(goals)}


def _jitter(pk: int, salt: str, spread: float) -> float:
    """A small, stable offset so projects in one zone do not hide each other."""
    digest = hashlib.sha256(f"{pk}:{salt}".encode()).digest()
    return (digest[0] / 255 - 0.5) * spread


def map_points(projects, *, size_by: str = "budget", colour_by: str = "stage") -> dict[str, Any]:
    """Dots for the portfolio map, with sizes, colour groups and zone counts."""
    placed = [p for p in projects if p.x is not None and p.y is not None]
    if size_by == "priority":
        values = {p.pk: {"high": 3, "medium": 2, "low": 1}.get(p.priority, 1) for p in placed}
    else:
        values = {p.pk: float(getattr(p, size_by) or 0) for p in placed}
    biggest = max(values.values(), default=0) or 1
    # Many projects: smaller dots spread a little wider, so a 500-project map stays readable.
    crowd = len(placed)
    shrink = 1.0 if crowd <= 60 else max(0.45, (60 / crowd) ** 0.5)
    spread = 0.12 * (1 + min(1.5, crowd / 200))
    groups: list[str] = []
    dots = []
    for p in placed:
        group = p.get_stage_display() if colour_by == "stage" else (p.unit.name if p.unit else "—")
        if group not in groups:
            groups.append(group)
        share = values[p.pk] / biggest
        x = max(-1.0, min(1.0, p.x + _jitter(p.pk, "x", spread)))
        y = max(-1.0, min(1.0, p.y + _jitter(p.pk, "y", spread)))
        if abs(x) + abs(y) > 1:
            scale = 1 / (abs(x) + abs(y))
            x, y = x * scale, y * scale
        dots.append(
            {
                "project": p,
                "x": x,
                "y": y,
                "r": (3.5 + 8.5 * share**0.5) * shrink,
                "colour": groups.index(group),
                "group": group,
            }
        )
    zone_counts = Counter(p.zone for p in projects)
    return {
        "dots": dots,
        "groups": groups,
        "zone_counts": dict(zone_counts),
        "unplaced": [p for p in projects if p.x is None],
    }


def current_intent(*, organisation) -> StrategicIntent | None:
    return StrategicIntent.objects.filter(organisation=organisation).first()
