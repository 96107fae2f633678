"""Turning a campaign result into what its page shows: labelled rows, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from facetscope.assessments.choices import Level
from facetscope.assessments.forms import LANGUAGE_NAMES
from facetscope.instruments.loader import Definition, localise
from facetscope.reports.templatetags.charts import facet_labels

FACETS = ("enh", "mis", "ada", "ant")


def score_columns(definition: Definition) -> list[dict[str, str]]:
    """The headline scores of an instrument: (path, label) pairs."""
    lang = get_language() or "en"
    labels = facet_labels()
    if definition.family == "pet":
        cols = [{"path": f"pet_percent.{f}", "label": labels[f] + " %"} for f in FACETS]
        cols.append({"path": "capability.score", "label": _("Capability score")})
        return cols
    return [
        {"path": f"dimensions.{d.id}.percent", "label": localise(d.title, lang) or d.id}
        for d in definition.dimensions
        if d.group != "cell"
    ]


def group_label(key: str, group: dict[str, Any]) -> str:
    kind = group.get("kind")
    if kind == "all":
        return _("Whole organisation")
    if kind == "staff":
        return _("Staff (individual contributors and team leads)")
    if kind == "level":
        level = group.get("level")
        return Level(level).label if level in Level.values else _("Level not stated")
    if kind == "unit":
        return group.get("name", key)
    if kind == "unit_direct":
        return _("%(unit)s (its own staff, without sub-units)") % {"unit": group.get("name")}
    if kind == "unit_none":
        return _("No unit stated")
    if kind == "language":
        return LANGUAGE_NAMES.get(group.get("language"), group.get("language"))
    return key


def _row(key, group, columns, depth=0):
    return {
        "key": key,
        "label": group_label(key, group),
        "depth": depth,
        "suppressed": bool(group.get("suppressed")),
        "n": group.get("n"),
        "values": [(group.get("scores", {}).get(c["path"]) or {}).get("mean") for c in columns],
    }


def breakdowns(data: dict[str, Any], columns) -> list[dict[str, Any]]:
    groups = data["groups"]
    children: dict[str, list[list[str]]] = {}
    for partition in data["partitions"]:
        children.setdefault(partition["parent"], []).append(partition["children"])
    level_rows = [
        _row("level:senior_manager", groups["level:senior_manager"], columns),
        _row("staff", groups["staff"], columns),
        _row("level:team_lead", groups["level:team_lead"], columns, 1),
        _row("level:individual", groups["level:individual"], columns, 1),
    ]
    unit_rows: list[dict[str, Any]] = []

    def walk(key: str, depth: int) -> None:
        unit_rows.append(_row(key, groups[key], columns, depth))
        for part in children.get(key, []):
            for child in part:
                walk(child, depth + 1)

    unit_partition = next(
        (p for p in children.get("all", []) if p and p[-1] == "unit:none"), ["unit:none"]
    )
    for key in unit_partition:
        if groups[key].get("n", 0) or groups[key].get("suppressed"):
            walk(key, 0)
    language_rows = [
        _row(key, groups[key], columns) for key in groups if key.startswith("language:")
    ]
    return [
        {"title": _("By level"), "rows": level_rows},
        {"title": _("By unit"), "rows": unit_rows},
        {"title": _("By language"), "rows": language_rows},
    ]


def spread_rows(definition: Definition, data: dict[str, Any]) -> list[dict[str, Any]]:
    lang = get_language() or "en"
    rows = []
    for entry in data.get("spread", []):
        item = definition.item(entry["item"])
        row = item.option(entry["row"])
        scale = definition.scale(item.scale)
        dist = entry["distribution"]
        rows.append(
            {
                **entry,
                "question": localise(item.title, lang) or localise(item.prompt, lang),
                "statement": localise(row.label, lang),
                "bars": [
                    {"label": localise(v.label, lang), "count": dist.get(str(v.value), 0)}
                    for v in scale.values
                ],
            }
        )
    return rows


def path_label(definition: Definition, path: str) -> str:
    """A reader's name for a score path such as ``pet_percent.enh``."""
    labels = facet_labels()
    parts = path.split(".")
    lang = get_language() or "en"
    if definition.family == "pet" and parts[-1] in labels:
        facet = labels[parts[-1]]
        if parts[0] == "pet_as_coded":
            return _("%(facet)s (as OPSI showed)") % {"facet": facet}
        if parts[0] == "percent":
            return _("%(facet)s (corrected)") % {"facet": facet}
        if parts[0] == "raw":
            return _("%(facet)s (raw points)") % {"facet": facet}
        return _("%(facet)s (PET, intended)") % {"facet": facet}
    if path == "capability.score":
        return _("Capability score (intended)")
    if path == "pet_as_coded.capability.score":
        return _("Capability score (as OPSI showed)")
    if parts[0] == "dimensions" and len(parts) == 3:
        try:
            title = localise(definition.dimension(parts[1]).title, lang) or parts[1]
        except KeyError:
            title = parts[1]
        return f"{title} %" if parts[2] == "percent" else title
    return path


def result_page(campaign, data: dict[str, Any]) -> dict[str, Any]:
    definition = campaign.instrument_version.definition
    columns = score_columns(definition)
    page: dict[str, Any] = {"columns": columns, "family": definition.family}
    if not data["shown"]:
        return page
    overall = data["groups"]["all"]["scores"]
    page["breakdowns"] = breakdowns(data, columns)
    page["spread"] = spread_rows(definition, data)
    headline = {c["path"] for c in columns}
    page["senior_gap"] = [
        {**g, "label": path_label(definition, g["path"])}
        for g in data["senior_gap"]
        if g["path"] in headline
    ]
    page["change"] = [
        {**c, "label": path_label(definition, c["path"])}
        for c in data["change"]
        if c["path"] in headline
    ]
    if definition.family == "pet":

        def means(prefix):
            return {f: (overall.get(f"{prefix}{f}") or {}).get("mean", 0) for f in FACETS}

        page["diamond"] = {
            "intended": means("pet_percent."),
            "as_coded": means("pet_as_coded.pet_percent."),
            "corrected": means("percent."),
        }
        page["facet_rows"] = [
            {
                "label": facet_labels()[f],
                "intended": page["diamond"]["intended"][f],
                "as_coded": page["diamond"]["as_coded"][f],
                "corrected": page["diamond"]["corrected"][f],
            }
            for f in FACETS
        ]
        page["capability"] = {
            "intended": overall.get("capability.score"),
            "as_coded": overall.get("pet_as_coded.capability.score"),
        }
        page["categories"] = data["groups"]["all"].get("categories", {})
    return page
