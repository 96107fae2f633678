"""Writes for projects, their placement on the facets, decisions and strategic intent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facetscope.assessments.answers import clean_nested, nest
from facetscope.audit.services import audit_record
from facetscope.instruments.scoring import AnswerError, score_normalized
from facetscope.instruments.selectors import latest_version
from facetscope.organisations.models import Unit
from facetscope.portfolio import balance, reviews
from facetscope.portfolio.choices import DecisionKind, Priority, Stage
from facetscope.portfolio.geometry import FACETS, combine_placements
from facetscope.portfolio.models import (
    Decision,
    Placement,
    PortfolioReview,
    Project,
    StrategicIntent,
    SynergyReview,
)

PROJECT_FIELDS = (
    "key",
    "title",
    "description",
    "unit",
    "owner",
    "team",
    "partners",
    "stage",
    "start_date",
    "end_date",
    "budget",
    "fte",
    "funding_source",
    "policy_goals",
    "sdgs",
    "tags",
    "links",
    "priority",
)


def _clean_list(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(";")
    return [v.strip() for v in values if str(v).strip()]


def check_project_fields(organisation, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate project fields (as given to ``project_create``); return them cleaned."""
    errors: dict[str, str] = {}
    clean = dict(data)
    clean["title"] = (data.get("title") or "").strip()
    if not clean["title"]:
        errors["title"] = _("Give the project a title.")
    if data.get("stage") and data["stage"] not in Stage.values:
        errors["stage"] = _("Unknown stage %(value)s.") % {"value": repr(data["stage"])}
    if data.get("priority") and data["priority"] not in Priority.values:
        errors["priority"] = _("Unknown priority %(value)s.") % {"value": repr(data["priority"])}
    unit = data.get("unit")
    if unit is not None and unit.organisation_id != organisation.pk:
        errors["unit"] = _("That unit belongs to another organisation.")
    owner = data.get("owner")
    if owner is not None and not owner.memberships.filter(organisation=organisation).exists():
        errors["owner"] = _("The owner must be a member of the organisation.")
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        errors["end_date"] = _("The project cannot end before it starts.")
    for field in ("budget", "fte"):
        value = data.get(field)
        if value is not None and Decimal(value) < 0:
            errors[field] = _("Cannot be negative.")
    for field in ("partners", "policy_goals", "tags", "links"):
        if field in data:
            clean[field] = _clean_list(data[field])
    if "sdgs" in data:
        try:
            sdgs = sorted({int(v) for v in (data["sdgs"] or [])})
        except (TypeError, ValueError):
            sdgs = [0]
        if any(not 1 <= v <= 17 for v in sdgs):
            errors["sdgs"] = _("Sustainable Development Goals are numbered 1 to 17.")
        clean["sdgs"] = sdgs
    for link in clean.get("links", []):
        if not link.startswith(("http://", "https://")):
            errors["links"] = _("Links must start with http:// or https://.")
    if errors:
        raise ValidationError(errors)
    return {k: v for k, v in clean.items() if k in PROJECT_FIELDS}


@transaction.atomic
def project_create(*, actor, organisation, audit: bool = True, **fields) -> Project:
    data = check_project_fields(organisation, fields)
    if data.get("key") and Project.objects.filter(organisation=organisation, key=data["key"]):
        raise ValidationError({"key": _("Another project already has this identifier.")})
    project = Project.objects.create(organisation=organisation, created_by=actor, **data)
    if audit:  # bulk imports record one event for the whole file instead
        audit_record(
            action="portfolio.project.created",
            actor=actor,
            organisation=organisation,
            obj=project,
        )
    return project


@transaction.atomic
def project_update(*, actor, project: Project, audit: bool = True, **fields) -> Project:
    data = check_project_fields(project.organisation, {**_current(project), **fields})
    changed = sorted(k for k, v in data.items() if getattr(project, k) != v)
    for field in changed:
        setattr(project, field, data[field])
    if changed:
        project.save()
    if changed and audit:
        audit_record(
            action="portfolio.project.updated",
            actor=actor,
            organisation=project.organisation,
            obj=project,
            payload={"fields": changed},
        )
    return project


def _current(project: Project) -> dict[str, Any]:
    return {field: getattr(project, field) for field in PROJECT_FIELDS}


@transaction.atomic
def project_set_public_value(*, actor, project: Project, scorecard: Mapping[str, Any]) -> Project:
    """Values at stake: {cell: {"rating": 0..4 or None, "note": str}} for the four cells."""
    cells = ("individual_good", "individual_fair", "collective_good", "collective_fair")
    clean = {}
    for cell in cells:
        entry = scorecard.get(cell) or {}
        rating = entry.get("rating")
        if rating not in (None, "") and (not str(rating).isdigit() or not 0 <= int(rating) <= 4):
            raise ValidationError({cell: _("Rate from 0 (not at stake) to 4 (central).")})
        clean[cell] = {
            "rating": None if rating in (None, "") else int(rating),
            "note": (entry.get("note") or "").strip()[:500],
        }
    project.public_value = clean
    project.save(update_fields=["public_value", "updated_at"])
    audit_record(
        action="portfolio.project.updated",
        actor=actor,
        organisation=project.organisation,
        obj=project,
        payload={"fields": ["public_value"]},
    )
    return project


def _recombine(project: Project) -> None:
    results = [p.result for p in project.placements.all()]
    points = [(r["x"], r["y"]) for r in results if r.get("x") is not None]
    weights = [max(r.get("confidence") or 0, 0.05) for r in results if r.get("x") is not None]
    combined = combine_placements(points, weights) if points else None
    if combined is None:
        zones = {r.get("zone") for r in results}
        project.zone = "mixed" if "mixed" in zones else "unplaced"
        project.x = project.y = project.mix = project.confidence = project.spread = None
    else:
        project.zone = combined.zone
        project.x, project.y = round(combined.x, 4), round(combined.y, 4)
        project.mix = {f: round(combined.mix[f], 4) for f in FACETS}
        project.confidence = round(sum(weights) / len(weights), 4)
        project.spread = round(combined.spread, 4)
    project.save(update_fields=["zone", "x", "y", "mix", "confidence", "spread", "updated_at"])


