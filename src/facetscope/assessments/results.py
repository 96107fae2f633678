"""The organisation result of a campaign (pure Python).

``build_result`` takes the submitted responses as plain records and returns
the whole result — groups by level, unit and language, spread per item, the
gap between senior managers and staff — already passed through the anonymity
rule. The Django selector in ``selectors.py`` only loads records and caches.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from facetscope.assessments.aggregate import distribution, flatten, summarise, summarise_results
from facetscope.assessments.anonymity import Partition, Population, disclosable_groups

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")
STAFF_LEVELS = ("individual", "team_lead")
TOP_SPREAD_ITEMS = 12


@dataclass(frozen=True)
class Record:
    level: str
    unit_id: int | None
    language: str
    submitted_on: dt.date
    result: Mapping[str, Any]
    answers: Mapping[str, Any]


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    parent_id: int | None


def _categorical(results: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    columns: dict[str, Counter] = {}

    def walk(value: Mapping[str, Any], prefix: str) -> None:
        for key, sub in value.items():
            path = f"{prefix}{key}"
            if isinstance(sub, Mapping):
                walk(sub, f"{path}.")
            elif isinstance(sub, str) and key != "id":
                columns.setdefault(path, Counter())[sub] += 1

    for result in results:
        walk(result, "")
    return {path: dict(sorted(c.items())) for path, c in sorted(columns.items())}


def _group_figures(records: Sequence[Record]) -> dict[str, Any]:
    results = [r.result for r in records if r.result]
    return {
        "n": len(records),
        "scores": summarise_results(results),
        "categories": _categorical(results),
    }


def _population(records: Sequence[Record], units: Sequence[UnitInfo]):
    """Group members (indices) and the partitions that tie the groups together."""
    members: dict[str, list[int]] = {"all": list(range(len(records)))}
    partitions: list[Partition] = []
    meta: dict[str, dict[str, Any]] = {"all": {"kind": "all"}}

    # Levels: senior managers | staff (individuals + team leads)
    by_level: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        by_level.setdefault(r.level or "unstated", []).append(i)
    staff = [i for lvl in STAFF_LEVELS for i in by_level.get(lvl, [])]
    members["staff"] = staff
    meta["staff"] = {"kind": "staff"}
    top = ["level:senior_manager", "staff"]
    if by_level.get("unstated"):
        top.append("level:unstated")
    for lvl in ("senior_manager", *STAFF_LEVELS, "unstated"):
        members[f"level:{lvl}"] = by_level.get(lvl, [])
        meta[f"level:{lvl}"] = {"kind": "level", "level": lvl}
    partitions.append(Partition("all", top))
    partitions.append(Partition("staff", [f"level:{lvl}" for lvl in STAFF_LEVELS]))

    # Units: subtrees, each split into its direct members and its child subtrees
    children: dict[int | None, list[UnitInfo]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    direct: dict[int | None, list[int]] = {}
    for i, r in enumerate(records):
        direct.setdefault(r.unit_id, []).append(i)

    def subtree(unit: UnitInfo) -> list[int]:
        key = f"unit:{unit.id}"
        kids = sorted(children.get(unit.id, []), key=lambda u: u.name.lower())
        collected = list(direct.get(unit.id, []))
        parts = []
        if kids:
            members[f"{key}:direct"] = list(direct.get(unit.id, []))
            meta[f"{key}:direct"] = {"kind": "unit_direct", "unit": unit.id, "name": unit.name}
            parts.append(f"{key}:direct")
        for kid in kids:
            collected += subtree(kid)
            parts.append(f"unit:{kid.id}")
        if kids:
            partitions.append(Partition(key, parts))
        members[key] = collected
        meta[key] = {"kind": "unit", "unit": unit.id, "name": unit.name, "parent": unit.parent_id}
        return collected

    known = {u.id for u in units}
    tops = sorted(children.get(None, []), key=lambda u: u.name.lower())
    root_units = [f"unit:{u.id}" for u in tops]
    for unit in tops:
        subtree(unit)
    no_unit = [i for i, r in enumerate(records) if r.unit_id is None or r.unit_id not in known]
    members["unit:none"] = no_unit
    meta["unit:none"] = {"kind": "unit_none"}
    partitions.append(Partition("all", [*root_units, "unit:none"]))

    # Languages
    languages = sorted({r.language for r in records})
    for lang in languages:
        members[f"language:{lang}"] = [i for i, r in enumerate(records) if r.language == lang]
        meta[f"language:{lang}"] = {"kind": "language", "language": lang}
    if languages:
        partitions.append(Partition("all", [f"language:{lang}" for lang in languages]))

    population = Population(
        counts={key: len(idx) for key, idx in members.items()}, partitions=partitions
    )
    return members, meta, population


def _item_spread(records: Sequence[Record], definition) -> list[dict[str, Any]]:
    rows = []
    for item in definition.items:
        if item.type not in ROW_TYPES:
            continue
        for row in item.rows:
            values = [
                r.answers[item.id][row.id]
                for r in records
                if isinstance(r.answers.get(item.id), Mapping) and row.id in r.answers[item.id]
            ]
            if len(values) < 2:
                continue
            summary = summarise(values)
            rows.append(
                {
                    "item": item.id,
                    "row": row.id,
                    "n": summary["n"],
                    "mean": summary["mean"],
                    "sd": summary["sd"],
                    "distribution": distribution(values),
                }
            )
    rows.sort(key=lambda r: (-r["sd"], r["item"], r["row"]))
    return rows[:TOP_SPREAD_ITEMS]


def _gap(senior: Mapping[str, Any], staff: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, s in senior["scores"].items():
        t = staff["scores"].get(path)
        if t and s.get("n") and t.get("n"):
            out.append(
                {
                    "path": path,
                    "senior": s["mean"],
                    "staff": t["mean"],
                    "gap": s["mean"] - t["mean"],
                }
            )
    return out


def _weeks(records: Sequence[Record]) -> list[dict[str, Any]]:
    per_week = Counter()
    for r in records:
        year, week, _day = r.submitted_on.isocalendar()
        per_week[f"{year}-W{week:02d}"] += 1
    out, total = [], 0
    for week in sorted(per_week):
        total += per_week[week]
        out.append({"week": week, "count": per_week[week], "cumulative": total})
    return out


def mean_result(group: Mapping[str, Any]) -> dict[str, Any]:
    """A result-shaped dict of a group (means, and the commonest category) for guidance rules."""
    out: dict[str, Any] = {}

    def put(path: str, value: Any) -> None:
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    for path, summary in group.get("scores", {}).items():
        if summary.get("n"):
            put(path, summary["mean"])
    for path, counts in group.get("categories", {}).items():
        if counts:
            put(path, max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0])
    return out


def build_result(
    records: Sequence[Record],
    *,
    units: Sequence[UnitInfo],
    definition,
    k: int,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole organisation result, with hidden groups reduced to a marker."""
    members, meta, population = _population(records, units)
    shown = disclosable_groups(population, k)
    groups = {
        key: (
            {**meta[key], **_group_figures([records[i] for i in idx])}
            if key in shown
            else {**meta[key], "suppressed": True}
        )
        for key, idx in members.items()
    }
    result: dict[str, Any] = {
        "k": k,
        "submitted": len(records),
        "shown": "all" in shown,
        "weeks": _weeks(records),
        "groups": groups,
        "partitions": [
            {"parent": p.parent, "children": list(p.children)} for p in population.partitions
        ],
        "spread": [],
        "senior_gap": [],
        "change": [],
    }
    if "all" in shown:
        result["spread"] = _item_spread(records, definition)
        if "level:senior_manager" in shown and "staff" in shown:
            result["senior_gap"] = _gap(groups["level:senior_manager"], groups["staff"])
        if previous and previous.get("shown"):
            before = previous["groups"]["all"]["scores"]
            result["change"] = [
                {
                    "path": path,
                    "before": before[path]["mean"],
                    "now": s["mean"],
                    "delta": s["mean"] - before[path]["mean"],
                }
                for path, s in groups["all"]["scores"].items()
                if before.get(path, {}).get("n") and s.get("n")
            ]
    return result


__all__ = ["Record", "UnitInfo", "build_result", "flatten", "mean_result"]
