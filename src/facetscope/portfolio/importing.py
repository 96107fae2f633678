"""Bulk import of projects from CSV and XLSX files: templates, parsing, every error.

Pure Python (openpyxl), no Django. Bytes in, plain rows and errors out.

:func:`parse_projects` reads a whole file and returns the rows it could read
and *every* problem it found (up to :data:`MAX_ERRORS`, then a count of the
rest). It saves nothing: deciding that one error rejects the file
(all or nothing) is the caller's job.

The file
--------
* Row 1 holds column names from :data:`COLUMNS`, in any order, matched
  ignoring case (spaces and hyphens count as ``_``); ``title`` is required,
  every other column optional. An unknown, repeated or missing required
  column is a file-level error on row 1, and no row is read.
* One project per row; rows that are entirely empty are skipped. Row numbers
  in errors are the spreadsheet's (header = 1).
* CSV: UTF-8 (a byte order mark is fine), ``;``, ``,`` or tab as delimiter
  (the one the header row uses most). XLSX: the sheet named ``projects``, or
  else the first sheet.
* Lists (partners, policy goals, tags, links, SDGs) are separated by ``;``.
* Formulas are refused: a CSV cell starting with ``=``, an XLSX formula cell
  (or text starting with ``=``).

The rows
--------
Each row is a dict with the project fields of :data:`COLUMNS` *that the file
has* (so a re-import by ``key`` leaves absent columns alone). Empty cells give
``""`` for text and choices, ``[]`` for lists, ``None`` for dates and
numbers — except ``stage``: an empty stage is left out of the row (the
project keeps its stage, a new one gets the default). ``unit`` is the
matching name from ``known_units`` as spelled there. Numbers are ``Decimal``
with two places, dates ``datetime.date``, SDGs sorted unique ``int``.
Rows with an error are not in ``rows``; ``row_numbers[i]`` is the spreadsheet
row of ``rows[i]``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

#: The columns of an import file, in template order, with what each holds.
COLUMNS: Mapping[str, str] = {
    "key": "Your own stable identifier; a row whose key exists updates that project.",
    "title": "Name of the project (required, at most 200 characters).",
    "description": "What the project does and why, in a few sentences.",
    "unit": "Name of the unit that runs the project, as it is named in Facetscope.",
    "owner_email": "E-mail address of the person responsible.",
    "team": "Who works on the project.",
    "partners": "Organisations working with you, separated by ';'.",
    "stage": "Where the project is now.",
    "start_date": "When the project started or will start.",
    "end_date": "When the project ended or will end (not before the start date).",
    "budget": "Total budget, a number without currency.",
    "fte": "People working on it, in full-time equivalents.",
    "funding_source": "Where the money comes from.",
    "policy_goals": "Policy goals the project serves, separated by ';'.",
    "sdgs": "UN Sustainable Development Goals (1 to 17), separated by ';'.",
    "tags": "Free keywords, separated by ';'.",
    "links": "Web pages about the project (http:// or https://), separated by ';'.",
    "priority": "How important the project is for the organisation.",
    "purpose": "What the project is mainly for (innovation facet).",
    "driver": "What mainly drives the project (innovation facet).",
}

REQUIRED: tuple[str, ...] = ("title",)

#: Allowed values or format of each column, for the template's instructions.
FORMATS: Mapping[str, str] = {
    "key": "text, at most 100 characters, unique in the file",
    "title": "text, at most 200 characters",
    "description": "text",
    "unit": "a unit name of your organisation (case does not matter)",
    "owner_email": "an e-mail address",
    "team": "text, at most 500 characters",
    "partners": "list separated by ';'",
    "stage": "idea, exploration, prototype, implementation, scaling, completed, stopped",
    "start_date": "YYYY-MM-DD or DD/MM/YYYY (or a date cell)",
    "end_date": "YYYY-MM-DD or DD/MM/YYYY (or a date cell)",
    "budget": "a number ≥ 0, e.g. 1200.50, 1,200.50 or 1 200,50",
    "fte": "a number ≥ 0, e.g. 2.5",
    "funding_source": "text, at most 200 characters",
    "policy_goals": "list separated by ';'",
    "sdgs": "numbers 1 to 17 separated by ';', e.g. 3; 11 or SDG 3; SDG 11",
    "tags": "list separated by ';'",
    "links": "http(s) addresses separated by ';'",
    "priority": "high, medium, low",
    "purpose": "enh (enhancement-oriented), mis (mission-oriented), ada (adaptive), "
    "ant (anticipatory), all",
    "driver": "enh (enhancement-oriented), mis (mission-oriented), ada (adaptive), "
    "ant (anticipatory)",
}

LIST_SEPARATOR = ";"
MAX_ERRORS = 200
MAX_LENGTHS: Mapping[str, int] = {"key": 100, "title": 200, "team": 500, "funding_source": 200}
#: Largest values the database columns hold (14 and 8 digits, 2 after the point).
MAX_NUMBERS: Mapping[str, Decimal] = {
    "budget": Decimal("999999999999.99"),
    "fte": Decimal("999999.99"),
}
#: An XLSX file may expand to at most this many times ``max_bytes`` when unzipped.
MAX_UNZIP_RATIO = 20

EXAMPLE_UNIT = "Innovation lab"

_EXAMPLE: Mapping[str, Any] = {
    "key": "PRJ-001",
    "title": "Digital permit desk",
    "description": "One online desk for building permits, tested with residents first.",
    "unit": EXAMPLE_UNIT,
    "owner_email": "owner@example.org",
    "team": "Permits team",
    "partners": "City IT department; Residents' association",
    "stage": "prototype",
    "start_date": dt.date(2025, 1, 15),
    "end_date": dt.date(2025, 12, 31),
    "budget": Decimal("120000.00"),
    "fte": Decimal("2.5"),
    "funding_source": "Innovation fund",
    "policy_goals": "Simpler public services; Digital by default",
    "sdgs": "9; 16",
    "tags": "permits; digital",
    "links": "https://example.org/permit-desk",
    "priority": "high",
    "purpose": "enh",
    "driver": "mis",
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet ``row`` (``None``: the file as a whole), ``column``, message.

    (Not called ``ImportError``: that would shadow Python's built-in exception.)
    """

    row: int | None
    column: str
    message: str


