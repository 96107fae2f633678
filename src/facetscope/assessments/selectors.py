from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from facetscope.assessments.choices import ResponseStatus
from facetscope.assessments.models import Campaign, Response, ResultCache
from facetscope.assessments.results import Record, UnitInfo, build_result
from facetscope.organisations.models import Unit


def campaigns_for_organisation(*, organisation) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(organisation=organisation)
        .select_related("instrument_version")
        .annotate(
            submitted_count=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED))
        )
    )


def previous_wave(*, campaign: Campaign) -> Campaign | None:
    """The latest earlier campaign of the same instrument in the same organisation."""
    return (
        Campaign.objects.filter(
            organisation_id=campaign.organisation_id,
            instrument_version__key=campaign.instrument_version.key,
            opens_on__lte=campaign.opens_on,
        )
        .exclude(pk=campaign.pk)
        .filter(Q(opens_on__lt=campaign.opens_on) | Q(pk__lt=campaign.pk))
        .order_by("-opens_on", "-pk")
        .first()
    )


def _records(campaign: Campaign) -> list[Record]:
    rows = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED).values_list(
        "level", "unit_id", "language", "submitted_on", "summary"
    )
    return [
        Record(
            level=level,
            unit_id=unit_id,
            language=language,
            submitted_on=submitted_on,
            summary=summary or {},
        )
        for level, unit_id, language, submitted_on, summary in rows
    ]


def _units(campaign: Campaign) -> list[UnitInfo]:
    return [
        UnitInfo(id=pk, name=name, parent_id=parent_id)
        for pk, name, parent_id in Unit.objects.filter(
            organisation_id=campaign.organisation_id
        ).values_list("pk", "name", "parent_id")
    ]


def _fingerprint(campaign: Campaign, previous: Campaign | None) -> str:
    def mark(c: Campaign) -> str:
        agg = Response.objects.filter(campaign=c, status=ResponseStatus.SUBMITTED).aggregate(
            n=Count("pk"), last=Max("pk")
        )
        return f"{c.pk}:{agg['n']}:{agg['last']}:{c.min_group_size}"

    units = Unit.objects.filter(organisation_id=campaign.organisation_id).aggregate(
        n=Count("pk"), last=Max("pk"), parents=Count("parent")
    )
    prev = mark(previous) if previous else "-"
    return f"{mark(campaign)}|{prev}|{units['n']}:{units['last']}:{units['parents']}"


def campaign_result(*, campaign: Campaign, use_cache: bool = True) -> dict[str, Any]:
    """The organisation result, anonymity rule applied; cached until responses change."""
    previous = previous_wave(campaign=campaign)
    fingerprint = _fingerprint(campaign, previous)
    if use_cache:
        cached = ResultCache.objects.filter(campaign=campaign, fingerprint=fingerprint).first()
        if cached is not None:
            return cached.data
    previous_result = (
        campaign_result(campaign=previous, use_cache=use_cache) if previous is not None else None
    )
    data = build_result(
        _records(campaign),
        units=_units(campaign),
        definition=campaign.instrument_version.definition,
        k=campaign.min_group_size,
        previous=previous_result,
    )
    data["previous_campaign"] = (
        {"id": previous.pk, "title": previous.title} if previous is not None else None
    )
    ResultCache.objects.update_or_create(
        campaign=campaign, defaults={"fingerprint": fingerprint, "data": data}
    )
    return data


def response_counts(*, campaign: Campaign) -> dict[str, int]:
    counts = dict(
        Response.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "submitted": counts.get(ResponseStatus.SUBMITTED, 0),
        "in_progress": counts.get(ResponseStatus.IN_PROGRESS, 0),
    }
