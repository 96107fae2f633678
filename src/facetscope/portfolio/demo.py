"""Demo portfolio: realistic projects of the demo agency, placed on the facets."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from facetscope.portfolio import services

# title, unit, stage, purpose, driver, budget (thousands), fte, goals, partners, sdgs, description
PROJECTS = [
    (
        "Digital front door for permits",
        "Digital Services",
        "implementation",
        "enh",
        "enh",
        850,
        6,
        ["Simpler services"],
        ["Municipal association"],
        [16],
        "One online entry point for the twelve most used permits, replacing paper forms.",
    ),
    (
        "Benefits letters in plain language",
        "Frontline Services",
        "scaling",
        "ada",
        "ada",
        120,
        2,
        ["Simpler services", "Inclusion"],
        ["Citizens' panel"],
        [10],
        "Frontline staff and recipients rewrite the letters that caused most calls.",
    ),
    (
        "Net-zero public buildings by 2035",
        "Policy Lab",
        "exploration",
        "mis",
        "mis",
        2400,
        9,
        ["Climate"],
        ["Energy agency", "Property office"],
        [7, 13],
        "A cross-agency programme to cut the emissions of every public building to zero.",
    ),
    (
        "Scenarios for an ageing workforce",
        "Strategy and Foresight",
        "completed",
        "ant",
        "ant",
        90,
        1.5,
        ["Workforce"],
        ["University of Lakeside"],
        [8],
        "Four scenarios of the public workforce in 2040 and what they ask of us now.",
    ),
    (
        "AI triage pilot for service requests",
        "Data and Analytics",
        "prototype",
        "ant",
        "ada",
        300,
        3,
        ["Simpler services"],
        ["Regulator sandbox"],
        [9, 16],
        "Testing whether a language model can route citizens' requests, with human review.",
    ),
    (
        "Shared payroll service",
        "Digital Services",
        "implementation",
        "enh",
        "mis",
        1800,
        8,
        ["Efficiency"],
        ["Treasury"],
        [16],
        "Five agencies move to one payroll platform.",
    ),
    (
        "Pop-up service hubs after the floods",
        "Northern Region",
        "completed",
        "ada",
        "ada",
        60,
        4,
        ["Resilience"],
        ["Red Cross", "Local councils"],
        [11],
        "Staff set up temporary service points in the towns cut off by the floods.",
    ),
    (
        "Reducing waiting times at regional offices",
        "Southern Region",
        "implementation",
        "enh",
        "enh",
        150,
        2,
        ["Simpler services"],
        [],
        [16],
        "Lean redesign of appointment booking and queue handling.",
    ),
    (
        "Mission: no child without a home",
        "Policy Lab",
        "exploration",
        "mis",
        "ant",
        950,
        5,
        ["Inclusion", "Housing"],
        ["Housing NGOs", "Ministry of Social Affairs"],
        [1, 11],
        "A ten-year mission with housing, health and education partners.",
    ),
    (
        "Horizon scanning network",
        "Strategy and Foresight",
        "implementation",
        "ant",
        "ant",
        180,
        2,
        ["Preparedness"],
        ["Other ministries"],
        [17],
        "A monthly scan of weak signals shared across government.",
    ),
    (
        "Open data on service performance",
        "Data and Analytics",
        "scaling",
        "enh",
        "ada",
        220,
        2,
        ["Open government"],
        ["Statistics office"],
        [16],
        "Publishing service metrics every week.",
    ),
    (
        "Co-designed youth employment service",
        "Frontline Services",
        "prototype",
        "ada",
        "ada",
        260,
        3,
        ["Inclusion", "Employment"],
        ["Youth councils", "Employers"],
        [8],
        "Young jobseekers and advisers design the service together, sprint by sprint.",
    ),
    (
        "Regulatory sandbox for drone deliveries",
        "Policy Lab",
        "prototype",
        "ant",
        "ada",
        140,
        1.5,
        ["Preparedness"],
        ["Aviation authority", "Start-ups"],
        [9],
        "Trying rules for medical drone deliveries before legislating.",
    ),
    (
        "Automating invoice checks",
        "Digital Services",
        "completed",
        "enh",
        "enh",
        75,
        1,
        ["Efficiency"],
        [],
        [16],
        "Robotic checks of supplier invoices.",
    ),
    (
        "Citizens' assembly on climate adaptation",
        "Policy Lab",
        "exploration",
        "mis",
        "ada",
        400,
        2,
        ["Climate", "Open government"],
        ["Regional councils"],
        [13, 16],
        "Randomly selected citizens advise on how the regions adapt to heat and floods.",
    ),
    (
        "Future of rural services 2040",
        "Strategy and Foresight",
        "idea",
        "ant",
        "ant",
        40,
        0.5,
        ["Preparedness"],
        ["Rural municipalities"],
        [11],
        "Exploring how services reach villages.",
    ),
    (
        "Predictive maintenance of offices",
        "Data and Analytics",
        "stopped",
        "ant",
        "enh",
        110,
        1,
        ["Efficiency"],
        ["Property office"],
        [9],
        "Sensors to predict building faults.",
    ),
    (
        "One-stop shop for new businesses",
        "Digital Services",
        "scaling",
        "enh",
        "mis",
        1300,
        7,
        ["Simpler services", "Economy"],
        ["Chamber of commerce"],
        [8, 9],
        "All registrations for a new business in one place, in one day.",
    ),
    (
        "Frontline ideas fund",
        "Frontline Services",
        "implementation",
        "ada",
        "ada",
        80,
        1,
        ["Workforce"],
        [],
        [8],
        "Small grants for ideas from staff, tested within three months.",
    ),
    (
        "Halving missed hospital appointments",
        "Southern Region",
        "exploration",
        "mis",
        "mis",
        500,
        3,
        ["Health"],
        ["Health board"],
        [3],
        "Reminders, transport and flexible booking together.",
    ),
    (
        "Heat-wave response for older people",
        "Northern Region",
        "prototype",
        "ada",
        "mis",
        95,
        2,
        ["Resilience", "Health"],
        ["Health board", "Volunteers"],
        [3, 11],
        "Volunteers and staff call older residents during heat waves.",
    ),
    (
        "Digital identity for all services",
        "Digital Services",
        "implementation",
        "mis",
        "enh",
        3100,
        12,
        ["Simpler services"],
        ["Interior ministry"],
        [16],
        "One trusted login for every public service by 2028.",
    ),
]


# Projects registered but not placed yet: a newcomer places them, starting from the
# facet suggestion the description gives.
UNPLACED = [
    (
        "Chat assistant for building consent questions",
        "Digital Services",
        "idea",
        "Builders and home owners call us with the same questions about consents every day. "
        "A chat assistant on the website would answer the common ones at any hour and pass "
        "the rest to an officer, so calls and waiting times go down.",
    ),
    (
        "Workforce 2040: scenarios for an ageing public service",
        "Strategy and Foresight",
        "exploration",
        "A third of our staff can retire within ten years. We will explore scenarios of how "
        "work, skills and technology could change by 2040, watch the signals, and prepare "
        "options before the gap opens.",
    ),
]


def demo_portfolio(*, organisation, steward, units, others) -> list:
    """Create the demo projects, placements by two people, a few decisions, and the intent."""
    rng = random.Random(42)
    today = timezone.localdate()
    projects = []
    for index, row in enumerate(PROJECTS):
        (title, unit, stage, purpose, driver, budget, fte, goals, partners, sdgs, description) = row
        start = today - dt.timedelta(days=60 + 45 * index)
        project = services.project_create(
            actor=steward,
            organisation=organisation,
            title=title,
            description=description,
            unit=units[unit],
            stage=stage,
            budget=Decimal(budget * 1000),
            fte=Decimal(str(fte)),
            policy_goals=goals,
            partners=partners,
            sdgs=sdgs,
            start_date=start,
            end_date=start + dt.timedelta(days=365 * 2),
            priority=rng.choice(["high", "medium", "low"]),
            owner=steward,
            tags=[goals[0].lower()],
        )
        services.project_place(
            actor=steward, project=project, answers={"purpose": purpose, "driver": driver}
        )
        if index % 3 == 0:  # a colleague sees some projects differently
            other = others[index % len(others)]
            second = {"purpose": driver, "driver": driver}
            services.project_place(actor=other, project=project, answers=second)
        projects.append(project)
    for title, unit, stage, description in UNPLACED:
        services.project_create(
            actor=steward,
            organisation=organisation,
            title=title,
            description=description,
            unit=units[unit],
            stage=stage,
            start_date=today,
            owner=steward,
        )
    stopped = next(p for p in projects if p.stage == "stopped")
    services.project_decide(
        actor=steward,
        project=stopped,
        kind="stop",
        reason="The sensors cost more than the faults they prevented.",
        lessons="Start from the failures that cost most, not from the technology.",
    )
    services.project_decide(
        actor=steward,
        project=projects[1],
        kind="scale",
        reason="Calls about letters fell sharply in the pilot region.",
        lessons="Frontline staff know which sentences confuse people.",
    )
    services.project_set_public_value(
        actor=steward,
        project=projects[1],
        scorecard={
            "individual_good": {"rating": 4, "note": "Fewer errors and calls"},
            "individual_fair": {"rating": 3, "note": "Easier for people with low literacy"},
            "collective_good": {"rating": 2, "note": ""},
            "collective_fair": {"rating": 3, "note": "Equal understanding of rights"},
        },
    )
    services.intent_set(
        actor=steward,
        organisation=organisation,
        mix={"enh": 35, "mis": 30, "ada": 20, "ant": 15},
        rationale="Deliver reliable services first, while building towards our two missions "
        "and keeping an eye on what is coming.",
    )
    return projects