@dataclass
class ParseResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Errors found beyond the first :data:`MAX_ERRORS`, not listed.
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    def add(self, row: int | None, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))
        else:
            self.more_errors += 1


class _CellError(ValueError):
    pass


# --------------------------------------------------------------------------- choices

_STAGES = {
    "idea": "idea",
    "exploration": "exploration",
    "prototype": "prototype",
    "prototype or pilot": "prototype",
    "pilot": "prototype",
    "implementation": "implementation",
    "scaling": "scaling",
    "scaling or diffusion": "scaling",
    "diffusion": "scaling",
    "completed": "completed",
    "stopped": "stopped",
}
_PRIORITIES = {"high": "high", "medium": "medium", "low": "low"}
# Facet ids, facet names and the English option labels of the project-facets
# instrument (instruments/definitions/project-facets).
_FACET_NAMES = {
    "enh": "enh",
    "enhancement": "enh",
    "enhancement oriented": "enh",
    "mis": "mis",
    "mission": "mis",
    "mission oriented": "mis",
    "ada": "ada",
    "adaptive": "ada",
    "ant": "ant",
    "anticipatory": "ant",
}
_PURPOSES = {
    **_FACET_NAMES,
    "reaching a major policy goal": "mis",
    "making existing services more efficient": "enh",
    "meeting new user needs by testing from the ground up": "ada",
    "exploring uncertainties and future possibilities": "ant",
    "all": "all",
    "all of these": "all",
    "all facets": "all",
}
_DRIVERS = {
    **_FACET_NAMES,
    "leaders want visible results": "mis",
    "cutting costs and improving processes": "enh",
    "a setting that encourages testing from the ground up": "ada",
    "preparing for change to come": "ant",
}

# --------------------------------------------------------------------------- cells

_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SDG = re.compile(r"(?:sdg|odd|goal)?\s*#?\s*(\d{1,2})", re.IGNORECASE)
_THOUSAND_SPACES = " \u00a0\u202f\u2009'’"
_GROUPED = re.compile(r"\d{1,3}(?:[ ]\d{3})+|\d+")


