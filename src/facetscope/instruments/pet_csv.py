"""Read (and write) the module-1 CSV export of OPSI's Portfolio Exploration Tool.

Pure Python, no Django.  :func:`parse_pet_csv` turns a CSV file into one
answers object per respondent, in the JSON answers format of
``shared/instruments/portfolio-exploration-codebook.md`` §7 (what
:func:`~facetscope.instruments.scoring.answers.normalize_answers` accepts).
:func:`write_pet_csv` is its inverse, with English labels.

Columns come from the definition: each likert row and rank option carries its
PET column in ``csv`` (``Q1a``, ``Q2c`` …), each multi-select item too
(``Q10``); an item without any ``csv`` (yes/no/unsure ``q17``, ``q19``,
``q20`` in v1) uses its id in capitals (``Q17``).  Headers match
case-insensitively, whitespace-tolerant, bare (``Q1a``) or with PET's prefix
and question text (``Facet Q1a - …``, ``Portfolio Mgmt Q17 - …``).  Profile and
id columns are optional; see ``PROFILE_HEADERS`` / ``ID_HEADERS``.

Import is all-or-nothing: every problem is collected as ``(row, column,
message)`` and :class:`PetCsvError` is raised if there is any.  The user
documentation is ``docs/instruments/pet-csv-import.md``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from facetscope.instruments.scoring.answers import ROW_TYPES, AnswerError, normalize_answers

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from facetscope.instruments.loader import Definition, Item, Option

MAX_ROWS = 50_000
MAX_ERRORS_SHOWN = 30
DELIMITERS = (",", ";")
FORMULA_START = ("=", "+", "-", "@")
MULTI_SEPARATOR = ";"

# Header spellings (compared after _header_key: case-folded, accents removed,
# "_" and runs of whitespace turned into one space, a "profile." prefix dropped).
# fmt: off
ID_HEADERS = frozenset({
    "id", "submission id", "submission", "respondent id", "respondent", "response id",
})
PROFILE_HEADERS = {
    "organisation": frozenset({
        "organisation", "organization", "organisation explored", "organization explored",
        "organisation name", "organization name", "organisation or unit",
        "organization or unit", "organisation/unit", "organization/unit", "unit", "unit name",
    }),
    "country": frozenset({"country", "pays"}),
    "n_people": frozenset({
        "n people", "number of people", "people", "headcount", "number of staff", "staff",
        "number of employees", "employees", "effectif",
    }),
    "sector": frozenset({
        "sector", "sectors", "sector or topic", "sectors or topics", "policy area",
        "policy areas", "topic", "topics", "secteur", "domaines d'action",
    }),
}
# fmt: on
# Extra answer spellings beyond the definition's own ids, codes and labels.
SCALE_MIDDLE_ALIASES = ("neutral", "neutre")  # the middle of the agreement scale
YES_NO_ALIASES = {"oui": "yes", "non": "no", "incertain": "unsure"}

_Q_HEADER = re.compile(
    r"^(?:facet |portfolio mgmt |portfolio management )?q ?(\d+) ?([a-z])?"
    r"(?=$|\s*[-\u2013\u2014:(]|\.(?:\s|$))"
)
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_SURROGATE = re.compile("[\udc80-\udcff]")


class Issue(NamedTuple):
    """One problem: 1-based file line (header = 1), column, message."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class PetCsvError(ValueError):
    """The file was refused.  ``errors`` lists every :class:`Issue`."""

    def __init__(self, errors: Iterable[Issue], warnings: Iterable[str] = ()):
        self.errors = [Issue(*e) for e in errors]
        self.warnings = list(warnings)
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = [str(e) for e in self.errors[:MAX_ERRORS_SHOWN]]
        more = len(self.errors) - len(shown)
        if more > 0:
            shown.append(f"… and {more} more problem{'s' if more > 1 else ''}")
        count = len(self.errors)
        head = f"the CSV file was refused ({count} problem{'s' if count != 1 else ''}):"
        return "\n".join([head, *(f"  {line}" for line in shown)])


