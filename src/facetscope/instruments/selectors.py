from __future__ import annotations

from django.db.models import QuerySet

from facetscope.instruments.models import InstrumentVersion


def campaign_instrument_versions() -> QuerySet[InstrumentVersion]:
    return InstrumentVersion.objects.exclude(key="project-facets").order_by("key", "-version")


def latest_version(key: str) -> InstrumentVersion | None:
    return InstrumentVersion.objects.filter(key=key).order_by("-version").first()
