"""Demo assessment data: two waves of the portfolio-exploration questionnaire.

Answers are generated from plausible profiles (each unit leans towards some
facets; senior managers rate capability higher than staff do), with a fixed
random seed, and go through the same services as real answers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from facetscope.assessments import services
from facetscope.assessments.models import Campaign, Response
from facetscope.instruments.loader import Definition
from facetscope.instruments.scoring import normalize_answers
from facetscope.instruments.selectors import latest_version

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")
FACETS = ("enh", "mis", "ada", "ant")

# How each demo unit leans (added to a neutral answer of 2 on the 0–4 scale).
UNIT_LEANINGS = {
    "Strategy and Foresight": {"ant": 1.3, "mis": 0.6, "enh": -0.6, "ada": 0.0},
    "Digital Services": {"ada": 1.0, "enh": 0.6, "ant": 0.2, "mis": -0.3},
    "Data and Analytics": {"enh": 0.8, "ant": 0.4, "ada": 0.3, "mis": -0.2},
    "Frontline Services": {"enh": 1.0, "ada": 0.5, "ant": -1.0, "mis": -0.4},
    "Northern Region": {"enh": 1.1, "ada": 0.7, "ant": -1.0, "mis": -0.5},
    "Southern Region": {"enh": 0.9, "ada": 0.3, "ant": -0.8, "mis": 0.1},
    "Policy Lab": {"mis": 1.0, "ant": 0.8, "ada": 0.4, "enh": -0.5},
}
PROJECTS = [
    ("Digital front door for permits", "enh", "enh"),
    ("Zero waste public buildings by 2030", "mis", "mis"),
    ("Frontline-led redesign of benefits letters", "ada", "ada"),
    ("Scenarios for an ageing workforce", "ant", "ant"),
    ("AI triage pilot for service requests", "ant", "ada"),
    ("Shared services for payroll", "enh", "mis"),
]


def _clamp(value: float) -> int:
    return max(0, min(4, round(value)))


def generate_answers(
    definition: Definition,
    rng: random.Random,
    *,
    leaning: Mapping[str, float],
    level: str,
    capability: float,
) -> dict[str, Any]:
    """One plausible respondent's answers to any definition (nested answer format)."""
    answers: dict[str, Any] = {}

    def put(item_id: str, value: Any) -> None:
        if "." in item_id:
            group, sub = item_id.split(".", 1)
            answers.setdefault(group, {})[sub] = value
        else:
            answers[item_id] = value

    def lean(option) -> float:
        key = option.facet or (option.dimensions[0] if option.dimensions else None)
        return leaning.get(key, 0.0) if key else 0.0

    for item in definition.items_for_level(level):
        if item.type in ROW_TYPES:
            rows = {}
            for row in item.rows:
                if item.type == "capability_likert_group" or not row.facet:
                    base = capability + (-1.6 if row.reverse else 0) + rng.gauss(0, 0.8)
                    if row.reverse:
                        base = 4 - base
                else:
                    base = 2 + lean(row) + rng.gauss(0, 0.9)
                rows[row.id] = _clamp(base)
            put(item.id, rows)
        elif item.type == "rank":
            order = sorted(item.options, key=lambda o: -(lean(o) + rng.gauss(0, 0.7)))
            put(item.id, {o.id: rank for rank, o in enumerate(order, start=1)})
        elif item.type == "multi_select":
            if item.id == "profile.sector":
                put(item.id, ["public_admin", "information"])
                continue
            picked = [
                o.id
                for o in item.options
                if not o.exclusive and rng.random() < 0.25 + 0.2 * lean(o)
            ]
            exclusive = [o.id for o in item.options if o.exclusive]
            put(item.id, picked or exclusive[:1] or None)
        elif item.type == "yes_no_unsure":
            roll = rng.random() * 4
            put(item.id, "yes" if roll < capability - 0.5 else "unsure" if roll < 3 else "no")
        elif item.type == "single_choice":
            put(item.id, rng.choice(item.options).id)
        elif item.type == "number":
            put(item.id, 420 if item.integer else 420.0)
        elif item.type == "text":
            if item.id == "profile.organisation":
                put(item.id, "Agency for Public Services")
            elif item.id == "profile.country":
                put(item.id, "New Zealand")
        elif item.type == "repeater":
            entries = []
            for title, purpose, driver in rng.sample(PROJECTS, k=rng.randint(0, 2)):
                entries.append(
                    {
                        "title": title,
                        "purpose": purpose,
                        "driver": driver,
                        "priority": rng.choice(["high", "medium", "low"]),
                    }
                )
            if entries:
                put(item.id, entries)
    return answers