@dataclass(frozen=True)
class ParsedRow:
    row: int  # 1-based line of the file where the record starts (header = 1)
    answers: dict[str, Any]  # codebook §7 answers format
    source_id: str | None = None  # the respondent/submission id column, if any


class ParsedRows(list):
    """``list[ParsedRow]`` with the file's ``warnings`` (ignored columns, encoding …)."""

    def __init__(self, rows: Iterable[ParsedRow] = (), warnings: Iterable[str] = ()):
        super().__init__(rows)
        self.warnings = list(warnings)


def _refuse(message: str, row: int | None = None, warnings: Iterable[str] = ()) -> PetCsvError:
    """A whole-file problem."""
    return PetCsvError([Issue(row, None, message)], warnings)


# ------------------------------------------------------------------ text helpers


@lru_cache(maxsize=4096)  # cells repeat a lot: labels, numbers, codes
def _fold(text: str) -> str:
    """Case-folded, accents and typographic apostrophes removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def _header_key(text: str) -> str:
    key = re.sub(r"[_\s]+", " ", _fold(text)).strip()
    return key.removeprefix("profile.")


def _show(value: str) -> str:
    return '"' + (value if len(value) <= 60 else value[:57] + "...") + '"'


@lru_cache(maxsize=1024)
def _number(text: str) -> Fraction | None:
    return Fraction(text.replace(",", ".")) if _NUMBER.match(text) else None


@lru_cache(maxsize=256)
def _whole(text: str) -> int | None:
    """The integer a cell holds ("3", "3.0", "+3"), else None."""
    value = _number(text)
    return int(value) if value is not None and value.denominator == 1 else None


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _NUMBER.match(text)


def _unique(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Folded key → value; a key claimed by two different values is dropped (ambiguous)."""
    result: dict[str, Any] = {}
    clashes: set[str] = set()
    for key, value in pairs:
        key = _fold(key)
        if key in result and result[key] != value:
            clashes.add(key)
        result.setdefault(key, value)
    return {k: v for k, v in result.items() if k not in clashes}


# ---------------------------------------------------------------- column layout


@dataclass(frozen=True)
class _Column:
    code: str  # PET's column, as the definition spells it ("Q2c")
    item: Item
    option: Option | None = None  # the row / rank option; None for a whole-item column


@dataclass
class _Layout:
    columns: dict[str, _Column] = field(default_factory=dict)  # folded code → column
    groups: set[str] = field(default_factory=set)  # folded "q1": PET's group columns
    item_column: dict[str, str] = field(default_factory=dict)  # item id → column for errors
    profile: dict[str, Item] = field(default_factory=dict)  # "sector" → item
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)  # item id → answer spellings
    scale: dict[str, tuple[int, ...]] = field(default_factory=dict)  # item id → scale values
    labels: dict[str, dict[int, str]] = field(default_factory=dict)  # item id → English labels
    half_weight: Fraction = Fraction(1, 2)
    rank_points: tuple[int, ...] = (4, 2, 1, 0)


def _stem(codes: list[str], fallback: str) -> str:
    stems = {re.sub(r"[A-Za-z]$", "", code) for code in codes}
    return stems.pop() if len(stems) == 1 else fallback


def _choice_tokens(options: Iterable[Option]) -> dict[str, str]:
    pairs = []
    for option in options:
        pairs.append((option.id, option.id))
        if option.code is not None:
            pairs.append((option.code, option.id))
        pairs.extend((label, option.id) for label in option.label.values())
    return _unique(pairs)


