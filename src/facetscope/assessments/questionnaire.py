"""The questionnaire as web pages: what each page shows, and reading a page's form.

One section of a definition is one page. ``page_items`` turns the items a
respondent's level is asked into plain view data for the templates (labels in
the respondent's language, current answers); ``read_page`` turns a submitted
form back into ``item id → value`` for ``response_save``. Pure Python: the
form is any mapping of field name → list of strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from facetscope.instruments.loader import Definition, Item, Section, localise

ROW_TYPES = ("likert_group", "half_likert_group", "capability_likert_group")
EMPTY_REPEATER_ROWS = 2


@dataclass
class Choice:
    value: str
    label: str
    checked: bool = False


@dataclass
class Row:
    """A likert row, a rank option, or a repeater entry's field."""

    name: str
    label: str
    choices: list[Choice]
    help: str | None = None


@dataclass
class ItemView:
    id: str
    type: str
    name: str
    prompt: str
    title: str | None = None
    help: str | None = None
    required: bool = False
    choices: list[Choice] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    value: Any = None
    entries: list[list[ItemView]] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    integer: bool = False
    error: str | None = None


def sections_for_level(definition: Definition, level: str) -> list[Section]:
    """Sections with at least one item asked of ``level``, in order."""
    asked = {item.id for item in definition.items_for_level(level)}
    return [s for s in definition.sections if any(i in asked for i in s.items)]


def _t(text, lang: str) -> str:
    return localise(text, lang) or ""


def _choices(options, lang: str, selected: Sequence[str] = ()) -> list[Choice]:
    return [Choice(o.id, _t(o.label, lang), o.id in selected) for o in options]


def _view(item: Item, definition: Definition, lang: str, value: Any, name: str) -> ItemView:
    view = ItemView(
        id=item.id,
        type=item.type,
        name=name,
        prompt=_t(item.prompt, lang),
        title=localise(item.title, lang),
        help=localise(item.help, lang),
        required=item.required,
        value=value,
        minimum=item.minimum,
        maximum=item.maximum,
        max_length=item.max_length,
        integer=item.integer,
    )
    if item.type in ROW_TYPES:
        scale = definition.scale(item.scale)
        current = value or {}
        view.rows = [
            Row(
                name=f"{name}__{row.id}",
                label=_t(row.label, lang),
                help=localise(row.help, lang),
                choices=[
                    Choice(str(v.value), _t(v.label, lang), current.get(row.id) == v.value)
                    for v in scale.values
                ],
            )
            for row in item.rows
        ]
    elif item.type == "rank":
        current = value or {}
        n = len(item.options)
        view.rows = [
            Row(
                name=f"{name}__{option.id}",
                label=_t(option.label, lang),
                choices=[
                    Choice(str(r), str(r), current.get(option.id) == r) for r in range(1, n + 1)
                ],
            )
            for option in item.options
        ]
    elif item.type == "multi_select":
        view.choices = _choices(item.options, lang, value or ())
    elif item.type == "single_choice":
        view.choices = _choices(item.options, lang, [value] if value else ())
    elif item.type == "yes_no_unsure":
        selected = [value] if value else ()
        labels = {o.id: _t(o.label, lang) for o in item.options}
        view.choices = [Choice(v, labels.get(v, v), v in selected) for v in ("yes", "no", "unsure")]
    elif item.type == "repeater":
        entries = list(value or [])
        count = len(entries) + EMPTY_REPEATER_ROWS
        if item.max_entries is not None:
            count = min(count, item.max_entries)
        for index in range(count):
            entry = entries[index] if index < len(entries) else {}
            view.entries.append(
                [
                    _view(sub, definition, lang, entry.get(sub.id), f"{name}__{index}__{sub.id}")
                    for sub in item.fields
                ]
            )
    return view


def page_items(
    definition: Definition,
    section: Section,
    *,
    level: str,
    lang: str,
    answers: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
) -> list[ItemView]:
    errors = errors or {}
    asked = {item.id for item in definition.items_for_level(level)}
    views = []
    for item_id in section.items:
        if item_id not in asked:
            continue
        item = definition.item(item_id)
        view = _view(item, definition, lang, answers.get(item_id), _field_name(item_id))
        view.error = next(
            (
                msg
                for key, msg in errors.items()
                if key == item_id or key.startswith(item_id + "[") or key.startswith(item_id + ".")
            ),
            None,
        )
        views.append(view)
    return views


def _field_name(item_id: str) -> str:
    return item_id.replace(".", "--")


def _one(form: Mapping[str, Sequence[str]], name: str) -> str:
    values = form.get(name) or []
    return values[-1].strip() if values else ""


def _int(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text  # the validator reports it, naming the item


def _number(text: str, integer: bool) -> float | int | str:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(number) if integer and number.is_integer() else number


def _read(item: Item, form: Mapping[str, Sequence[str]], name: str) -> Any:
    if item.type in ROW_TYPES or item.type == "rank":
        rows = {}
        for option in item.options:
            raw = _one(form, f"{name}__{option.id}")
            if raw:
                rows[option.id] = _int(raw)
        return rows or None
    if item.type == "multi_select":
        picked = [v for v in form.get(name) or [] if v]
        return picked or None
    if item.type in ("single_choice", "yes_no_unsure", "text"):
        return _one(form, name) or None
    if item.type == "number":
        raw = _one(form, name)
        return _number(raw, item.integer) if raw else None
    if item.type == "repeater":
        entries = []
        index = 0
        while any(k.startswith(f"{name}__{index}__") for k in form):
            entry = {
                sub.id: value
                for sub in item.fields
                if (value := _read(sub, form, f"{name}__{index}__{sub.id}")) is not None
            }
            if entry:
                entries.append(entry)
            index += 1
        return entries or None
    raise ValueError(f"unsupported item type {item.type!r}")


def read_page(
    definition: Definition, section: Section, *, level: str, form: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """``item id → value`` for every item of the page (``None`` for unanswered)."""
    asked = {item.id for item in definition.items_for_level(level)}
    return {
        item_id: _read(definition.item(item_id), form, _field_name(item_id))
        for item_id in section.items
        if item_id in asked
    }


def page_form_data(
    definition: Definition, section: Section, *, level: str, answers: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """The form fields a browser would send for ``answers`` on a page (inverse of read_page)."""
    asked = {item.id for item in definition.items_for_level(level)}
    fields: list[tuple[str, str]] = []

    def add(item: Item, name: str, value: Any) -> None:
        if value is None:
            return
        if item.type in ROW_TYPES or item.type == "rank":
            fields.extend((f"{name}__{key}", str(v)) for key, v in value.items())
        elif item.type == "multi_select":
            fields.extend((name, str(v)) for v in value)
        elif item.type == "repeater":
            for index, entry in enumerate(value):
                for sub in item.fields:
                    add(sub, f"{name}__{index}__{sub.id}", entry.get(sub.id))
        else:
            fields.append((name, str(value)))

    for item_id in section.items:
        if item_id in asked:
            add(definition.item(item_id), _field_name(item_id), answers.get(item_id))
    return fields
