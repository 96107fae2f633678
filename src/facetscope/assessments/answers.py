"""Answers as the instrument core expects them, from what the web form saved.

Pure Python: bridges the flat ``item id → value`` rows the questionnaire saves
page by page and the nested answer objects of ``instruments.scoring``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facetscope.instruments.loader import Definition
from facetscope.instruments.scoring import AnswerError, normalize_answers, score_normalized


def plain(value: Any) -> Any:
    """JSON-shaped copy: mappings become dicts, tuples become lists."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """{"profile.sector": [...], "q1": {...}} → {"profile": {"sector": [...]}, "q1": {...}}."""
    nested: dict[str, Any] = {}
    for item_id, value in plain(flat).items():
        if "." in item_id:
            group, sub = item_id.split(".", 1)
            nested.setdefault(group, {})[sub] = value
        else:
            nested[item_id] = value
    return nested


def clean_nested(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Validate answers given in the nested JSON format; return them keyed by item id."""
    return plain(normalize_answers(definition, answers))


def check_partial(definition: Definition, flat: Mapping[str, Any]) -> dict[str, Any]:
    """Validate some answers (one page); return them cleaned, keyed by item id."""
    return plain(normalize_answers(definition, nest(flat)))


def _top(error_item: str) -> str:
    return error_item.split("[", 1)[0]


def check_complete(definition: Definition, flat: Mapping[str, Any], level: str) -> dict[str, Any]:
    """Validate a whole questionnaire for a respondent level; required items must be answered.

    Items not asked of the level are not required of it.
    """
    asked = {item.id for item in definition.items_for_level(level)}
    try:
        return plain(normalize_answers(definition, nest(flat), complete=True))
    except AnswerError as exc:
        relevant = [
            (item, message)
            for item, message in exc.errors
            if message != "answer required" or _asked(item, asked)
        ]
        if relevant:
            raise AnswerError(relevant[0][0], relevant[0][1], relevant) from None
        return plain(normalize_answers(definition, nest(flat)))


def _asked(error_item: str, asked: set[str]) -> bool:
    name = _top(error_item)
    while name:
        if name in asked:
            return True
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return False


def score(definition: Definition, clean: Mapping[str, Any]) -> dict[str, Any]:
    return score_normalized(definition, clean)