@lru_cache(maxsize=16)
def _layout(definition: Definition) -> _Layout:
    layout = _Layout()
    scoring = definition.scoring
    if "half_weight" in scoring:
        layout.half_weight = Fraction(str(scoring["half_weight"]))
    if "rank_points" in scoring:
        layout.rank_points = tuple(scoring["rank_points"])
    for item in definition.items:
        if item.id.startswith("profile."):
            layout.profile[item.id.split(".", 1)[1]] = item
            if item.type == "multi_select":
                layout.tokens[item.id] = _choice_tokens(item.options)
            continue
        if "." in item.id or item.type == "repeater":
            continue
        per_option = item.type in (*ROW_TYPES, "rank")
        if per_option:
            codes = [o.csv or f"{item.id.upper()}{chr(97 + i)}" for i, o in enumerate(item.options)]
            for option, code in zip(item.options, codes, strict=True):
                layout.columns[_fold(code)] = _Column(code, item, option)
            layout.item_column[item.id] = item.csv or _stem(codes, item.id.upper())
            layout.groups.add(_fold(layout.item_column[item.id]))
        else:
            code = item.csv or item.id.upper()
            layout.columns[_fold(code)] = _Column(code, item)
            layout.item_column[item.id] = code
        if item.type in ROW_TYPES:
            scale = definition.scale(item.scale)
            values = tuple(v.value for v in scale.values)
            layout.scale[item.id] = values
            layout.labels[item.id] = {v.value: v.label["en"] for v in scale.values}
            pairs = [(lab, v.value) for v in scale.values for lab in v.label.values()]
            middle = values[len(values) // 2]
            pairs += [(alias, middle) for alias in SCALE_MIDDLE_ALIASES]
            layout.tokens[item.id] = _unique(pairs)
        elif item.type in ("multi_select", "yes_no_unsure"):
            tokens = _choice_tokens(item.options)
            if item.type == "yes_no_unsure":
                aliases = {a: t for a, t in YES_NO_ALIASES.items() if t in tokens.values()}
                tokens = {**aliases, **tokens}
            layout.tokens[item.id] = tokens
    return layout


# ------------------------------------------------------------------- decoding


def _decode(data: str | bytes, warnings: list[str]) -> str:
    if isinstance(data, str):
        if _SURROGATE.search(data):  # decoded with errors="surrogateescape"
            data = data.encode("utf-8", "surrogateescape")
        elif "\ufffd" in data:
            raise _refuse(
                "the text contains U+FFFD replacement characters, so it was decoded with "
                "errors; pass the file's bytes instead"
            )
        else:
            return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse('the file is UTF-16 text; save it as "CSV UTF-8"')
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _refuse(
            f"the file is not UTF-8 text (invalid byte at position {position}) nor "
            'Windows-1252; save it as "CSV UTF-8"'
        ) from None
    warnings.append(
        f"the file is not UTF-8 (invalid byte at position {position}); it was read as "
        'Windows-1252 (cp1252): check accented letters, or save it as "CSV UTF-8"'
    )
    return text


# -------------------------------------------------------------- reading records


def _records(text: str, delimiter: str, first_line: int):
    """Yield ``(line, cells)`` per record, ``line`` where the record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _refuse(f"malformed CSV: {exc}", first_line + previous) from None
        yield first_line + previous, cells
        previous = reader.line_num


class _Target(NamedTuple):
    kind: str  # "q" | "profile" | "id"
    name: str  # column name used in messages: PET's code ("Q2c") or the header text
    column: _Column | None = None
    sub: str | None = None  # profile field ("sector")


def _classify(header: list[str], layout: _Layout) -> tuple[dict[int, _Target], list[str]]:
    """Which columns are read (index → :class:`_Target`), and the ignored headers."""
    used: dict[int, _Target] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        key = _header_key(raw)
        match = _Q_HEADER.match(key)
        code = f"q{match.group(1)}{match.group(2) or ''}" if match else None
        if code is not None and code in layout.columns:
            column = layout.columns[code]
            used[index] = _Target("q", column.code, column)
        elif code is not None and code in layout.groups:
            continue  # PET's group column ("Facet Q1"): holds the question text only
        elif key in ID_HEADERS:
            used[index] = _Target("id", raw.strip())
        elif sub := next(
            (s for s, names in PROFILE_HEADERS.items() if key in names and s in layout.profile),
            None,
        ):
            used[index] = _Target("profile", raw.strip(), sub=sub)
        elif raw.strip():
            ignored.append(raw.strip())
    return used, ignored


def _header_errors(line: int, used: dict[int, _Target], layout: _Layout) -> list[Issue]:
    """Duplicated columns, and every Q column the header lacks."""
    errors = []
    seen: dict[tuple[str, str | None], int] = {}
    for index, target in used.items():
        key = (target.kind, target.column.code if target.column else target.sub)
        if key in seen:
            message = f"appears twice (columns {seen[key] + 1} and {index + 1})"
            errors.append(Issue(line, target.name, message))
        seen.setdefault(key, index)
    present = {t.column.code for t in used.values() if t.column is not None}
    errors.extend(
        Issue(line, col.code, "missing column")
        for col in layout.columns.values()
        if col.code not in present
    )
    return errors


def _sniff(text: str, layout: _Layout) -> str:
    """The delimiter whose header split recognises the most Q columns.

    Ties go to the split leaving fewer unknown columns (a ";" file whose
    headers hold commas); with no Q column at all, to the most columns.
    """
    best: tuple[int, int, str] | None = None
    for delimiter in (*DELIMITERS, "\t", "|"):
        reader = csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=delimiter)
        try:
            header = next(reader, [])
        except csv.Error:
            continue
        used, ignored = _classify(header, layout)
        recognised = sum(target.kind == "q" for target in used.values())
        score = (recognised, -len(ignored) if recognised else len(header), delimiter)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None or (best[0] == 0 and best[1] <= 1):
        return DELIMITERS[0]
    if best[2] not in DELIMITERS:
        name = {"\t": "tabs", "|": "vertical bars"}[best[2]]
        message = f"columns are separated by {name}; only commas and semicolons are accepted"
        raise _refuse(message, 1)
    return best[2]


# ---------------------------------------------------------------- parsing cells


def _parse_likert(col: _Column, text: str, layout: _Layout, stored_half: bool):
    """Return ``(position, None)`` or ``(None, message)``."""
    item, option = col.item, col.option
    scale = layout.scale[item.id]
    token = layout.tokens[item.id].get(_fold(text))
    if token is not None:
        return token, None
    value = _number(text)
    expected = (
        f"expected {scale[0]}–{scale[-1]} or an agreement label such as "
        f'"{layout.labels[item.id][scale[-2]]}"'
    )
    if value is None:
        return None, f"unknown answer {_show(text)}: {expected}"
    if value < 0:
        if not option.reverse:
            return None, (
                f"negative numbers are PET's stored values for reverse-scored rows "
                f"only (got {_show(text)})"
            )
        value = -value
    if item.type == "half_likert_group" and stored_half:
        stored = {Fraction(v) * layout.half_weight: v for v in scale}
        if value in stored:
            return stored[value], None
        allowed = ", ".join(f"{float(s):g}" for s in stored)
        return None, (
            f"this column holds PET's stored values ({allowed}) in other cells; "
            f"{_show(text)} is not one of them"
        )
    if value.denominator == 1 and int(value) in scale:
        return int(value), None
    return None, f"{expected} (got {_show(text)})"


def _parse_choices(item: Item, text: str, layout: _Layout, column: str, errors: list):
    """A multi-select cell → list of option ids (free text kept where allowed)."""
    tokens = layout.tokens[item.id]
    chosen: list[str] = []
    for part in (p.strip() for p in text.split(MULTI_SEPARATOR)):
        if not part:
            continue
        if _looks_like_formula(part):
            errors.append((column, f"entry {_show(part)} looks like a spreadsheet formula"))
        elif (option_id := tokens.get(_fold(part))) is not None:
            chosen.append(option_id)
        elif item.allow_custom:
            chosen.append(part)
        else:
            errors.append((column, f"unknown option {_show(part)}"))
    return chosen


def _half_modes(
    rows: list[tuple[int, list[str]]],
    used: dict[int, _Target],
    layout: _Layout,
    warnings: list[str],
) -> set[str]:
    """Half-weight items whose numbers are PET's stored values (0, 0.5 … 2) in this file.

    Decided per item over the whole file: any 0.5 or 1.5 means stored values;
    otherwise numbers are scale positions (a warning when only 0, 1, 2 occur,
    which fit both readings).
    """
    seen: dict[str, set[Fraction]] = {}
    for _, cells in rows:
        for index, target in used.items():
            if target.column is None or target.column.item.type != "half_likert_group":
                continue
            value = _number(cells[index].strip()) if index < len(cells) else None
            if value is not None:
                seen.setdefault(target.column.item.id, set()).add(abs(value))
    stored = set()
    for item_id, values in seen.items():
        scale = layout.scale[item_id]
        halves = {Fraction(v) * layout.half_weight for v in scale}
        if any(v.denominator != 1 and v in halves for v in values):
            stored.add(item_id)
        elif values <= halves and values - {0}:
            warnings.append(
                f"{layout.item_column[item_id]}: numbers were read as scale positions "
                f"{scale[0]}–{scale[-1]}; if they are PET's stored values "
                f"({', '.join(f'{float(h):g}' for h in sorted(halves))}), use labels instead"
            )
    return stored


class _RowResult(NamedTuple):
    answers: dict[str, Any]
    errors: list[tuple[str, str]]  # (column name, message)
    source_id: str | None
    notes: list[tuple[str, str]]  # (item id, warning text)


def _parse_cell(column: _Column, text: str, layout: _Layout, stored_half: set[str]):
    """``(value, problems)`` for one non-empty Q cell; ``value`` is None if there are problems.

    Rank cells are returned as they are: a rank item is checked as a whole.
    """
    item = column.item
    if _looks_like_formula(text):
        return None, [(column.code, f"cell {_show(text)} looks like a spreadsheet formula")]
    if item.type in ROW_TYPES:
        value, problem = _parse_likert(column, text, layout, item.id in stored_half)
        return (None, [(column.code, problem)]) if problem else (value, [])
    if item.type == "rank":
        return text, []
    if item.type == "multi_select":
        problems: list[tuple[str, str]] = []
        chosen = _parse_choices(item, text, layout, column.code, problems)
        return (None, problems) if problems else (tuple(chosen), [])
    value = layout.tokens[item.id].get(_fold(text))  # yes_no_unsure
    if value is None:
        wanted = ", ".join(o.id for o in item.options)
        return None, [(column.code, f"unknown answer {_show(text)}: expected {wanted}")]
    return value, []


def _parse_row(
    cells: list[str],
    used: dict[int, _Target],
    layout: _Layout,
    stored_half: set[str],
    memo: dict[tuple[int, str], tuple[Any, list]],
) -> _RowResult:
    answers: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    bad_items: set[str] = set()
    ranks: dict[str, dict[str, tuple[str, str]]] = {}
    source_id = None
    for index, target in used.items():
        text = cells[index].strip() if index < len(cells) else ""
        if not text:
            continue
        column = target.column
        if column is None:  # id or profile
            if _looks_like_formula(text):
                errors.append((target.name, f"cell {_show(text)} looks like a spreadsheet formula"))
            elif target.kind == "id":
                source_id = text
            else:
                _parse_profile(target, text, layout, answers, errors)
            continue
        item = column.item
        key = (index, text)
        if key not in memo:  # the same few labels and numbers fill most cells
            memo[key] = _parse_cell(column, text, layout, stored_half)
        value, problems = memo[key]
        if problems:
            errors.extend(problems)
            bad_items.add(item.id)
        elif item.type in ROW_TYPES:
            answers.setdefault(item.id, {})[column.option.id] = value
        elif item.type == "rank":
            ranks.setdefault(item.id, {})[column.option.id] = (column.code, value)
        elif item.type == "multi_select":
            answers[item.id] = list(value)
        else:
            answers[item.id] = value
    for item_id, rank_cells in ranks.items():
        if item_id in bad_items:
            continue
        value, problems = _parse_ranks(item_id, rank_cells, layout)
        if value is None:
            errors.extend(problems)
            bad_items.add(item_id)
        else:
            answers[item_id] = value
            notes.extend((item_id, note) for _, note in problems)
    for item_id in bad_items:  # reported once, at the cell; not again by normalize_answers
        answers.pop(item_id, None)
    return _RowResult(answers, errors, source_id, notes)


def _parse_ranks(item_id: str, cells: Mapping[str, tuple[str, str]], layout: _Layout):
    """``({option: rank}, notes)`` or ``(None, errors)`` for one rank item's cells.

    Four cells holding exactly PET's stored rank points (4, 2, 1, 0) cannot be
    ranks (0 is none) and are read back as ranks 1..4, with a note.
    """
    n = len(layout.rank_points)
    values = {option: _whole(text) for option, (_, text) in cells.items()}
    if len(values) == n and set(values.values()) == set(layout.rank_points):
        to_rank = {points: rank for rank, points in enumerate(layout.rank_points, start=1)}
        note = (
            f"{layout.item_column[item_id]}: cells held PET's stored rank points "
            f"({'/'.join(map(str, layout.rank_points))}) and were read as ranks 1–{n}"
        )
        return {option: to_rank[v] for option, v in values.items()}, [(None, note)]
    errors = [
        (column, f"rank must be 1 to {n} (got {_show(text)})")
        for option, (column, text) in cells.items()
        if values[option] is None or not 1 <= values[option] <= n
    ]
    return (None, errors) if errors else (values, [])


def _parse_profile(target: _Target, text: str, layout: _Layout, answers, errors) -> None:
    item = layout.profile[target.sub]
    profile = answers.setdefault("profile", {})
    if item.type == "number":
        value = _number(re.sub(r"[\s\u00a0\u202f]", "", text))  # "1 200"
        if value is None or value.denominator != 1:
            errors.append((target.name, f"expected a whole number (got {_show(text)})"))
        else:
            profile[target.sub] = int(value)
    elif item.type == "multi_select":
        chosen = _parse_choices(item, text, layout, target.name, errors)
        if chosen:
            profile[target.sub] = chosen
    else:
        profile[target.sub] = text
    if not profile:
        del answers["profile"]


# ------------------------------------------------------------------ public API


def parse_pet_csv(text: str | bytes, definition: Definition) -> ParsedRows:
    """Parse a PET module-1 CSV export (or one written by :func:`write_pet_csv`).

    ``text`` may be ``str`` or the file's ``bytes`` (UTF-8, with or without
    BOM; Windows-1252 is tried next, with a warning).  Returns a
    :class:`ParsedRows` (a ``list`` of :class:`ParsedRow` with ``warnings``);
    raises :class:`PetCsvError` listing every problem if any row is invalid.
    """
    warnings: list[str] = []
    text = _decode(text, warnings)
    if "\x00" in text:
        raise _refuse("the file contains NUL bytes: it is not a CSV text file")
    if not text.strip():
        raise _refuse("the file is empty")
    layout = _layout(definition)
    first_line = 1
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's "sep=;" first line
    if hint:
        if hint.group(1) not in DELIMITERS:
            raise _refuse(f"unsupported delimiter {hint.group(1)!r} (use , or ;)", 1)
        delimiter, text, first_line = hint.group(1), text[hint.end() :], 2
    else:
        delimiter = _sniff(text, layout)

    records = _records(text, delimiter, first_line)
    header_line, header = next(
        ((line, cells) for line, cells in records if any(c.strip() for c in cells)),
        (first_line, []),
    )
    cols, ignored = _classify(header, layout)
    errors = _header_errors(header_line, cols, layout)
    if errors:
        raise PetCsvError(errors, warnings)
    if ignored:
        shown = ", ".join(_show(name) for name in ignored[:12])
        more = f" and {len(ignored) - 12} more" if len(ignored) > 12 else ""
        warnings.append(f"ignored {len(ignored)} unknown column(s): {shown}{more}")

    rows: list[tuple[int, list[str]]] = []
    problems: list[Issue] = []
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue  # blank line, or a row of empty cells
        if len(rows) + len(problems) >= MAX_ROWS:
            raise _refuse(f"more than {MAX_ROWS:,} data rows; split the file", line, warnings)
        if any(c.strip() for c in cells[len(header) :]):
            message = (
                f"{len(cells)} cells but the header has {len(header)} columns "
                "(a delimiter inside an unquoted cell?)"
            )
            problems.append(Issue(line, None, message))
            continue
        rows.append((line, cells))
    if not rows and not problems:
        raise _refuse("the file has a header but no data rows", header_line, warnings)

    stored_half = _half_modes(rows, cols, layout, warnings)
    error_column = dict(layout.item_column)
    error_column.update({f"profile.{t.sub}": t.name for t in cols.values() if t.kind == "profile"})
    noted: set[str] = set()
    memo: dict[tuple[int, str], tuple[Any, list]] = {}
    parsed = []
    for line, cells in rows:
        result = _parse_row(cells, cols, layout, stored_half, memo)
        problems.extend(Issue(line, column, message) for column, message in result.errors)
        for item_id, note in result.notes:
            if item_id not in noted:
                noted.add(item_id)
                warnings.append(note)
        answers = result.answers
        if result.source_id is not None:
            answers = {"id": result.source_id, **answers}
        try:
            normalize_answers(definition, answers)
        except AnswerError as exc:
            problems.extend(
                Issue(line, error_column.get(name.split("[")[0]), message)
                for name, message in exc.errors
            )
        parsed.append(ParsedRow(row=line, answers=answers, source_id=result.source_id))
    if problems:
        raise PetCsvError(sorted(problems, key=_file_order(cols, layout)), warnings)
    return ParsedRows(parsed, warnings)


def _file_order(used: dict[int, _Target], layout: _Layout):
    """Sort key for problems: by row, then by the column's place in the file."""
    place: dict[str, int] = {}
    for index, target in sorted(used.items()):
        place.setdefault(target.name, index)
        if target.column is not None:  # an item-level message ("Q2") sorts at its first cell
            place.setdefault(layout.item_column[target.column.item.id], index)
    return lambda issue: (issue.row or 0, place.get(issue.column, 1 << 30))