def _fold(text: str) -> str:
    """A label ignoring case, spaces and hyphens: ``"Mission-Oriented "`` → ``mission oriented``."""
    return _SPACES.sub(" ", text.replace("-", " ").replace("_", " ")).strip().casefold()


def _key(text: str) -> str:
    """Case- and space-insensitive form of a name (units, titles)."""
    return _SPACES.sub(" ", text).strip().casefold()


def _text(value: Any) -> str:
    """A cell as stripped text (numbers without a spurious ``.0``, dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _plain(max_length: int | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        if max_length is not None and len(text) > max_length:
            raise _CellError(f"at most {max_length} characters (this has {len(text)})")
        return text

    return parse


_title_text = _plain(MAX_LENGTHS["title"])


def _title(value: Any) -> str:
    text = _title_text(value)
    if not text:
        raise _CellError("a title is required")
    return text


def _email(value: Any) -> str:
    text = _text(value)
    if text and (len(text) > 254 or not _EMAIL.fullmatch(text)):
        raise _CellError(f"not an e-mail address: '{text}'")
    return text


def _list(value: Any) -> list[str]:
    seen: set[str] = set()
    items = []
    for part in _text(value).split(LIST_SEPARATOR):
        item = _SPACES.sub(" ", part).strip()
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            items.append(item)
    return items


def _choice(choices: Mapping[str, str], name: str) -> Callable[[Any], str]:
    allowed = ", ".join(dict.fromkeys(choices.values()))

    def parse(value: Any) -> str:
        text = _text(value)
        if not text:
            return ""
        try:
            return choices[_fold(text)]
        except KeyError:
            raise _CellError(f"unknown {name} '{text}' (use one of: {allowed})") from None

    return parse


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel date serial in a cell not formatted as a date.
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise _CellError(f"not a date: {value!r}")
    text = _text(value)
    if not text:
        return None
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise _CellError(f"not a date: '{text}' (use YYYY-MM-DD or DD/MM/YYYY)")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _CellError(f"no such date: '{text}'") from None


def parse_number(text: str) -> Decimal:
    """A number written the English or the French way.

    ``1200.5``, ``1,200.50``, ``1 200,50``, ``1.200,50`` and ``1'200.50`` are
    all 1200.5; spaces (also no-break) and apostrophes group thousands. When
    a single ``,`` or ``.`` is followed by exactly three digits after one to
    three digits (``1,200``, ``1.200``), it could be either and raises
    ``ValueError`` rather than guess (write ``1200`` or ``1,2``).
    """
    s = text.strip()
    sign = ""
    if s[:1] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:].lstrip()
    spaced = any(ch in s for ch in _THOUSAND_SPACES)
    for ch in _THOUSAND_SPACES:
        s = s.replace(ch, " ")
    if not s or not re.fullmatch(r"[0-9 .,]+", s) or not s[0].isdigit():
        raise ValueError(f"not a number: '{text}'")
    seps = [ch for ch in ".," if ch in s]
    if len(seps) == 2:
        decimal_sep = "." if s.rfind(".") > s.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = s.rpartition(decimal_sep)
        if group_sep in fraction or not re.fullmatch(
            r"\d{1,3}(?:" + re.escape(group_sep) + r"\d{3})*", whole.replace(" ", "")
        ):
            raise ValueError(f"not a number: '{text}'")
        whole = whole.replace(group_sep, "")
    elif seps:
        sep = seps[0]
        if s.count(sep) > 1:
            if not re.fullmatch(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", s.replace(" ", "")):
                raise ValueError(f"not a number: '{text}'")
            whole, fraction = s.replace(sep, ""), ""
        else:
            whole, _, fraction = s.partition(sep)
            bare = whole.replace(" ", "")
            if not spaced and len(fraction) == 3 and 1 <= len(bare) <= 3 and bare != "0":
                grouped = f"{sign}{bare}{fraction}"
                decimal = f"{sign}{bare}.{fraction.rstrip('0') or '0'}"
                raise ValueError(f"ambiguous number '{text}': write {grouped} or {decimal}")
    else:
        whole, fraction = s, ""
    if not _GROUPED.fullmatch(whole.strip()) or (fraction and not fraction.isdigit()):
        raise ValueError(f"not a number: '{text}'")
    digits = whole.replace(" ", "")
    if not digits:
        raise ValueError(f"not a number: '{text}'")
    return Decimal(f"{sign}{digits}.{fraction or '0'}")


def _number(name: str) -> Callable[[Any], Decimal | None]:
    limit = MAX_NUMBERS[name]

    def parse(value: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            if isinstance(value, bool):
                raise ValueError(f"not a number: {value!r}")
            if isinstance(value, int | float | Decimal):
                number = Decimal(str(value))
            else:
                number = parse_number(_text(value))
            number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except (ValueError, InvalidOperation) as exc:
            raise _CellError(str(exc) if str(exc) else f"not a number: {value!r}") from None
        if not number.is_finite():
            raise _CellError(f"not a number: {value!r}")
        if number < 0:
            raise _CellError("must not be negative")
        if number > limit:
            raise _CellError(f"too large (at most {limit})")
        return number

    return parse


def _sdgs(value: Any) -> list[int]:
    if value is None:
        return []
    if isinstance(value, int | float) and not isinstance(value, bool):
        parts = [_text(value)]
    else:
        parts = re.split(r"[;,]", _text(value))
    goals = set()
    for part in parts:
        part = part.strip()
        if not part:
            continue
        match = _SDG.fullmatch(part)
        if not match:
            raise _CellError(f"not a Sustainable Development Goal: '{part}' (use 1 to 17)")
        number = int(match.group(1))
        if not 1 <= number <= 17:
            raise _CellError(f"Sustainable Development Goals are numbered 1 to 17, not {number}")
        goals.add(number)
    return sorted(goals)


def _links(value: Any) -> list[str]:
    links = _list(value)
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            raise _CellError(f"not a web address: '{link}' (start it with http:// or https://)")
    return links


_PARSERS: Mapping[str, Callable[[Any], Any]] = {
    "key": _plain(MAX_LENGTHS["key"]),
    "title": _title,
    "description": _plain(),
    "unit": _plain(),  # resolved against known_units in the row
    "owner_email": _email,
    "team": _plain(MAX_LENGTHS["team"]),
    "partners": _list,
    "stage": _choice(_STAGES, "stage"),
    "start_date": _date,
    "end_date": _date,
    "budget": _number("budget"),
    "fte": _number("fte"),
    "funding_source": _plain(MAX_LENGTHS["funding_source"]),
    "policy_goals": _list,
    "sdgs": _sdgs,
    "tags": _list,
    "links": _links,
    "priority": _choice(_PRIORITIES, "priority"),
    "purpose": _choice(_PURPOSES, "purpose"),
    "driver": _choice(_DRIVERS, "driver"),
}


# --------------------------------------------------------------------------- readers


@dataclass
class _Cell:
    value: Any
    formula: bool = False
    error: bool = False  # an XLSX error value such as #N/A


class _FileError(Exception):
    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[_Cell]]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _FileError("the file is UTF-16 text; save it as CSV UTF-8 and try again")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileError(
            f"the file is not UTF-8 text (first unreadable byte on line {line}); "
            "save it as CSV UTF-8 and try again"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [_Cell(v, formula=v.lstrip().startswith("=")) for v in record]
    except csv.Error as exc:
        raise _FileError(f"the file cannot be read as CSV: {exc}", row=number + 1) from None


def _xlsx_rows(data: bytes, max_bytes: int) -> Iterator[tuple[int, list[_Cell]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _FileError("the file is not a valid XLSX workbook") from None
    if unzipped > MAX_UNZIP_RATIO * max_bytes:
        raise _FileError(
            f"the workbook expands to {_size(unzipped)}, more than the "
            f"{_size(MAX_UNZIP_RATIO * max_bytes)} allowed"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        raise _FileError("the file is not a valid XLSX workbook") from None
    try:
        names = {name.casefold(): name for name in workbook.sheetnames}
        if "projects" in names:
            sheet = workbook[names["projects"]]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            raise _FileError("the workbook has no sheet")
        # The stored dimensions may be wrong (some tools write A1:A1); read every cell.
        sheet.reset_dimensions()
        number = 0
        try:
            for number, row in enumerate(sheet.iter_rows(), start=1):
                yield (
                    number,
                    [
                        _Cell(
                            cell.value,
                            formula=cell.data_type == "f"
                            or (isinstance(cell.value, str) and cell.value.startswith("=")),
                            error=cell.data_type == "e",
                        )
                        for cell in row
                    ],
                )
        except _FileError:
            raise
        except Exception as exc:
            raise _FileError(f"the workbook cannot be read: {exc}", row=number + 1) from None
    finally:
        workbook.close()


def _header_key(value: Any) -> str:
    return _SPACES.sub("_", _text(value).replace("-", " ").strip()).casefold()


def _column_letter(index: int) -> str:
    return get_column_letter(index + 1)


# --------------------------------------------------------------------------- parsing


def parse_projects(
    data: bytes,
    filename: str,
    *,
    known_units: Iterable[str],
    max_bytes: int = 20_000_000,
    max_rows: int = 20_000,
) -> ParseResult:
    """Read projects from a CSV or XLSX file (chosen by ``filename``'s extension).

    Returns every row that parsed cleanly and every error found (see the
    module docstring). File-level errors (size, encoding, format, header, too
    many rows) have ``row`` ``None`` or 1 and leave ``rows`` empty. Unit names
    match ``known_units`` ignoring case and extra spaces.
    """
    result = ParseResult()
    if len(data) > max_bytes:
        result.add(
            None, "", f"the file is {_size(len(data))}; files up to {_size(max_bytes)} are accepted"
        )
        return result
    if not data.strip() or data.strip() == codecs.BOM_UTF8:
        result.add(None, "", "the file is empty")
        return result
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    is_zip = data.startswith(b"PK\x03\x04")
    if extension == "xlsx":
        if not is_zip:
            result.add(None, "", "the file is not a valid XLSX workbook")
            return result
        table = _xlsx_rows(data, max_bytes)
    elif extension in ("csv", "txt"):
        if is_zip:
            result.add(None, "", "the file is a workbook, not CSV text: name it .xlsx")
            return result
        table = _csv_rows(data)
    else:
        result.add(None, "", "unsupported file type: upload a .csv or .xlsx file")
        return result

    units = {_key(name): name for name in known_units}
    try:
        _parse_table(table, result, units, max_rows)
    except _FileError as exc:
        result.rows.clear()
        result.row_numbers.clear()
        result.add(exc.row, "", str(exc))
    finally:
        table.close()  # releases the workbook when reading stopped early
    return result


def _parse_table(
    table: Iterator[tuple[int, list[_Cell]]],
    result: ParseResult,
    units: Mapping[str, str],
    max_rows: int,
) -> None:
    header = next(table, None)
    if header is None:
        raise _FileError("the file is empty")
    columns = _read_header(header[1], result)
    if columns is None:
        return
    first_by_key: dict[str, int] = {}
    first_by_title: dict[tuple[str, str], int] = {}
    count = 0
    for number, cells in table:
        if all(_is_blank(cell.value) for cell in cells):
            continue
        count += 1
        if count > max_rows:
            raise _FileError(f"the file has more than {max_rows:,} project rows", row=number)
        row, ok = _parse_row(number, cells, columns, units, result)
        if row.get("key"):
            first = first_by_key.setdefault(row["key"], number)
            if first != number:
                result.add(
                    number, "key", f"rows {first} and {number} have the same key '{row['key']}'"
                )
                ok = False
        elif row.get("title") and ("key" in row or "key" not in columns):
            identity = (_key(row["title"]), _key(row.get("unit", "")))
            first = first_by_title.setdefault(identity, number)
            if first != number:
                result.add(
                    number,
                    "title",
                    f"rows {first} and {number} have the same title and unit and no key",
                )
                ok = False
        if ok:
            result.rows.append(row)
            result.row_numbers.append(number)
    if count == 0:
        raise _FileError("the file has no project rows")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_header(cells: list[_Cell], result: ParseResult) -> list[str | None] | None:
    """Field name per column (``None`` for a column without a name); ``None`` on errors."""
    columns: list[str | None] = []
    errors = False
    for cell in cells:
        if _is_blank(cell.value):
            columns.append(None)
            continue
        name = _header_key(cell.value)
        if name not in COLUMNS:
            result.add(1, _text(cell.value), f"unknown column '{_text(cell.value)}'")
            errors = True
        elif name in columns:
            result.add(1, name, f"column '{name}' appears more than once")
            errors = True
        columns.append(name)
    for name in REQUIRED:
        if name not in columns:
            result.add(1, name, f"missing required column '{name}'")
            errors = True
    return None if errors else columns


def _parse_row(
    number: int,
    cells: list[_Cell],
    columns: list[str | None],
    units: Mapping[str, str],
    result: ParseResult,
) -> tuple[dict[str, Any], bool]:
    """The values that parsed (errors go to ``result``), and whether the whole row did."""
    before = result.error_count
    row: dict[str, Any] = {}
    for index, cell in enumerate(cells):
        name = columns[index] if index < len(columns) else None
        if name is None:
            if not _is_blank(cell.value):
                result.add(
                    number,
                    _column_letter(index),
                    f"a value in column {_column_letter(index)}, which has no header",
                )
            continue
        if cell.formula:
            result.add(number, name, "formulas are not accepted")
            continue
        if cell.error:
            result.add(number, name, f"the cell holds a spreadsheet error ({cell.value})")
            continue
        try:
            row[name] = _PARSERS[name](cell.value)
        except _CellError as exc:
            result.add(number, name, str(exc))
    # Columns the row is too short to reach are empty.
    for name in columns[len(cells) :]:
        if name is not None and name not in row:
            try:
                row[name] = _PARSERS[name](None)
            except _CellError as exc:
                result.add(number, name, str(exc))
    if "stage" in row and not row["stage"]:
        del row["stage"]
    if row.get("unit"):
        canonical = units.get(_key(row["unit"]))
        if canonical is None:
            result.add(number, "unit", f"unknown unit '{row['unit']}'")
        else:
            row["unit"] = canonical
    start, end = row.get("start_date"), row.get("end_date")
    if start and end and end < start:
        result.add(number, "end_date", "the end date is before the start date")
    return row, result.error_count == before


# --------------------------------------------------------------------------- templates


def _example_cell(name: str, example_unit: str) -> Any:
    return example_unit if name == "unit" else _EXAMPLE[name]


def template_csv(*, example_unit: str = EXAMPLE_UNIT) -> str:
    """A CSV template: the header row and one example row (comma-delimited).

    Encode it as ``utf-8-sig`` for Excel to recognise UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([_text(_example_cell(name, example_unit)) for name in COLUMNS])
    return out.getvalue()


def template_xlsx(*, example_unit: str = EXAMPLE_UNIT) -> bytes:
    """An XLSX template: a ``projects`` sheet (header, one example row) and ``instructions``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "projects"
    sheet.append(list(COLUMNS))
    sheet.append([_example_cell(name, example_unit) for name in COLUMNS])
    bold = Font(bold=True)
    for index, name in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = bold
        letter = _column_letter(index - 1)
        sheet.column_dimensions[letter].width = max(14, min(40, len(_text(_EXAMPLE[name])) + 2))
        if name in ("start_date", "end_date"):
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
        elif name in ("budget", "fte"):
            sheet.cell(row=2, column=index).number_format = "0.00"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("instructions")
    notes.append(["column", "required", "what it holds", "allowed values or format"])
    for cell in notes[1]:
        cell.font = bold
    for name, description in COLUMNS.items():
        notes.append([name, "yes" if name in REQUIRED else "no", description, FORMATS[name]])
    notes.append([])
    for line in (
        "One project per row on the 'projects' sheet; row 1 holds the column names.",
        "Only 'title' is required; leave out columns you do not need.",
        "Separate the items of a list with ';'.",
        "Choices accept the short id or the English label, in any case.",
        "Formulas are not accepted: paste values only.",
        "Replace the example row with your own projects.",
    ):
        notes.append([line])
    for letter, width in zip("ABCD", (16, 10, 60, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
