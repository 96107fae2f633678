"""Exports of a campaign: pseudonymised raw responses (CSV, XLSX with a codebook) and the
organisation result as JSON. Both pass through the anonymity rule first."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from facetscope.assessments.aggregate import flatten
from facetscope.assessments.choices import ResponseStatus
from facetscope.assessments.models import Campaign, Response
from facetscope.assessments.release import release_attributes
from facetscope.assessments.selectors import campaign_result
from facetscope.instruments.loader import localise
from facetscope.organisations.models import Unit
from facetscope.reports.exporters import ListExporter

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")
FREE_TEXT_TYPES = ("text", "repeater")


def _columns(definition) -> list[dict[str, Any]]:
    """One column per answer cell: likert and rank rows each get their own."""
    cols = []
    for item in definition.items:
        if item.type in ROW_TYPES or item.type == "rank":
            for row in item.options:
                cols.append(
                    {
                        "name": row.csv or f"{item.id}.{row.id}",
                        "item": item,
                        "row": row.id,
                    }
                )
        else:
            cols.append({"name": item.csv or item.id, "item": item, "row": None})
    return cols


def _cell(value: Any, col: dict[str, Any]) -> Any:
    if value is None:
        return None
    if col["row"] is not None:
        return value.get(col["row"]) if isinstance(value, dict) else None
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False)
        return "; ".join(str(v) for v in value)
    return value


class ResponsesExporter(ListExporter):
    """Submitted responses, one row each, under a pseudonym; nothing if below the threshold."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.definition = campaign.instrument_version.definition
        self.title = f"responses-{campaign.pk}"
        self.columns = _columns(self.definition)
        self._responses = list(
            Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
            .order_by("pseudonym")
            .values_list(
                "pseudonym",
                "submitted_on",
                "level",
                "unit_id",
                "language",
                "submitted_answers",
                "result",
            )
        )
        units = dict(
            Unit.objects.filter(organisation_id=campaign.organisation_id).values_list(
                "pk", "parent_id"
            )
        )
        self.unit_names = dict(
            Unit.objects.filter(organisation_id=campaign.organisation_id).values_list("pk", "name")
        )
        k = campaign.min_group_size
        self.allowed = len(self._responses) >= k
        self.released = release_attributes(
            [(r[3] if r[3] in units else None, r[2], r[4]) for r in self._responses], units, k
        )
        self.score_paths = sorted({p for r in self._responses for p in flatten(r[6] or {})})

    def headers(self) -> Sequence[str]:
        return [
            "pseudonym",
            "submitted_week",
            "level",
            "unit",
            "language",
            *[c["name"] for c in self.columns],
            *[f"score:{p}" for p in self.score_paths],
        ]

    def rows(self) -> Iterable[Sequence[Any]]:
        if not self.allowed:
            return
        for record, released in zip(self._responses, self.released, strict=True):
            pseudonym, submitted_on, _level, _unit, _lang, answers, result = record
            answers = answers or {}
            year, week, _day = submitted_on.isocalendar()
            cells = []
            for col in self.columns:
                value = _cell(answers.get(col["item"].id), col)
                if col["item"].type in FREE_TEXT_TYPES and not released.free_text:
                    value = None
                cells.append(value)
            scores = flatten(result or {})
            yield [
                pseudonym,
                f"{year}-W{week:02d}",
                released.level or "",
                self.unit_names.get(released.unit_id, "") if released.unit_id else "",
                released.language or "",
                *cells,
                *[scores.get(p) for p in self.score_paths],
            ]

    def sheets(self):
        return [("codebook", ["column", "item", "question", "type", "values"], self._codebook())]

    def _codebook(self):
        lang = "en"
        yield ["pseudonym", "", "A random name for the response; not linked to a person", "", ""]
        yield ["submitted_week", "", "ISO week of submission", "", ""]
        yield ["level", "", "Respondent level, generalised when a group is small", "", ""]
        yield ["unit", "", "Unit, generalised to a parent unit when a group is small", "", ""]
        yield ["language", "", "Language of the questionnaire", "", ""]
        for col in self.columns:
            item = col["item"]
            question = localise(item.prompt, lang) or ""
            if col["row"]:
                question += " — " + (localise(item.option(col["row"]).label, lang) or "")
            if item.scale:
                values = "; ".join(
                    f"{v.value} = {localise(v.label, lang)}"
                    for v in self.definition.scale(item.scale).values
                )
            elif item.options:
                values = "; ".join(f"{o.id} = {localise(o.label, lang)}" for o in item.options)
            else:
                values = ""
            yield [col["name"], item.id, question, item.type, values]
        for path in self.score_paths:
            yield [f"score:{path}", "", "Score computed by Facetscope", "number", ""]


def result_document(campaign: Campaign) -> dict[str, Any]:
    version = campaign.instrument_version
    return {
        "campaign": {
            "id": campaign.pk,
            "title": campaign.title,
            "opens_on": campaign.opens_on.isoformat(),
            "closes_on": campaign.closes_on.isoformat(),
            "anonymous": campaign.anonymous,
            "min_group_size": campaign.min_group_size,
        },
        "instrument": {
            "key": version.key,
            "version": version.version,
            "content_hash": version.content_hash,
        },
        "generated_at": timezone.now().isoformat(),
        "result": campaign_result(campaign=campaign),
    }