def write_pet_csv(rows: Iterable[Mapping[str, Any]], definition: Definition) -> str:
    """Write answers (codebook §7 format) as a CSV that :func:`parse_pet_csv` reads back.

    Columns: ``id``, the profile fields, then PET's Q columns in the
    definition's order; likert and yes/no cells hold English labels, rank
    cells 1..4, multi-select cells English labels joined by ``"; "``.
    ``projects`` (module 2) has no column and is left out.  Raises
    ``ValueError`` for invalid answers, and for text a spreadsheet would run
    as a formula (or a free sector entry containing ``";"``), which the
    parser would refuse.
    """
    layout = _layout(definition)
    profile = [sub for sub in PROFILE_HEADERS if sub in layout.profile]  # headers: field names
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *profile, *(c.code for c in layout.columns.values())])
    for number, answers in enumerate(rows, start=1):
        try:
            clean = normalize_answers(definition, answers)
        except AnswerError as exc:
            raise ValueError(f"answers #{number}: {exc}") from exc
        record = [_text_cell(clean.get("id"), "id", number)]
        for sub in profile:
            item = layout.profile[sub]
            record.append(_cell(item, clean.get(item.id), number))
        for col in layout.columns.values():
            value = clean.get(col.item.id)
            if col.option is not None:
                value = None if value is None else value.get(col.option.id)
                if value is not None and col.item.type in ROW_TYPES:
                    value = layout.labels[col.item.id][value]
            record.append(_cell(col.item, value, number, whole=col.option is None))
        writer.writerow(record)
    return out.getvalue()


def _cell(item: Item, value: Any, number: int, *, whole: bool = True) -> str:
    """One written cell; ``whole=False`` for a row or rank cell already turned into text."""
    if value is None:
        return ""
    if not whole or item.type == "number":
        return str(value)
    if item.type == "multi_select":
        labels = []
        for entry in value:
            if any(o.id == entry for o in item.options):
                labels.append(item.option(entry).label["en"])
            elif MULTI_SEPARATOR in entry:
                raise ValueError(f"answers #{number}: {item.id} entry {entry!r} contains ';'")
            else:
                labels.append(_text_cell(entry, item.id, number))
        return f"{MULTI_SEPARATOR} ".join(labels)
    if item.type in ("yes_no_unsure", "single_choice"):
        return item.option(value).label["en"]
    return _text_cell(value, item.id, number)


def _text_cell(value: Any, name: str, number: int) -> str:
    if value is None:
        return ""
    text = str(value)
    if _looks_like_formula(text.strip()):
        raise ValueError(
            f"answers #{number}: {name} {text!r} would be read as a spreadsheet formula"
        )
    return text