@transaction.atomic
def project_place(
    *, actor, project: Project, answers: Mapping[str, Any], audit: bool = True
) -> Placement:
    """Record ``actor``'s answers to the project-facets questions and recombine everyone's."""
    version = latest_version("project-facets")
    definition = version.definition
    try:
        clean = clean_nested(definition, nest(dict(answers)))
    except AnswerError as exc:
        raise ValidationError({item: [message] for item, message in exc.errors}) from None
    clean.pop("id", None)
    result = score_normalized(definition, clean)
    placement, _created = Placement.objects.update_or_create(
        project=project,
        placed_by=actor,
        defaults={"answers": clean, "result": result, "instrument_version": version},
    )
    _recombine(Project.objects.select_for_update().get(pk=project.pk))
    project.refresh_from_db()
    if audit:
        audit_record(
            action="portfolio.project.placed",
            actor=actor,
            organisation=project.organisation,
            obj=project,
            payload={"zone": result.get("zone")},
        )
    return placement


@transaction.atomic
def project_decide(
    *,
    actor,
    project: Project,
    kind: str,
    reason: str,
    lessons: str = "",
    decided_on: dt.date | None = None,
) -> Decision:
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Unknown decision %(value)s.") % {"value": repr(kind)}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this was decided.")})
    decision = Decision.objects.create(
        project=project,
        kind=kind,
        reason=reason.strip(),
        lessons=(lessons or "").strip(),
        decided_on=decided_on or timezone.localdate(),
        decided_by=actor,
    )
    new_stage = {DecisionKind.STOP: Stage.STOPPED, DecisionKind.SCALE: Stage.SCALING}.get(kind)
    if new_stage and project.stage != new_stage:
        project.stage = new_stage
        project.save(update_fields=["stage", "updated_at"])
    audit_record(
        action="portfolio.project.decided",
        actor=actor,
        organisation=project.organisation,
        obj=project,
        payload={"kind": kind},
    )
    return decision


@transaction.atomic
def intent_set(
    *, actor, organisation, mix: Mapping[str, Any], rationale: str = ""
) -> StrategicIntent:
    """Record the intended share of effort per facet (percent, summing to 100)."""
    errors = {}
    clean = {}
    for facet in FACETS:
        try:
            clean[facet] = float(mix.get(facet))
        except (TypeError, ValueError):
            errors[facet] = _("Give a percentage from 0 to 100.")
            continue
        if not 0 <= clean[facet] <= 100:
            errors[facet] = _("Give a percentage from 0 to 100.")
    if not errors and abs(sum(clean.values()) - 100) > 0.5:
        errors["__all__"] = _("The four shares must add up to 100 (now %(total)s).") % {
            "total": f"{sum(clean.values()):g}"
        }
    if errors:
        raise ValidationError(errors)
    intent = StrategicIntent.objects.create(
        organisation=organisation, mix=clean, rationale=(rationale or "").strip(), set_by=actor
    )
    audit_record(
        action="portfolio.intent.set",
        actor=actor,
        organisation=organisation,
        obj=intent,
        payload={"mix": clean},
    )
    return intent


def unit_by_name(organisation, name: str) -> Unit | None:
    if not name:
        return None
    return Unit.objects.filter(organisation=organisation, name__iexact=name.strip()).first()


@transaction.atomic
def review_create(
    *,
    actor,
    organisation,
    title: str,
    held_on: dt.date | None = None,
    patterns: str = "",
    gaps: str = "",
    decisions: str = "",
) -> PortfolioReview:
    """Snapshot the portfolio as it stands and record what the review noticed and decided."""
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the review a title.")})
    projects = list(
        Project.objects.filter(organisation=organisation).values(
            "id", "title", "zone", "stage", "mix", "budget", "fte"
        )
    )
    actual = balance.actual_mix(projects, "count")
    review = PortfolioReview.objects.create(
        organisation=organisation,
        title=title.strip(),
        held_on=held_on or timezone.localdate(),
        snapshot=reviews.snapshot(projects, actual.mix),
        patterns=patterns.strip(),
        gaps=gaps.strip(),
        decisions=decisions.strip(),
        created_by=actor,
    )
    audit_record(
        action="portfolio.review.created",
        actor=actor,
        organisation=organisation,
        obj=review,
        payload={"projects": len(projects)},
    )
    return review


@transaction.atomic
def synergy_review(
    *, actor, organisation, first: Project, second: Project, status: str, note: str = ""
) -> SynergyReview:
    """Confirm or dismiss a suggested pair; the same pair again replaces the verdict."""
    if status not in (SynergyReview.CONFIRMED, SynergyReview.DISMISSED):
        raise ValidationError({"status": _("Confirm or dismiss.")})
    if first.pk == second.pk or {first.organisation_id, second.organisation_id} != {
        organisation.pk
    }:
        raise ValidationError(_("Choose two projects of this organisation."))
    a, b = sorted((first, second), key=lambda p: p.pk)
    review, _created = SynergyReview.objects.update_or_create(
        project_a=a,
        project_b=b,
        defaults={
            "organisation": organisation,
            "status": status,
            "note": note.strip()[:500],
            "reviewed_by": actor,
        },
    )
    audit_record(
        action="portfolio.synergy.reviewed",
        actor=actor,
        organisation=organisation,
        obj=review,
        payload={"status": status},
    )
    return review
