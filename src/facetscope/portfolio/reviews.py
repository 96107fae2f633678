"""Portfolio review snapshots and how two of them differ (pure Python)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any


def snapshot(projects: Iterable[Mapping[str, Any]], actual_mix: Mapping[str, float] | None) -> dict:
    """What a review keeps: each project's zone and stage, counts, and the actual mix."""
    items = [
        {"id": p["id"], "title": p["title"], "zone": p["zone"], "stage": p["stage"]}
        for p in projects
    ]
    return {
        "projects": items,
        "zones": dict(Counter(p["zone"] for p in items)),
        "stages": dict(Counter(p["stage"] for p in items)),
        "actual_mix": dict(actual_mix) if actual_mix else None,
    }


def _delta(now: Mapping[str, int], before: Mapping[str, int]) -> dict[str, int]:
    keys = sorted(set(now) | set(before))
    return {k: now.get(k, 0) - before.get(k, 0) for k in keys if now.get(k, 0) != before.get(k, 0)}


def compare_snapshots(now: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    """Projects added, gone, moved between zones or stages; count and mix changes."""
    current = {p["id"]: p for p in now["projects"]}
    previous = {p["id"]: p for p in before["projects"]}
    moved, restaged = [], []
    for pid in sorted(set(current) & set(previous)):
        a, b = previous[pid], current[pid]
        if a["zone"] != b["zone"]:
            moved.append({"title": b["title"], "from": a["zone"], "to": b["zone"]})
        if a["stage"] != b["stage"]:
            restaged.append({"title": b["title"], "from": a["stage"], "to": b["stage"]})
    mix_change = None
    if now.get("actual_mix") and before.get("actual_mix"):
        mix_change = {
            f: round(100 * (now["actual_mix"][f] - before["actual_mix"][f]), 1)
            for f in now["actual_mix"]
        }
    return {
        "added": [current[i]["title"] for i in sorted(set(current) - set(previous))],
        "gone": [previous[i]["title"] for i in sorted(set(previous) - set(current))],
        "moved": moved,
        "restaged": restaged,
        "zones": _delta(now["zones"], before["zones"]),
        "stages": _delta(now["stages"], before["stages"]),
        "mix_change": mix_change,
    }
