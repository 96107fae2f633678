"""Bulk import of projects: preview what a file would create or update, then commit it all.

Parsing and cell checks are in the pure ``importing`` module; this module
resolves units and owners, decides create or update, and writes everything in
one transaction — a file with any bad row changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from facetscope.accounts.models import User
from facetscope.audit.services import audit_record
from facetscope.organisations.models import Unit
from facetscope.portfolio import services
from facetscope.portfolio.importing import parse_projects
from facetscope.portfolio.models import Project, ProjectImport

MAX_BYTES = 20_000_000


@dataclass
class PlannedRow:
    row: int
    action: str  # "create" | "update"
    title: str
    project: Project | None
    fields: dict[str, Any]
    placement: dict[str, str]


def _errors(messages: list[str]) -> ValidationError:
    return ValidationError(messages[:200] + ([_("… and more")] if len(messages) > 200 else []))


def plan_import(*, organisation, data: bytes, filename: str) -> list[PlannedRow]:
    """Parse a file and say, row by row, what it would do; ValidationError lists every problem."""
    units = {u.name: u for u in Unit.objects.filter(organisation=organisation)}
    result = parse_projects(data, filename, known_units=set(units), max_bytes=MAX_BYTES)
    problems = [
        (
            _("row %(row)s, column %(column)s: %(message)s")
            % {"row": e.row, "column": e.column, "message": e.message}
        )
        if e.row is not None
        else e.message
        for e in result.errors
    ]
    existing = list(Project.objects.filter(organisation=organisation).select_related("unit"))
    by_key = {p.key: p for p in existing if p.key}
    by_title = {(p.title.lower(), p.unit.name if p.unit else ""): p for p in existing}
    members = {
        u.email.lower(): u for u in User.objects.filter(memberships__organisation=organisation)
    }
    plan = []
    for number, row in zip(result.row_numbers, result.rows, strict=True):
        row = dict(row)
        placement = {k: row.pop(k) for k in ("purpose", "driver") if row.get(k)}
        row.pop("purpose", None)
        row.pop("driver", None)
        if "unit" in row:
            row["unit"] = units.get(row["unit"]) if row["unit"] else None
        if "owner_email" in row:
            email = row.pop("owner_email")
            row["owner"] = members.get(email.lower()) if email else None
            if email and row["owner"] is None:
                problems.append(
                    _("row %(row)s, column owner_email: %(email)s is not a member")
                    % {"row": number, "email": email}
                )
                continue
        if row.get("key") and row["key"] in by_key:
            project = by_key[row["key"]]
        else:
            unit = row.get("unit")
            project = by_title.get((row["title"].lower(), unit.name if unit else ""))
        try:
            services.check_project_fields(organisation, row)
        except ValidationError as exc:
            problems.extend(
                f"row {number}, column {field}: {' '.join(msgs)}"
                for field, msgs in exc.message_dict.items()
            )
            continue
        plan.append(
            PlannedRow(
                row=number,
                action="update" if project else "create",
                title=row["title"],
                project=project,
                fields=row,
                placement=placement,
            )
        )
    if problems:
        raise _errors(problems)
    if not plan:
        raise ValidationError(_("The file holds no projects."))
    return plan


@transaction.atomic
def import_prepare(*, actor, organisation, data: bytes, filename: str):
    """Check a file and keep it for confirmation; returns the stored upload and its plan."""
    plan = plan_import(organisation=organisation, data=data, filename=filename)
    ProjectImport.objects.filter(organisation=organisation, uploaded_by=actor).delete()
    upload = ProjectImport.objects.create(
        organisation=organisation, uploaded_by=actor, filename=filename[:255], data=data
    )
    return upload, plan


@transaction.atomic
def import_commit(*, actor, upload: ProjectImport) -> dict[str, int]:
    """Apply a previewed file: every row or none."""
    organisation = upload.organisation
    plan = plan_import(organisation=organisation, data=bytes(upload.data), filename=upload.filename)
    created = updated = 0
    for row in plan:
        if row.project is None:
            project = services.project_create(
                actor=actor, organisation=organisation, audit=False, **row.fields
            )
            created += 1
        else:
            project = services.project_update(
                actor=actor, project=row.project, audit=False, **row.fields
            )
            updated += 1
        if row.placement:
            services.project_place(actor=actor, project=project, answers=row.placement, audit=False)
    audit_record(
        action="portfolio.projects.imported",
        actor=actor,
        organisation=organisation,
        payload={"file": upload.filename, "created": created, "updated": updated},
    )
    upload.delete()
    return {"created": created, "updated": updated}
