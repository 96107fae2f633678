"""Validate one respondent's answers against a definition and normalise them.

The answer format is JSON-shaped data, one object per respondent:

* top-level keys are ``id`` (optional, opaque, echoed back) and the item ids;
  a dotted item id nests: ``profile.sector`` is ``{"profile": {"sector": …}}``;
  any other key is an error;
* a missing key or ``null`` is unanswered (so is ``{}`` for row and rank
  items, a rank object whose ranks are all ``null``, and ``[]`` for
  multi-selects);
* likert-type items: ``{row id: scale value}`` — integers only (booleans and
  floats are rejected);
* ``rank``: ``{option id: rank}``, ranks 1..n given once each;
* ``multi_select``: a list of option ids without duplicates; an ``exclusive``
  option stands alone; with ``allow_custom`` other non-empty strings are kept
  as free entries;
* ``yes_no_unsure``: ``"yes"``, ``"no"`` or ``"unsure"``;
* ``single_choice``: an option id, or the option's ``code`` (an alias — PET's
  raw values such as ``"2"`` or ``"a"``);
* ``number`` (``min``, ``max``, ``integer``) and ``text`` (``max_length``);
* ``repeater``: a list of objects of its fields.

Every problem is collected; :class:`AnswerError` carries them all and names
the item of the first one (``q2: ranks must be 1, 2, 3, 4 once each``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from facetscope.instruments.loader import Definition, Item

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")
ANSWERS = "answers"


class AnswerError(ValueError):
    """Invalid answers.  ``item`` and ``message`` describe the first problem, ``errors`` all."""

    def __init__(self, item: str, message: str, errors: list[tuple[str, str]] | None = None):
        self.item = item
        self.message = message
        self.errors = errors or [(item, message)]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "; ".join(f"{item}: {message}" for item, message in self.errors)


def _show(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Compiled:
    """Per-definition lookups built once (the CLI validates thousands of answers)."""

    def __init__(self, definition: Definition):
        self.top: dict[str, Item | dict[str, Item]] = {}
        for item in definition.items:
            if "." in item.id:
                group, sub = item.id.split(".", 1)
                self.top.setdefault(group, {})[sub] = item  # type: ignore[index]
            else:
                self.top[item.id] = item
        self.options: dict[int, dict[str, Any]] = {}
        self.codes: dict[int, dict[str, str]] = {}
        self.scales: dict[int, tuple[int, ...]] = {}
        for item in _walk(definition.items):
            key = id(item)
            self.options[key] = {o.id: o for o in item.options}
            self.codes[key] = {o.code: o.id for o in item.options if o.code is not None}
            if item.scale is not None:
                self.scales[key] = tuple(v.value for v in definition.scale(item.scale).values)
        self.definition = definition  # keeps the items (and their ids) alive


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.fields)


@lru_cache(maxsize=32)
def compiled(definition: Definition) -> _Compiled:
    return _Compiled(definition)


class _Errors(list):
    def add(self, item: str, message: str) -> None:
        self.append((item, message))


def normalize_answers(
    definition: Definition, answers: Any, *, complete: bool = False
) -> dict[str, Any]:
    """Check ``answers`` and return them cleaned: full item id → value, unanswered left out.

    ``complete=True`` also enforces ``required`` items (and every row of a
    required likert-type item), as a web form would.
    """
    if not isinstance(answers, Mapping):
        raise AnswerError(ANSWERS, "expected a JSON object of item id → answer")
    comp = compiled(definition)
    errors = _Errors()
    result: dict[str, Any] = {}
    for key in answers:
        if key != "id" and key not in comp.top:
            errors.add(str(key), "unknown item")
    if "id" in answers and answers["id"] is not None:
        result["id"] = answers["id"]
    for key, target in comp.top.items():
        value = answers.get(key)
        if isinstance(target, dict):
            if value is not None and not isinstance(value, Mapping):
                errors.add(key, "expected an object")
                value = None
            group = value or {}
            for sub in group:
                if sub not in target:
                    errors.add(f"{key}.{sub}", "unknown item")
            for sub, item in target.items():
                _one(comp, item, item.id, group.get(sub), result, errors, complete)
        else:
            _one(comp, target, key, value, result, errors, complete)
    if errors:
        raise AnswerError(errors[0][0], errors[0][1], list(errors))
    return result


def validate_answers(definition: Definition, answers: Any, *, complete: bool = False) -> None:
    """Raise :class:`AnswerError` unless ``answers`` are valid for ``definition``."""
    normalize_answers(definition, answers, complete=complete)


def _one(comp, item, name, value, result, errors, complete) -> None:
    before = len(errors)
    clean = _check(comp, item, name, value, errors, complete)
    if len(errors) != before:
        return
    if clean is None:
        if complete and item.required:
            errors.add(name, "answer required")
        return
    result[name] = clean


def _check(comp, item, name: str, value: Any, errors: _Errors, complete: bool) -> Any:
    """Return the clean value, ``None`` when unanswered; report problems to ``errors``."""
    if value is None:
        return None
    kind = item.type
    if kind in ROW_TYPES:
        return _check_rows(comp, item, name, value, errors, complete)
    if kind == "rank":
        return _check_rank(comp, item, name, value, errors)
    if kind == "multi_select":
        return _check_multi(comp, item, name, value, errors)
    if kind in ("yes_no_unsure", "single_choice"):
        options = comp.options[id(item)]
        if isinstance(value, str) and value in options:
            return value
        if kind == "single_choice" and isinstance(value, str) and value in comp.codes[id(item)]:
            return comp.codes[id(item)][value]
        expected = ", ".join(f'"{o}"' for o in options)
        errors.add(name, f"expected one of {expected} (got {_show(value)})")
        return None
    if kind == "number":
        return _check_number(item, name, value, errors)
    if kind == "text":
        if not isinstance(value, str):
            errors.add(name, f"expected a string (got {_show(value)})")
        elif item.max_length is not None and len(value) > item.max_length:
            errors.add(name, f"at most {item.max_length} characters")
        else:
            return value
        return None
    return _check_repeater(comp, item, name, value, errors, complete)


def _scale_text(values: tuple[int, ...]) -> str:
    if list(values) == list(range(values[0], values[-1] + 1)):
        return f"an integer from {values[0]} to {values[-1]}"
    return "one of " + ", ".join(map(str, values))


def _check_rows(comp, item, name, value, errors, complete):
    rows = comp.options[id(item)]
    scale = comp.scales[id(item)]
    if not isinstance(value, Mapping):
        errors.add(name, f"expected an object of row id → {_scale_text(scale)}")
        return None
    clean = {}
    for row, response in value.items():
        if row not in rows:
            errors.add(name, f"unknown option {_show(row)}")
        elif response is None:
            continue
        elif type(response) is not int or response not in scale:  # bool is not int here
            errors.add(name, f"{row!r} must be {_scale_text(scale)} (got {_show(response)})")
        else:
            clean[row] = response
    if complete and item.required and clean and len(clean) != len(rows):
        missing = ", ".join(r for r in rows if r not in clean)
        errors.add(name, f"every row must be answered (missing: {missing})")
    return clean or None


def _check_rank(comp, item, name, value, errors):
    options = comp.options[id(item)]
    wanted = ", ".join(str(n) for n in range(1, len(options) + 1))
    if not isinstance(value, Mapping):
        errors.add(name, f"expected an object of option id → rank ({wanted})")
        return None
    if all(rank is None for rank in value.values()):  # {} or every rank null
        return None
    unknown = [key for key in value if key not in options]
    for key in unknown:
        errors.add(name, f"unknown option {_show(key)}")
    if unknown:
        return None
    ranks = list(value.values())
    if (
        len(value) != len(options)
        or not all(_is_int(r) for r in ranks)
        or sorted(ranks) != list(range(1, len(options) + 1))
    ):
        errors.add(name, f"ranks must be {wanted} once each")
        return None
    return dict(value)


def _check_multi(comp, item, name, value, errors):
    options = comp.options[id(item)]
    if not isinstance(value, list):
        errors.add(name, f"expected a list of option ids (got {_show(value)})")
        return None
    seen: list[str] = []
    ok = True
    for entry in value:
        if not isinstance(entry, str) or not entry.strip():
            errors.add(name, f"entries must be option ids (got {_show(entry)})")
            ok = False
        elif entry in seen:
            errors.add(name, f"option {entry!r} is listed twice")
            ok = False
        elif entry not in options and not item.allow_custom:
            errors.add(name, f"unknown option {entry!r}")
            ok = False
        else:
            seen.append(entry)
    exclusive = [e for e in seen if e in options and options[e].exclusive]
    if exclusive and len(seen) > 1:
        errors.add(name, f"{exclusive[0]!r} cannot be combined with other options")
        ok = False
    return tuple(seen) if ok and seen else None


def _check_number(item, name, value, errors):
    is_num = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_num or (isinstance(value, float) and not math.isfinite(value)):
        errors.add(name, f"expected a number (got {_show(value)})")
        return None
    if item.integer and not isinstance(value, int):
        errors.add(name, f"expected an integer (got {_show(value)})")
        return None
    if item.minimum is not None and value < item.minimum:
        errors.add(name, f"must be at least {item.minimum:g} (got {_show(value)})")
        return None
    if item.maximum is not None and value > item.maximum:
        errors.add(name, f"must be at most {item.maximum:g} (got {_show(value)})")
        return None
    return value


def _check_repeater(comp, item, name, value, errors, complete):
    if not isinstance(value, list):
        errors.add(name, f"expected a list of objects (got {_show(value)})")
        return None
    if item.max_entries is not None and len(value) > item.max_entries:
        errors.add(name, f"at most {item.max_entries} entries")
    fields = {f.id: f for f in item.fields}
    clean = []
    for index, entry in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(entry, Mapping):
            errors.add(where, f"expected an object (got {_show(entry)})")
            continue
        for key in entry:
            if key not in fields:
                errors.add(where, f"unknown field {_show(key)}")
        row = {}
        for fid, sub in fields.items():
            got = _check(comp, sub, f"{where}.{fid}", entry.get(fid), errors, complete)
            if got is not None:
                row[fid] = got
            elif complete and sub.required:
                errors.add(f"{where}.{fid}", "answer required")
        clean.append(row)
    return clean or None
