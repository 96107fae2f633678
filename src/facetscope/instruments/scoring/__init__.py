"""Scoring of instrument answers (pure Python, no Django).

``score(definition, answers)`` validates one respondent's answers (raising
:class:`AnswerError`) and returns the result of the definition's scoring
family:

* ``pet`` — ``portfolio-exploration`` (``pet.py``, ``zones.py``);
* ``project_facets`` — ``project-facets`` (``project_facets.py``);
* ``likert`` — generic dimension means (``likert.py``).

``guidance(definition, result)`` returns the guidance rules whose
conditions hold for a result (``conditions.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from facetscope.instruments.scoring.answers import (
    AnswerError,
    normalize_answers,
    validate_answers,
)
from facetscope.instruments.scoring.conditions import evaluate
from facetscope.instruments.scoring.likert import score_likert
from facetscope.instruments.scoring.pet import score_pet
from facetscope.instruments.scoring.project_facets import score_project_facets

if TYPE_CHECKING:
    from facetscope.instruments.loader import Definition, GuidanceRule

__all__ = [
    "SCORERS",
    "AnswerError",
    "guidance",
    "normalize_answers",
    "score",
    "score_normalized",
    "validate_answers",
]

SCORERS: Mapping[str, Callable[[Any, Mapping[str, Any]], dict[str, Any]]] = {
    "pet": score_pet,
    "project_facets": score_project_facets,
    "likert": score_likert,
}


def score(definition: Definition, answers: Any) -> dict[str, Any]:
    """Validate and score one respondent's answers."""
    return score_normalized(definition, normalize_answers(definition, answers))


def score_normalized(definition: Definition, normalized: Mapping[str, Any]) -> dict[str, Any]:
    """Score answers already returned by :func:`normalize_answers`."""
    return SCORERS[definition.family](definition, normalized)


def guidance(definition: Definition, result: Mapping[str, Any]) -> list[GuidanceRule]:
    """The definition's guidance rules that apply to ``result``, in definition order."""
    return [rule for rule in definition.guidance if evaluate(rule.when, result)]
