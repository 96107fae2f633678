"""Library items that fit a project: similar cases, and methods for its facet and stage."""

from __future__ import annotations

from facetscope.library.models import LibraryItem
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


def methods_for_project(project, *, limit: int = 5) -> list[LibraryItem]:
    """Toolkits leaning to the project's main facet, those for its stage first."""
    mix = project.mix or {}
    facet = max(FACETS, key=lambda f: mix.get(f, 0)) if mix else None
    stage = STAGE_MAP.get(project.stage)
    toolkits = list(LibraryItem.objects.filter(type="toolkit", organisation__isnull=True))

    def fit(item: LibraryItem) -> tuple:
        facets = item.record.get("facets") or {}
        return (
            -(facets.get(facet, 0) if facet else 0),
            0 if stage in (item.record.get("stages") or []) else 1,
            item.title,
        )

    return sorted(toolkits, key=fit)[:limit]
