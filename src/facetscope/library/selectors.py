"""Reads of the library: one collection's items, its export, free keys, and the
items that fit a project (similar cases, methods for its facet and stage)."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils.text import slugify

from facetscope.library.models import LibraryItem
from facetscope.library.records import write_csv, write_jsonl
from facetscope.library.search import search

# A project's stage → the lifecycle stages of the library.
STAGE_MAP = {
    "idea": "generating_ideas",
    "exploration": "identifying_problems",
    "prototype": "developing_proposals",
    "implementation": "implementation",
    "scaling": "diffusing_lessons",
    "completed": "evaluation",
    "stopped": "evaluation",
}
FACETS = ("enh", "mis", "ada", "ant")


def similar_cases(project, *, limit: int = 5) -> list:
    text = f"{project.title} {project.description} {' '.join(project.tags)}"
    return search(
        text, organisation=project.organisation, filters={"type": "case"}, limit=limit
    ).hits


def methods_for(*, facet: str | None, stage: str | None = None, limit: int = 5) -> list:
    """Shared toolkits that help most with ``facet`` (their share of it), a toolkit for the
    library lifecycle ``stage`` counting a quarter more; best first."""
    toolkits = LibraryItem.objects.filter(type=LibraryItem.TOOLKIT, organisation__isnull=True)

    def fit(item: LibraryItem) -> tuple:
        share = (item.record.get("facets") or {}).get(facet, 0) if facet else 0
        for_stage = 0.25 if stage and stage in (item.record.get("stages") or []) else 0
        return (-(share + for_stage), item.title)

    return sorted(toolkits, key=fit)[:limit]


def project_facet(project) -> tuple[str | None, bool]:
    """The project's main facet and whether it is only suggested (from its description,
    while nobody has placed it); ``(None, False)`` when neither is known."""
    if project.mix:
        return max(FACETS, key=lambda f: project.mix.get(f, 0)), False
    from facetscope.suggest.services import suggestion_for

    suggestion = suggestion_for(project.description)
    return (suggestion["top"], True) if suggestion else (None, False)


def methods_for_project(project, *, facet: str | None = None, limit: int = 5) -> list:
    """Toolkits for the project's stage and ``facet`` (default: :func:`project_facet`)."""
    if facet is None:
        facet, _suggested = project_facet(project)
    return methods_for(facet=facet, stage=STAGE_MAP.get(project.stage), limit=limit)


def library_items(*, organisation=None) -> QuerySet[LibraryItem]:
    """The shared library's items, or ``organisation``'s private ones (never both)."""
    return LibraryItem.objects.filter(organisation=organisation).order_by("key")


def library_export(*, organisation=None, fmt: str) -> str:
    """A collection in the import format (``jsonl`` or ``csv``), as ``facetscope library export``
    writes it; it imports back unchanged."""
    records = [item.as_record() for item in library_items(organisation=organisation)]
    if fmt == "jsonl":
        return write_jsonl(records)
    if fmt == "csv":
        return write_csv(records)
    raise ValueError(f"unknown export format {fmt!r}")


def library_key_for(*, title: str, prefix: str = "", fallback: str = "item") -> str:
    """A key made from ``title`` that no item uses yet: ``vision-zero``, ``vision-zero-2``, …"""
    slug = re.sub(r"[-_]+", "-", slugify(title))[:60].strip("-")
    base = (prefix + (slug or fallback))[:90].strip("-")
    taken = set(LibraryItem.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key