def _respond(campaign: Campaign, rng: random.Random, *, unit, level: str) -> Response:
    definition = campaign.instrument_version.definition
    leaning = dict(UNIT_LEANINGS.get(unit.name if unit else "", {}))
    if level == "senior_manager":
        leaning["mis"] = leaning.get("mis", 0) + 0.8
    capability = {"senior_manager": 2.9, "team_lead": 2.3}.get(level, 1.9) + rng.gauss(0, 0.4)
    nested = generate_answers(definition, rng, leaning=leaning, level=level, capability=capability)
    flat = normalize_answers(definition, nested)
    flat.pop("id", None)
    response, _token = services.response_start(campaign=campaign, user=None, language="en")
    services.response_set_profile(response=response, level=level, unit=unit)
    services.response_save(response=response, answers=flat)
    return services.response_submit(response=response)


def demo_campaigns(*, organisation, steward, units: Mapping[str, Any]) -> list[Campaign]:
    """A closed first wave a year ago and an open second wave, answered by link."""
    rng = random.Random(20261123)
    version = latest_version("portfolio-exploration")
    today = timezone.localdate()
    unit_list = list(units.values())
    waves = []
    for title, size, days_ago in (
        ("Portfolio exploration 2025", 32, 365),
        ("Portfolio exploration 2026", 46, 12),
    ):
        campaign = services.campaign_create(
            actor=steward,
            organisation=organisation,
            instrument_version=version,
            title=title,
            opens_on=today,
            closes_on=today + dt.timedelta(days=30),
            audience="link",
            anonymous=True,
            min_group_size=5,
            languages=["en", "fr"],
        )
        for index in range(size):
            level = rng.choices(["individual", "team_lead", "senior_manager"], weights=[5, 3, 2.2])[
                0
            ]
            unit = unit_list[index % len(unit_list)] if rng.random() > 0.08 else None
            response = _respond(campaign, rng, unit=unit, level=level)
            Response.objects.filter(pk=response.pk).update(
                submitted_on=today - dt.timedelta(days=days_ago - index // 4)
            )
        # The demo back-dates its waves so the page shows history.
        Campaign.objects.filter(pk=campaign.pk).update(
            opens_on=today - dt.timedelta(days=days_ago),
            closes_on=today - dt.timedelta(days=days_ago - 28)
            if days_ago > 28
            else today + dt.timedelta(days=16),
        )
        campaign.refresh_from_db()
        if days_ago > 28:
            services.campaign_close(actor=steward, campaign=campaign)
        waves.append(campaign)
    scan = services.campaign_create(
        actor=steward,
        organisation=organisation,
        instrument_version=latest_version("innovation-capacity"),
        title="Innovation capacity scan 2026",
        opens_on=today,
        closes_on=today + dt.timedelta(days=21),
        audience="link",
        anonymous=True,
        min_group_size=5,
        languages=["en", "fr"],
    )
    for index in range(28):
        level = rng.choices(["individual", "team_lead", "senior_manager"], weights=[5, 3, 2])[0]
        _respond(scan, rng, unit=unit_list[index % len(unit_list)], level=level)
    waves.append(scan)
    return waves
