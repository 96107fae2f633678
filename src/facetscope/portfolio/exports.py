"""Portfolio exports: CSV and XLSX through the shared exporter base, and JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from facetscope.portfolio.importing import COLUMNS as IMPORT_COLUMNS
from facetscope.reports.exporters import ListExporter

PV_CELLS = ("individual_good", "individual_fair", "collective_good", "collective_fair")
# The import columns first (an export can be edited and imported back), then the placement.
COLUMNS = (
    *(c for c in IMPORT_COLUMNS if c not in ("purpose", "driver")),
    "zone",
    "x_directed",
    "y_uncertain",
    "mix_enh",
    "mix_mis",
    "mix_ada",
    "mix_ant",
    "confidence",
    "spread",
    *(f"public_value_{c}" for c in PV_CELLS),
)


def project_record(project) -> dict[str, Any]:
    mix = project.mix or {}
    pv = project.public_value or {}
    return {
        "id": project.pk,
        "key": project.key,
        "title": project.title,
        "description": project.description,
        "unit": project.unit.name if project.unit else "",
        "owner_email": project.owner.email if project.owner else "",
        "team": project.team,
        "partners": project.partners,
        "stage": project.stage,
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "budget": float(project.budget) if project.budget is not None else None,
        "fte": float(project.fte) if project.fte is not None else None,
        "funding_source": project.funding_source,
        "policy_goals": project.policy_goals,
        "sdgs": project.sdgs,
        "tags": project.tags,
        "links": project.links,
        "priority": project.priority,
        "placement": {
            "zone": project.zone,
            "x_directed": project.x,
            "y_uncertain": project.y,
            "mix": mix or None,
            "confidence": project.confidence,
            "spread": project.spread,
        },
        "public_value": {c: pv.get(c) for c in PV_CELLS},
    }


def _flat(record: dict[str, Any]) -> list[Any]:
    placement, pv = record["placement"], record["public_value"]
    mix = placement["mix"] or {}

    def joined(values):
        return "; ".join(str(v) for v in values)

    return [
        record["key"],
        record["title"],
        record["description"],
        record["unit"],
        record["owner_email"],
        record["team"],
        joined(record["partners"]),
        record["stage"],
        record["start_date"],
        record["end_date"],
        record["budget"],
        record["fte"],
        record["funding_source"],
        joined(record["policy_goals"]),
        joined(record["sdgs"]),
        joined(record["tags"]),
        joined(record["links"]),
        record["priority"],
        placement["zone"],
        placement["x_directed"],
        placement["y_uncertain"],
        mix.get("enh"),
        mix.get("mis"),
        mix.get("ada"),
        mix.get("ant"),
        placement["confidence"],
        placement["spread"],
        *((pv.get(c) or {}).get("rating") for c in PV_CELLS),
    ]


class ProjectsExporter(ListExporter):
    def __init__(self, projects: Iterable, *, organisation):
        self.records = [project_record(p) for p in projects]
        self.title = f"portfolio-{organisation.slug}"

    def headers(self) -> Sequence[str]:
        return COLUMNS

    def rows(self):
        for record in self.records:
            yield _flat(record)


def projects_document(organisation, projects) -> dict[str, Any]:
    return {
        "organisation": {"slug": organisation.slug, "name": organisation.name},
        "generated_at": timezone.now().isoformat(),
        "projects": [project_record(p) for p in projects],
    }
