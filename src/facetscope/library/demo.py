"""Demo data for the library: the demo organisation's own lessons, kept as private cases."""

from __future__ import annotations

from facetscope.library.models import LibraryItem
from facetscope.library.records import clean_record
from facetscope.library.services import library_import

# The demo agency's private cases: what it learnt from its own projects.
PRIVATE_CASES = [
    {
        "key": "demo-aps-plain-letters-pilot",
        "title": "Plain-language benefit letters: the northern pilot",
        "summary": "Frontline officers rewrote the six letters that caused most calls, tested "
        "them with twenty clients in the Northern Region and sent them to every new "
        "applicant there for four months.",
        "year": 2025,
        "country": "NZ",
        "level": "national",
        "sectors": ["public_admin_reform"],
        "stage": "evaluation",
        "facets": "enh",
        "tags": ["plain language", "letters", "frontline"],
        "results": "Calls about letters fell by a third in the pilot region; complaints about "
        "unclear decisions almost stopped.",
        "lessons": "Ask the people who answer the phone which sentences confuse callers; test "
        "with clients before legal review, not after.",
    },
    {
        "key": "demo-aps-fault-sensors-stopped",
        "title": "Predictive maintenance sensors: why we stopped",
        "summary": "Sensors were fitted to the service centres' lifts and heating to predict "
        "faults. After eighteen months the agency stopped the project and kept the "
        "maintenance data it had gathered.",
        "year": 2024,
        "country": "NZ",
        "level": "national",
        "sectors": ["public_admin_reform", "digital"],
        "stage": "evaluation",
        "facets": {"enh": 0.4, "ada": 0.6},
        "tags": ["stopping projects", "sensors", "facilities"],
        "results": "Two faults were predicted in eighteen months; the sensors cost more than "
        "the repairs they prevented.",
        "lessons": "Start from the failures that cost most, not from the technology; agree "
        "when to stop before starting.",
    },
    {
        "key": "demo-aps-futures-2040",
        "title": "Public services in 2040: a futures workshop series",
        "summary": "Strategy and Foresight ran four scenario workshops with staff, partner "
        "agencies and community groups on how people will reach public services in "
        "2040, and fed the signals into the digital strategy.",
        "year": 2025,
        "country": "NZ",
        "level": "national",
        "sectors": ["public_admin_reform", "digital"],
        "stage": "identifying_problems",
        "facets": {"ant": 0.7, "mis": 0.3},
        "tags": ["foresight", "scenarios", "digital strategy"],
        "results": "Three scenarios and a list of twelve signals now reviewed every six months.",
        "lessons": "Invite people who will disagree; keep the signals list alive, not the "
        "report.",
    },
]


def demo_library(*, organisation, steward) -> int:
    """Add the demo organisation's private cases (those not there yet); returns how many."""
    present = set(
        LibraryItem.objects.filter(key__in=[c["key"] for c in PRIVATE_CASES]).values_list(
            "key", flat=True
        )
    )
    records = [
        (case["key"], clean_record({**case, "type": "case"}, where=case["key"]))
        for case in PRIVATE_CASES
        if case["key"] not in present
    ]
    if records:
        library_import(actor=steward, records=records, organisation=organisation)
    return len(records)
