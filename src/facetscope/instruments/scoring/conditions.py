"""The small condition language of guidance rules (never ``eval``).

A condition is a mapping in one of these forms::

    {"score": "capability.score", "lt": 36}        # a comparison
    {"score": "tendency_group", "in": ["primarily_mission", "enhancement_mission"]}
    {"all": [<condition>, ...]}                      # every one holds (non-empty list)
    {"any": [<condition>, ...]}                      # at least one holds (non-empty list)
    {"not": <condition>}

``score`` is a dotted path into the scoring result of the instrument's
scoring family.  A comparison has exactly one operator:

* ``lt``, ``lte``, ``gt``, ``gte`` with a number, on a number path;
* ``eq``, ``ne`` with a number (number path) or a string (string path);
* ``in`` with a non-empty list of such values.

A string path may list its allowed values (for example tendency-group keys or
band ids): a value outside them is a definition error, so typos are caught
when the definition loads.  At evaluation time a comparison whose score is
missing or ``null`` is false (and ``not`` of it is true).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

NUMBER = "number"
STRING = "string"

ORDER_OPS = ("lt", "lte", "gt", "gte")
EQUALITY_OPS = ("eq", "ne")
OPERATORS = (*ORDER_OPS, *EQUALITY_OPS, "in")
COMBINATORS = ("all", "any", "not")

#: path → (kind, allowed values or None)
PathTable = Mapping[str, tuple[str, frozenset[str] | None]]
Report = Callable[[str, str], None]


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and not math.isfinite(value))
    )


def _check_value(path: str, value: Any, kind: str, allowed, report: Report) -> None:
    if kind == NUMBER:
        if not _is_number(value):
            report(path, "expected number")
    elif not isinstance(value, str):
        report(path, "expected string")
    elif allowed is not None and value not in allowed:
        report(path, f"unknown value {value!r} (expected one of {', '.join(sorted(allowed))})")


def validate_condition(value: Any, path: str, paths: PathTable | None, report: Report) -> None:
    """Report every problem of a condition through ``report(path, message)``.

    With ``paths=None`` (the scoring section is itself invalid) only the
    structure is checked, not the score paths and their values.
    """
    if not isinstance(value, Mapping):
        report(path, "expected mapping (a condition)")
        return
    keys = set(value)
    combinators = keys & set(COMBINATORS)
    if combinators:
        if len(keys) != 1:
            report(path, "a combinator ('all', 'any' or 'not') must stand alone in its mapping")
            return
        (name,) = combinators
        inner = value[name]
        if name == "not":
            validate_condition(inner, f"{path}.not", paths, report)
            return
        if not isinstance(inner, list) or not inner:
            report(f"{path}.{name}", "expected a non-empty list of conditions")
            return
        for index, sub in enumerate(inner):
            validate_condition(sub, f"{path}.{name}[{index}]", paths, report)
        return
    if "score" not in keys:
        report(path, "expected 'score' with one operator, or 'all', 'any' or 'not'")
        return
    for key in sorted(keys - {"score", *OPERATORS}):
        report(f"{path}.{key}", "unknown key")
    ops = [op for op in OPERATORS if op in keys]
    if len(ops) != 1:
        report(path, f"expected exactly one operator of {', '.join(OPERATORS)}")
        return
    (op,) = ops
    score = value["score"]
    if not isinstance(score, str):
        report(f"{path}.score", "expected string")
        return
    operand = value[op]
    if paths is None:
        return
    if score not in paths:
        report(f"{path}.score", f"unknown score {score!r}")
        return
    kind, allowed = paths[score]
    if op in ORDER_OPS and kind != NUMBER:
        report(f"{path}.{op}", f"{op!r} needs a number score; {score!r} is a {kind}")
    elif op == "in":
        if not isinstance(operand, list) or not operand:
            report(f"{path}.in", "expected a non-empty list")
        else:
            for index, item in enumerate(operand):
                _check_value(f"{path}.in[{index}]", item, kind, allowed, report)
    else:
        _check_value(f"{path}.{op}", operand, kind, allowed, report)


def lookup(result: Mapping[str, Any], dotted: str) -> Any:
    """Value at a dotted path of a result, or ``None`` when any step is missing."""
    node: Any = result
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def evaluate(condition: Mapping[str, Any], result: Mapping[str, Any]) -> bool:
    """Evaluate a (validated) condition against a scoring result."""
    if "all" in condition:
        return all(evaluate(sub, result) for sub in condition["all"])
    if "any" in condition:
        return any(evaluate(sub, result) for sub in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], result)
    value = lookup(result, condition["score"])
    if value is None:
        return False
    for op in OPERATORS:
        if op not in condition:
            continue
        operand = condition[op]
        if op == "in":
            return value in tuple(operand)
        if op == "eq":
            return value == operand
        if op == "ne":
            return value != operand
        if not _is_number(value):
            return False
        if op == "lt":
            return value < operand
        if op == "lte":
            return value <= operand
        if op == "gt":
            return value > operand
        return value >= operand
    raise ValueError(f"condition without operator: {dict(condition)!r}")
