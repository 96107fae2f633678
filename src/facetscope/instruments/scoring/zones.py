"""PET module 2: a project's zone from its purpose and its driver (codebook §5).

+-------------------+-------------+-------------+-------------+---------------+
| purpose \\ driver | mis (a)     | enh (b)     | ada (c)     | ant (d)       |
+===================+=============+=============+=============+===============+
| enh ("1")         | sustaining  | enhancement | optimising  | mixed         |
| mis ("2")         | mission     | sustaining  | mixed       | transformative|
| ant ("3")         | transformat.| mixed       | disruptive  | anticipatory  |
| ada ("4")         | mixed       | optimising  | adaptive    | disruptive    |
| all ("0")         | mixed       | mixed       | mixed       | mixed         |
+-------------------+-------------+-------------+-------------+---------------+

The same facet twice gives that facet's zone, neighbouring facets the zone
between them, opposite facets (enh/ant, mis/ada) ``mixed``.  Purpose ``all``
is ``mixed`` even without a driver.  No purpose, or a facet purpose without a
driver, is ``unplaced`` (PET leaves such a project off the map).
"""

from __future__ import annotations

from collections.abc import Mapping

FACET_ZONES: Mapping[str, str] = {
    "enh": "enhancement",
    "mis": "mission",
    "ada": "adaptive",
    "ant": "anticipatory",
}

#: Zones between two neighbouring facets (the diamond's edges).
BETWEEN_ZONES: Mapping[frozenset[str], str] = {
    frozenset({"enh", "mis"}): "sustaining",
    frozenset({"mis", "ant"}): "transformative",
    frozenset({"ant", "ada"}): "disruptive",
    frozenset({"ada", "enh"}): "optimising",
}

#: PET's raw codes (ACF values) → our option ids.
PURPOSE_CODES: Mapping[str, str] = {"1": "enh", "2": "mis", "3": "ant", "4": "ada", "0": "all"}
DRIVER_CODES: Mapping[str, str] = {"a": "mis", "b": "enh", "c": "ada", "d": "ant"}
PRIORITY_CODES: Mapping[str, str] = {"h": "high", "m": "medium", "l": "low"}

#: PET's internal zone keys (as in ``pat-calculate-score.php``).
PET_ZONE_KEYS: Mapping[str, str] = {
    "enhancement": "1-enh",
    "mission": "2-mis",
    "anticipatory": "3-ant",
    "adaptive": "4-ada",
    "sustaining": "5-sus",
    "transformative": "6-tra",
    "disruptive": "7-dis",
    "optimising": "8-opt",
    "mixed": "9-mix",
}

#: Dot radius on PET's map by priority (unanswered draws small).
PRIORITY_RADIUS: Mapping[str | None, int] = {"high": 7, "medium": 5, "low": 3, None: 3}


def zone_for(purpose: str | None, driver: str | None) -> str:
    """The zone of a project (our option ids or PET codes accepted)."""
    purpose = PURPOSE_CODES.get(purpose, purpose) if purpose is not None else None
    driver = DRIVER_CODES.get(driver, driver) if driver is not None else None
    if purpose == "all":
        return "mixed"
    if purpose not in FACET_ZONES:
        if purpose is not None:
            raise ValueError(f"unknown purpose {purpose!r}")
        return "unplaced"
    if driver is None:
        return "unplaced"
    if driver not in FACET_ZONES:
        raise ValueError(f"unknown driver {driver!r}")
    if purpose == driver:
        return FACET_ZONES[purpose]
    return BETWEEN_ZONES.get(frozenset({purpose, driver}), "mixed")


def zone_table() -> dict[str, dict[str, str]]:
    """The full purpose × driver table, purposes then drivers in PET's display order."""
    return {
        purpose: {driver: zone_for(purpose, driver) for driver in ("mis", "enh", "ada", "ant")}
        for purpose in ("enh", "mis", "ant", "ada", "all")
    }
