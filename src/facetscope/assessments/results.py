"""The organisation result of a campaign (pure Python).

``build_result`` takes the submitted responses as plain records and returns
the whole result — groups by level, unit and language, spread per item, the
gap between senior managers and staff — already passed through the anonymity
rule. The Django selector in ``selectors.py`` only loads records and caches.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from facetscope.assessments.aggregate import column_summaries
from facetscope.assessments.anonymity import Partition, Population, disclosable_groups

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")
STAFF_LEVELS = ("individual", "team_lead")
TOP_SPREAD_ITEMS = 12
# Result keys that hold a category (a band, a zone), also when a result leaves them empty.
CATEGORY_KEYS = ("band", "zone", "tendency_group")


@dataclass(frozen=True)
class Record:
    level: str
    unit_id: int | None
    language: str
    submitted_on: dt.date
    summary: Mapping[str, Any]


def _walk_result(result: Mapping[str, Any]) -> tuple[dict[str, float], dict[str, str]]:
    scores: dict[str, float] = {}
    categories: dict[str, str] = {}

    def walk(value: Mapping[str, Any], prefix: str) -> None:
        for key, sub in value.items():
            path = f"{prefix}{key}"
            if isinstance(sub, Mapping):
                walk(sub, f"{path}.")
            elif isinstance(sub, bool) or key == "id":
                continue
            elif isinstance(sub, str) or (sub is None and key in CATEGORY_KEYS):
                categories[path] = sub
            elif isinstance(sub, int | float) or (sub is None and prefix):
                scores[path] = None if sub is None else float(sub)

    walk(result, "")
    return scores, categories


_COLUMNS: dict[str, tuple[list[str], list[str], list[str]]] = {}


def summary_columns(definition) -> tuple[list[str], list[str], list[str]]:
    """The score paths, category paths and likert rows of an instrument, in a fixed order.

    Taken from scoring an empty questionnaire, so every response of one
    instrument version stores its figures in the same order.
    """
    cached = _COLUMNS.get(definition.content_hash)
    if cached is None:
        from facetscope.instruments.scoring import score_normalized

        empty = score_normalized(definition, {})
        scores, categories = _walk_result(empty)
        rows = [
            f"{item.id}.{row.id}"
            for item in definition.items
            if item.type in ROW_TYPES
            for row in item.rows
        ]
        cached = (sorted(scores), sorted(categories), rows)
        _COLUMNS[definition.content_hash] = cached
    return cached


def summary_of(result: Mapping[str, Any], answers: Mapping[str, Any], definition) -> dict:
    """The flat figures of one response that aggregation needs (stored at submission).

    ``{"v": [score per path], "c": [category per path], "r": [answer per likert row]}``,
    in the order of ``summary_columns``; ``None`` where there is nothing.
    """
    score_paths, category_paths, row_keys = summary_columns(definition)
    scores, categories = _walk_result(result)
    rows = []
    for key in row_keys:
        item_id, row_id = key.rsplit(".", 1)
        answer = answers.get(item_id)
        rows.append(answer.get(row_id) if isinstance(answer, Mapping) else None)
    return {
        "v": [scores.get(p) for p in score_paths],
        "c": [categories.get(p) for p in category_paths],
        "r": rows,
    }


def _matrix(lists: list[list[Any]], width: int) -> np.ndarray:
    if not lists:
        return np.empty((0, width))
    array = np.array(lists, dtype=object).reshape(len(lists), width)
    array[array == None] = np.nan  # noqa: E711  (element-wise comparison)
    return array.astype(float)


class _Table:
    """All respondents' figures as matrices, built once per result."""

    def __init__(self, records: Sequence[Record], definition):
        self.paths, self.category_paths, self.row_keys = summary_columns(definition)
        summaries = [r.summary or {} for r in records]
        empty_v = [None] * len(self.paths)
        empty_r = [None] * len(self.row_keys)
        self.numbers = _matrix([s.get("v") or empty_v for s in summaries], len(self.paths))
        self.rows = _matrix([s.get("r") or empty_r for s in summaries], len(self.row_keys))
        self.categories = {}
        for j, path in enumerate(self.category_paths):
            values = [(s.get("c") or [None] * len(self.category_paths))[j] for s in summaries]
            labels = sorted({v for v in values if v is not None})
            code = {label: i for i, label in enumerate(labels)}
            self.categories[path] = (
                labels,
                np.array([code.get(v, -1) for v in values], dtype=int),
            )

    def figures(self, idx: np.ndarray) -> dict[str, Any]:
        categories = {}
        for path, (labels, codes) in self.categories.items():
            picked = codes[idx]
            counts = np.bincount(picked[picked >= 0], minlength=len(labels))
            categories[path] = {labels[i]: int(c) for i, c in enumerate(counts) if c}
        return {
            "n": len(idx),
            "scores": column_summaries(self.numbers[idx], self.paths),
            "categories": categories,
        }


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    parent_id: int | None


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


def _item_spread(table: _Table, definition) -> list[dict[str, Any]]:
    rows = []
    if not table.row_keys:
        return rows
    counts = np.sum(~np.isnan(table.rows), axis=0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(table.rows, axis=0)
        sds = np.nanstd(table.rows, axis=0, ddof=1)
    for j, key in enumerate(table.row_keys):
        if counts[j] < 2:
            continue
        item_id, row_id = key.rsplit(".", 1)
        column = table.rows[:, j]
        values, freq = np.unique(column[~np.isnan(column)], return_counts=True)
        rows.append(
            {
                "item": item_id,
                "row": row_id,
                "n": int(counts[j]),
                "mean": float(means[j]),
                "sd": float(sds[j]),
                "distribution": {str(int(v)): int(c) for v, c in zip(values, freq, strict=True)},
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
    table = _Table(records, definition)
    groups = {
        key: (
            {**meta[key], **table.figures(np.array(idx, dtype=int))}
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
        result["spread"] = _item_spread(table, definition)
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


__all__ = ["Record", "UnitInfo", "build_result", "mean_result", "summary_of"]
