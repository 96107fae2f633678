"""The library record format: one case or toolkit, as imported, exported and shown.

Pure Python, no Django: ``facetscope library import FILE`` / ``export`` and the
web pages all go through this module. Bytes or mappings in, clean records (plain
dicts) or every problem out.

Records
-------
:data:`FIELDS` lists every field, in the order clean records and exports use.
``key``, ``type``, ``title`` and ``summary`` are required, every other field
optional. :func:`clean_record` turns one raw mapping into a clean record:

* only known fields, in :data:`FIELDS` order; empty optional values (``None``,
  ``""``, ``[]``, ``{}``) are left out, except ``language``, which defaults
  to ``"en"``;
* text is stripped; choices are matched ignoring case, with spaces and
  hyphens counting as ``_`` (``"Public admin reform"`` → ``public_admin_reform``);
* lists may be given as a list or as text separated by ``;``; they keep their
  order, without empty items or repeats; tags are lowercase with single spaces;
* ``country`` is an ISO 3166-1 code (alpha-2, or alpha-3 converted to alpha-2),
  an English country name (converted to the code) or ``EU`` / ``INT``; names
  come from ``django_countries``' data, read without Django settings, plus the
  everyday names of :data:`COUNTRY_ALIASES` ("United States", "UK", "Wales", …);
* ``facets`` holds the four facet shares, ``{"enh": …, "mis": …, "ada": …,
  "ant": …}``, each a multiple of 0.01, adding up to exactly 1 (in hundredths).
  The input may be such a mapping (missing facets count as 0; its shares must
  add up to 1 ± 0.02), a single facet code (100 %), a list of codes (equal
  shares), or text: ``"mis"``, ``"enh; mis"`` or ``"enh:0.3; mis:0.7"``.

Every problem is a :class:`Problem` ``(where, field, message)``, for example
``("line 7", "country", "unknown country 'Atlantis' …")``; problems are raised
together as one :class:`RecordError`.

Files
-----
:func:`read_records` reads JSON Lines (``.jsonl`` or ``.json``: one object per
line, ``where`` is ``"line N"``) or CSV (``.csv``: where is ``"row N"``, the
header being row 1). UTF-8, a byte order mark is fine. It collects the
problems of the whole file and raises them together (the first
:data:`MAX_ERRORS`, and a count of the rest); file-level problems have
``where`` ``"file"`` (or ``"row 1"`` for the CSV header).

CSV files
    Row 1 names the columns (any order; matched ignoring case, with spaces
    and hyphens counting as ``_``); ``key``, ``type``, ``title`` and ``summary``
    must be there. List items are separated by ``;``. Facets are either four
    columns ``facet_enh``, ``facet_mis``, ``facet_ada``, ``facet_ant`` (an empty
    cell counts as 0 when another facet cell of the row is filled) or a single
    ``facets`` column (``mis``, ``enh; mis`` or ``enh:0.3; mis:0.7``). The
    delimiter is ``,``, ``;`` or tab (the one the header row uses most).
    Cells that look like spreadsheet formulas (starting with ``=``, ``+``,
    ``@``, or ``-`` followed by something other than a digit) are refused,
    unless escaped with a leading apostrophe, which is removed: ``'=x`` reads
    as ``=x``. :func:`write_csv` escapes such values that way.

:func:`write_jsonl` and :func:`write_csv` clean the records they are given and
write them so that :func:`read_records` gives back exactly the same clean
records. Encode CSV as ``utf-8-sig`` for spreadsheet programs to see UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple
from urllib.parse import urlsplit

# Plain data modules: importing them reads no Django settings (see _english).
from django_countries.base import CountriesBase
from django_countries.data import ALT_CODES, COUNTRIES

# --------------------------------------------------------------------------- fields

TYPES: tuple[str, ...] = ("case", "toolkit")
LEVELS: tuple[str, ...] = ("national", "regional", "local", "supranational", "other")
SECTORS: tuple[str, ...] = (
    "economic_affairs",
    "education",
    "employment",
    "environment",
    "external_relations",
    "health",
    "housing",
    "digital",
    "public_admin_reform",
    "public_order_justice",
    "culture",
    "science_research",
    "transport",
)
STAGES: tuple[str, ...] = (
    "identifying_problems",
    "generating_ideas",
    "developing_proposals",
    "implementation",
    "evaluation",
    "diffusing_lessons",
)
#: The OPSI innovation facets: enhancement-oriented, mission-oriented, adaptive, anticipatory.
FACETS: tuple[str, ...] = ("enh", "mis", "ada", "ant")
ACTIONS: tuple[str, ...] = (
    "articulate",
    "extend",
    "drive",
    "accelerate",
    "mobilise",
    "enrich",
    "authorising_environment",
)
CAPABILITIES: tuple[str, ...] = (
    "sense_making",
    "stewardship",
    "supportive_structures",
    "resource_allocation",
    "learning",
    "communication",
)
#: Everyday English names that django_countries does not list, for the country they mean.
#: The nations of the United Kingdom count as GB (ISO 3166-1 has no code of their own).
COUNTRY_ALIASES: Mapping[str, str] = {
    "United States": "US",
    "America": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Holland": "NL",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Vatican": "VA",
    "DR Congo": "CD",
    "DRC": "CD",
    "Macau": "MO",
    "Burma": "MM",
    "East Timor": "TL",
    "Slovak Republic": "SK",
    "Kyrgyz Republic": "KG",
    "UAE": "AE",
}
#: Codes allowed besides ISO 3166-1 countries, with their English names.
OTHER_COUNTRIES: Mapping[str, str] = {"EU": "European Union", "INT": "International"}

LIST_SEPARATOR = ";"
MAX_ERRORS = 200
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
#: Largest total facet share difference from 1 that is normalised away.
FACET_TOLERANCE = Decimal("0.02")
YEARS = (1900, 2100)
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Field:
    """One field of a record.

    ``kind`` is one of ``key``, ``choice``, ``text``, ``country``, ``year``,
    ``choice_list``, ``tag_list``, ``facets``, ``url``, ``language``.
    """

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    help: str = ""

    @property
    def is_list(self) -> bool:
        return self.kind in ("choice_list", "tag_list")


#: Every field, in the order of clean records, JSON Lines exports and CSV columns.
FIELDS: tuple[Field, ...] = (
    Field(
        "key",
        "key",
        required=True,
        max_length=100,
        help="Stable identifier: lowercase letters, digits and hyphens.",
    ),
    Field("type", "choice", required=True, choices=TYPES, help="A case or a toolkit/method."),
    Field("title", "text", required=True, max_length=300, help="Name of the case or toolkit."),
    Field("summary", "text", required=True, help="What it is, in a few sentences."),
    Field("country", "country", help="ISO 3166-1 code or English name; EU or INT."),
    Field("level", "choice", choices=LEVELS, help="Level of government."),
    Field("organisation_type", "text", help="Kind of organisation behind the case."),
    Field("year", "year", help=f"Year it started ({YEARS[0]} to {YEARS[1]})."),
    Field("sectors", "choice_list", choices=SECTORS, help="Policy sectors."),
    Field("stage", "choice", choices=STAGES, help="Stage of the innovation process reached."),
    Field("stages", "choice_list", choices=STAGES, help="Stages of the process it helps with."),
    Field("facets", "facets", help="Shares of the four innovation facets, adding up to 1."),
    Field("tags", "tag_list", help="Free keywords, lowercase."),
    Field("results", "text", help="What came of it."),
    Field("lessons", "text", help="What others can learn from it."),
    Field("url", "url", max_length=500, help="Source web page (http:// or https://)."),
    Field("language", "language", help="Two-letter language code of the record (default en)."),
    Field("publisher", "text", help="Who publishes the toolkit."),
    Field("discipline", "text", help="Discipline or field of practice."),
    Field("toolkit_type", "text", help="Guide, framework, method, toolkit, …"),
    Field("format", "text", help="Website, PDF, online tool, …"),
    Field("licence", "text", help="Terms of reuse."),
    Field("actions", "choice_list", choices=ACTIONS, help="Actions it supports."),
    Field("capabilities", "choice_list", choices=CAPABILITIES, help="Capabilities it builds."),
    Field("good_for", "text", help="When to reach for it."),
)
FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
FIELDS_BY_NAME: Mapping[str, Field] = {field.name: field for field in FIELDS}
REQUIRED: tuple[str, ...] = tuple(field.name for field in FIELDS if field.required)
#: The four CSV columns that may hold the facet shares instead of a ``facets`` column.
CSV_FACET_COLUMNS: tuple[str, ...] = tuple(f"facet_{facet}" for facet in FACETS)

# --------------------------------------------------------------------------- problems


class Problem(NamedTuple):
    """Where (``"line 7"``, ``"row 3"``, ``"file"``), which field, and what is wrong."""

    where: str
    field: str
    message: str


class RecordError(ValueError):
    """Every problem found (the first :data:`MAX_ERRORS`); ``more`` counts the rest."""

    def __init__(self, errors: Iterable[tuple[str, str, str]], more: int = 0) -> None:
        self.errors: list[Problem] = [Problem(*error) for error in errors]
        self.more = more
        lines = [_describe(error) for error in self.errors]
        if more:
            lines.append(f"(and {more} more)")
        # One problem per line, as the command line shows them.
        super().__init__("\n".join(lines))

    @property
    def count(self) -> int:
        return len(self.errors) + self.more


def _describe(problem: Problem) -> str:
    place = ", ".join(part for part in (problem.where, problem.field) if part)
    return f"{place}: {problem.message}" if place else problem.message


class _Problems:
    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.more = 0

    def add(self, where: str, field: str, message: str) -> None:
        if len(self.listed) < MAX_ERRORS:
            self.listed.append(Problem(where, field, message))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.listed or self.more)

    def error(self) -> RecordError:
        return RecordError(self.listed, self.more)


class _Invalid(Exception):
    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)


# --------------------------------------------------------------------------- countries


def _english(name: Any) -> str:
    """The English text of a ``django_countries`` name.

    The names are ``gettext_lazy`` proxies when Django is installed, and turning
    one into text reads Django's settings. Its pickle recipe,
    ``(_lazy_proxy_unpickle, (gettext, ("Sweden",), {}, str))``, holds the
    untranslated message, without translating anything.
    """
    if isinstance(name, str):
        return name
    _unpickle, (_function, args, kwargs, *_classes) = name.__reduce__()
    if len(args) != 1 or kwargs or not isinstance(args[0], str):
        raise TypeError(f"unexpected country name {name!r}")
    return args[0]


def _name_key(name: str) -> str:
    """A country name ignoring case, accents, punctuation and a leading "the"."""
    text = unicodedata.normalize("NFKD", name.replace("&", " and "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[\W_]+", " ", text).strip()
    return text.removeprefix("the ")


def _country_names() -> dict[str, str]:
    """Normalised English names → code: official, common and old names, then names
    without their bracketed part ("Netherlands (Kingdom of the)") where unambiguous."""
    exact: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    names: list[tuple[str, str]] = [(code, _english(name)) for code, name in COUNTRIES.items()]
    names += [(code, _english(name)) for code, name in CountriesBase.COMMON_NAMES.items()]
    names += [
        (code, _english(name)) for code, old in CountriesBase.OLD_NAMES.items() for name in old
    ]
    names += list(OTHER_COUNTRIES.items())
    names += [(code, name) for name, code in COUNTRY_ALIASES.items()]
    for code, name in names:
        exact.setdefault(_name_key(name), set()).add(code)
        bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
        if bare != name:
            short.setdefault(_name_key(bare), set()).add(code)
    table = {key: codes.pop() for key, codes in short.items() if len(codes) == 1 and key}
    table.update({key: codes.pop() for key, codes in exact.items() if len(codes) == 1})
    return table


COUNTRY_CODES: frozenset[str] = frozenset(COUNTRIES) | frozenset(OTHER_COUNTRIES)
_ALPHA3 = {alt[0]: code for code, alt in ALT_CODES.items() if code in COUNTRIES}
_COUNTRY_NAMES = _country_names()


def country_name(code: str) -> str:
    """The English name of a country code of a clean record (``"SE"`` → ``"Sweden"``)."""
    if code in OTHER_COUNTRIES:
        return OTHER_COUNTRIES[code]
    return _english(COUNTRIES[code])


# --------------------------------------------------------------------------- values

_SPACES = re.compile(r"\s+")


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fold(text: str) -> str:
    """A choice ignoring case, spaces and hyphens: ``"Public admin-reform"``.

    Gives ``public_admin_reform``. Runs of ``_`` collapse, so choices must not
    hold ``__`` or start or end with ``_``.
    """
    return re.sub(r"[\s_-]+", "_", text.strip().casefold()).strip("_")


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Invalid(f"must be text, not {_what(value)}")
    _check_characters(value)
    return value.strip()


def _check_characters(text: str) -> None:
    if "\x00" in text:
        raise _Invalid("contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        # A lone surrogate, as JSON's "\ud800" gives: no UTF-8 file or database holds it.
        raise _Invalid(f"contains an invalid character (U+{ord(text[exc.start]):04X})") from None


def _text(field: Field) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _as_text(value)
        if field.max_length is not None and len(text) > field.max_length:
            raise _Invalid(f"at most {field.max_length} characters (this has {len(text)})")
        return text

    return parse


def _key(field: Field) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _as_text(value)
        if len(text) > (field.max_length or 0):
            raise _Invalid(f"at most {field.max_length} characters (this has {len(text)})")
        if text and not KEY_PATTERN.fullmatch(text):
            raise _Invalid(
                f"not a valid key: '{_shown(text)}' (use lowercase letters, digits and "
                "hyphens, starting with a letter or digit)"
            )
        return text

    return parse


def _choice(field: Field) -> Callable[[Any], str]:
    allowed = ", ".join(field.choices)

    def parse(value: Any) -> str:
        text = _as_text(value)
        if not text:
            return ""
        folded = _fold(text)
        if folded not in field.choices:
            raise _Invalid(f"unknown {field.name} '{_shown(text)}' (use one of: {allowed})")
        return folded

    return parse


def _items(value: Any) -> list[str]:
    """A list, or text separated by ``;``, as stripped non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.split(LIST_SEPARATOR)
    elif isinstance(value, list | tuple):
        parts = []
        for item in value:
            if not isinstance(item, str):
                raise _Invalid(f"list items must be text, not {_what(item)}")
            if LIST_SEPARATOR in item:
                raise _Invalid(f"an item cannot contain '{LIST_SEPARATOR}': '{_shown(item)}'")
            parts.append(item)
    else:
        raise _Invalid(f"must be a list, not {_what(value)}")
    items = []
    for part in parts:
        _check_characters(part)
        if part.strip():
            items.append(part.strip())
    return items


def _choice_list(field: Field) -> Callable[[Any], list[str]]:
    allowed = ", ".join(field.choices)
    noun = {"sectors": "sector", "stages": "stage", "capabilities": "capability"}.get(
        field.name, field.name.removesuffix("s")
    )

    def parse(value: Any) -> list[str]:
        chosen: list[str] = []
        unknown: list[str] = []
        for item in _items(value):
            folded = _fold(item)
            if folded not in field.choices:
                unknown.append(f"unknown {noun} '{_shown(item)}' (use one of: {allowed})")
            elif folded not in chosen:
                chosen.append(folded)
        if unknown:
            raise _Invalid(*unknown)
        return chosen

    return parse


def _tag_list(field: Field) -> Callable[[Any], list[str]]:
    def parse(value: Any) -> list[str]:
        tags: list[str] = []
        for item in _items(value):
            tag = _SPACES.sub(" ", item).lower()
            if tag not in tags:
                tags.append(tag)
        return tags

    return parse


def _country(field: Field) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _as_text(value)
        if not text:
            return ""
        upper = text.upper()
        if upper in COUNTRY_CODES:
            return upper
        if upper in _ALPHA3:
            return _ALPHA3[upper]
        code = _COUNTRY_NAMES.get(_name_key(text))  # names, and aliases such as "UK"
        if code is None and re.fullmatch(r"[A-Za-z]{2}", text):
            raise _Invalid(f"unknown country code '{text}'")
        if code is None:
            raise _Invalid(
                f"unknown country '{_shown(text)}' (use a two-letter ISO code such as SE, "
                "or the English name of the country; EU or INT for others)"
            )
        return code

    return parse


def _year(field: Field) -> Callable[[Any], int | None]:
    low, high = YEARS

    def parse(value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool):
            raise _Invalid("must be a year, not true/false")
        if isinstance(value, float):
            if not (math.isfinite(value) and value.is_integer()):
                raise _Invalid(f"not a year: {value}")
            value = int(value)
        if isinstance(value, int):
            year = value
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if not re.fullmatch(r"[0-9]{1,6}", text):
                raise _Invalid(f"not a year: '{_shown(text)}'")
            year = int(text)
        else:
            raise _Invalid(f"must be a year, not {_what(value)}")
        if not low <= year <= high:
            raise _Invalid(f"the year must be between {low} and {high}, not {year}")
        return year

    return parse


def _url(field: Field) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _as_text(value)
        if not text:
            return ""
        if len(text) > (field.max_length or 0):
            raise _Invalid(f"at most {field.max_length} characters (this has {len(text)})")
        try:
            parts = urlsplit(text)
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(ch.isspace() for ch in text)
        ):
            raise _Invalid(
                f"not a web address: '{_shown(text)}' (start it with http:// or https://)"
            )
        return text

    return parse


def _language(field: Field) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _as_text(value).lower()
        if text and not re.fullmatch(r"[a-z]{2}", text):
            raise _Invalid(f"not a two-letter language code: '{_shown(text)}'")
        return text

    return parse


# --------------------------------------------------------------------------- facets

_FACET_HELP = f"use {', '.join(FACETS)}"


def _facet_code(name: Any) -> str:
    if not isinstance(name, str):
        raise _Invalid(f"facet codes must be text, not {_what(name)}")
    code = name.strip().casefold()
    if code not in FACETS:
        raise _Invalid(f"unknown facet '{_shown(name.strip())}' ({_FACET_HELP})")
    return code


def _share(code: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Invalid(f"the share of '{code}' must be a number, not {_what(value)}")
    try:
        # repr gives the shortest text of a float: 0.55, not 0.55000000000000004…
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise _Invalid(f"the share of '{code}' is not a number: '{_shown(str(value))}'") from None
    if not number.is_finite():
        raise _Invalid(f"the share of '{code}' is not a number: '{_shown(str(value))}'")
    if number < 0:
        raise _Invalid(f"the share of '{code}' cannot be negative ({value})")
    return number


def _hundredths(weights: Mapping[str, Decimal]) -> dict[str, float]:
    """Shares in proportion to ``weights``, in hundredths adding up to exactly 100.

    Largest remainders get the hundredths left over by rounding down (ties in
    facet order), so shares that already add up to 1 in hundredths stay as they are.
    """
    total = sum(weights.values(), Decimal(0))
    exact = {code: weights.get(code, Decimal(0)) * 100 / total for code in FACETS}
    whole = {code: int(value) for code, value in exact.items()}
    left = 100 - sum(whole.values())
    for code in sorted(FACETS, key=lambda c: (-(exact[c] - whole[c]), FACETS.index(c)))[:left]:
        whole[code] += 1
    return {code: float(Decimal(whole[code]) / 100) for code in FACETS}


def _facets(field: Field) -> Callable[[Any], dict[str, float] | None]:
    def parse(value: Any) -> dict[str, float] | None:
        if value is None:
            return None
        codes: list[Any] | None = None
        pairs: list[tuple[Any, Any]] | None = None
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
            with_share = [":" in part for part in parts]
            if all(with_share):
                pairs = [tuple(part.split(":", 1)) for part in parts]  # type: ignore[misc]
            elif not any(with_share):
                codes = parts
            else:
                raise _Invalid(
                    "write facet codes (enh; mis) or codes with shares (enh:0.3; mis:0.7), not both"
                )
        elif isinstance(value, list | tuple):
            codes = list(value)
        elif isinstance(value, Mapping):
            pairs = list(value.items())
        else:
            raise _Invalid(f"must be facet shares, not {_what(value)}")

        messages: list[str] = []
        weights: dict[str, Decimal] = {}
        for name, share in pairs if pairs is not None else [(code, 1) for code in codes or ()]:
            try:
                code = _facet_code(name)
                number = _share(code, share)
            except _Invalid as exc:
                messages += exc.messages
                continue
            if code in weights:
                if pairs is not None:
                    messages.append(f"facet '{code}' appears more than once")
                continue
            weights[code] = number
        if messages:
            raise _Invalid(*messages)
        if not weights:
            return None
        total = sum(weights.values(), Decimal(0))
        if total == 0:
            raise _Invalid("the facet shares are all 0")
        if pairs is not None and abs(total - 1) > FACET_TOLERANCE:
            raise _Invalid(f"the facet shares add up to {total.normalize():f}, not 1")
        return _hundredths(weights)

    return parse


_PARSERS: Mapping[str, Callable[[Field], Callable[[Any], Any]]] = {
    "key": _key,
    "choice": _choice,
    "text": _text,
    "country": _country,
    "year": _year,
    "choice_list": _choice_list,
    "tag_list": _tag_list,
    "facets": _facets,
    "url": _url,
    "language": _language,
}
_CLEANERS: Mapping[str, Callable[[Any], Any]] = {
    field.name: _PARSERS[field.kind](field) for field in FIELDS
}


# --------------------------------------------------------------------------- records


def _clean(raw: Any, where: str) -> tuple[dict[str, Any], list[Problem]]:
    """The fields that cleaned, and the problems of the others."""
    if not isinstance(raw, Mapping):
        return {}, [Problem(where, "", f"expected an object with fields, not {_what(raw)}")]
    problems = [
        Problem(where, str(name), f"unknown field '{_shown(str(name))}'")
        for name in raw
        if name not in FIELDS_BY_NAME
    ]
    record: dict[str, Any] = {}
    for field in FIELDS:
        try:
            value = _CLEANERS[field.name](raw.get(field.name))
        except _Invalid as exc:
            problems += [Problem(where, field.name, message) for message in exc.messages]
            continue
        if value is None or value in ("", [], {}):
            if field.required:
                problems.append(Problem(where, field.name, f"a {field.name} is required"))
            elif field.name == "language":
                record["language"] = DEFAULT_LANGUAGE
            continue
        record[field.name] = value
    return record, problems


def clean_record(raw: Mapping[str, Any], *, where: str) -> dict[str, Any]:
    """The clean form of one record, or :class:`RecordError` with all its problems.

    ``where`` says where the record comes from (``"line 7"``) in the problems.
    """
    record, problems = _clean(raw, where)
    if problems:
        collected = _Problems()
        for problem in problems:
            collected.add(*problem)
        raise collected.error()
    return record


def _place(where: str) -> str:
    return f"on {where}" if where.startswith("line") else f"in {where}"


def _collect(
    entries: Iterable[tuple[str, Any, set[str]]], problems: _Problems
) -> list[tuple[str, dict[str, Any]]]:
    """Clean each ``(where, raw, fields already reported)``; check keys are unique."""
    records: list[tuple[str, dict[str, Any]]] = []
    first_by_key: dict[str, str] = {}
    for where, raw, reported in entries:
        record, found = _clean(raw, where)
        for problem in found:
            if problem.field not in reported:
                problems.add(*problem)
        ok = not found and not reported
        key = record.get("key")
        if key is not None:
            first = first_by_key.setdefault(key, where)
            if first != where:
                problems.add(
                    where,
                    "key",
                    f"the key '{key}' is used both {_place(first)} and {_place(where)}",
                )
                ok = False
        if ok:
            records.append((where, record))
    return records


# --------------------------------------------------------------------------- reading


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _file_error(message: str, where: str = "file", field: str = "") -> RecordError:
    return RecordError([(where, field, message)])


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _file_error("the file is UTF-16 text; save it as UTF-8 and try again")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _file_error(
            f"the file is not UTF-8 text (first unreadable byte on line {line}); "
            "save it as UTF-8 and try again"
        ) from None


def read_records(
    data: bytes, filename: str, *, max_bytes: int = 50_000_000
) -> list[tuple[str, dict[str, Any]]]:
    """``(where, clean record)`` for each record of a JSON Lines or CSV file.

    The format follows ``filename``'s extension (``.jsonl``, ``.json``, ``.csv``).
    Raises :class:`RecordError` with every problem of the file if there is any
    (see the module docstring); then no record is returned.
    """
    if len(data) > max_bytes:
        raise _file_error(
            f"the file is {_size(len(data))}; files up to {_size(max_bytes)} are accepted"
        )
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if extension not in ("jsonl", "json", "csv"):
        raise _file_error("unsupported file type: use a .jsonl, .json or .csv file")
    text = _decode(data)
    if not text.strip():
        raise _file_error("the file is empty")
    problems = _Problems()
    if extension == "csv":
        records = _collect(_csv_entries(text, problems), problems)
        kind = "rows"
    else:
        records = _collect(_jsonl_entries(text, problems), problems)
        kind = "lines"
    if problems:
        raise problems.error()
    if not records:
        raise _file_error(f"the file has no records (no filled {kind})")
    return records


class _DuplicateName(ValueError):
    pass


def _unique_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for name, value in pairs:
        if name in obj:
            raise _DuplicateName(name)
        obj[name] = value
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _jsonl_entries(text: str, problems: _Problems) -> Iterator[tuple[str, Any, set[str]]]:
    if text.lstrip().startswith("["):
        problems.add("file", "", "expected one JSON object per line (JSON Lines), not a JSON array")
        return
    # Split on "\n" only: JSON strings may hold U+2028 and other characters
    # that str.splitlines() would break lines at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            raw = json.loads(line, object_pairs_hook=_unique_names, parse_constant=_no_constant)
        except _DuplicateName as exc:
            problems.add(where, str(exc), f"the field '{exc}' appears more than once")
            continue
        except ValueError as exc:
            problems.add(where, "", f"not valid JSON: {exc}")
            continue
        yield where, raw, set()


def _looks_like_formula(text: str) -> bool:
    return text[:1] in ("=", "+", "@") or (
        text[:1] == "-" and len(text) > 1 and text[1] not in "0123456789"
    )


def _unescape(cell: str) -> str | None:
    """The cell's value, or ``None`` for a formula; ``'=x`` is the text ``=x``."""
    stripped = cell.lstrip()
    if _looks_like_formula(stripped.lstrip("'")):
        return stripped[1:] if stripped.startswith("'") else None
    return cell


def _escape(text: str) -> str:
    """Text written so that :func:`_unescape` gives it back and no spreadsheet computes it."""
    return "'" + text if _looks_like_formula(text.lstrip().lstrip("'")) else text


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header_name(cell: str) -> str:
    return re.sub(r"[\s-]+", "_", cell.strip()).casefold()


def _csv_header(cells: list[str], problems: _Problems) -> list[str | None] | None:
    """The field or facet column of each CSV column (``None``: no name); ``None`` on errors."""
    allowed = set(FIELD_NAMES) | set(CSV_FACET_COLUMNS)
    columns: list[str | None] = []
    ok = True
    for cell in cells:
        if not cell.strip():
            columns.append(None)
            continue
        name = _header_name(cell)
        if name not in allowed:
            problems.add("row 1", _shown(cell.strip()), f"unknown column '{_shown(cell.strip())}'")
            ok = False
        elif name in columns:
            problems.add("row 1", name, f"the column '{name}' appears more than once")
            ok = False
        columns.append(name)
    for name in REQUIRED:
        if name not in columns:
            problems.add("row 1", name, f"missing required column '{name}'")
            ok = False
    if "facets" in columns and any(name in CSV_FACET_COLUMNS for name in columns):
        problems.add(
            "row 1",
            "facets",
            f"use either a 'facets' column or the columns {', '.join(CSV_FACET_COLUMNS)}, not both",
        )
        ok = False
    return columns if ok else None


def _csv_entries(text: str, problems: _Problems) -> Iterator[tuple[str, Any, set[str]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        header = next(reader, None)
        number = 1
        if header is None:
            return
        columns = _csv_header(header, problems)
        if columns is None:
            return
        for number, cells in enumerate(reader, start=2):
            if all(not cell.strip() for cell in cells):
                continue
            yield _csv_row(f"row {number}", cells, columns, problems)
    except csv.Error as exc:
        problems.add(f"row {number + 1}", "", f"the file cannot be read as CSV: {exc}")


def _csv_row(
    where: str, cells: list[str], columns: list[str | None], problems: _Problems
) -> tuple[str, dict[str, Any], set[str]]:
    raw: dict[str, Any] = {}
    shares: dict[str, str] = {}
    reported: set[str] = set()
    for index, cell in enumerate(cells):
        name = columns[index] if index < len(columns) else None
        if name is None:
            if cell.strip():
                letter = _column_letter(index)
                problems.add(where, letter, f"a value in column {letter}, which has no name")
                reported.add(letter)
            continue
        field = "facets" if name in CSV_FACET_COLUMNS else name
        value = _unescape(cell)
        if value is None:
            problems.add(
                where,
                name,
                f"looks like a spreadsheet formula, which is not accepted: "
                f"'{_shown(cell.strip(), 40)}'",
            )
            reported.add(field)
            continue
        if not value.strip():
            continue
        if name in CSV_FACET_COLUMNS:
            shares[name.removeprefix("facet_")] = value
        else:
            raw[name] = value
    if shares:
        raw["facets"] = shares
    return where, raw, reported


# --------------------------------------------------------------------------- writing


def _clean_all(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    problems = _Problems()
    entries = ((f"record {n}", record, set()) for n, record in enumerate(records, start=1))
    clean = [record for _where, record in _collect(entries, problems)]
    if problems:
        raise problems.error()
    return clean


def write_jsonl(records: Iterable[Mapping[str, Any]]) -> str:
    """JSON Lines: one clean record per line, fields in :data:`FIELDS` order.

    Raises :class:`RecordError` (where ``"record N"``) if a record is not valid.
    """
    return "".join(
        json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n"
        for record in _clean_all(records)
    )


def _csv_cells(field: Field, value: Any) -> list[str]:
    if field.kind == "facets":
        if value is None:
            return ["" for _facet in FACETS]
        return [f"{value[facet]:.2f}" for facet in FACETS]
    if value is None:
        return [""]
    if field.is_list:
        return [_escape(f"{LIST_SEPARATOR} ".join(value))]
    return [_escape(str(value))]


def write_csv(records: Iterable[Mapping[str, Any]]) -> str:
    """CSV: a header row and one clean record per row (``\\r\\n`` line ends).

    Columns are the fields any record uses (the required ones always), in
    :data:`FIELDS` order, facets as the four :data:`CSV_FACET_COLUMNS`. Raises
    :class:`RecordError` (where ``"record N"``) if a record is not valid.
    """
    clean = _clean_all(records)
    used = [
        field for field in FIELDS if field.required or any(field.name in record for record in clean)
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = []
    for field in used:
        header += CSV_FACET_COLUMNS if field.kind == "facets" else [field.name]
    writer.writerow(header)
    for record in clean:
        writer.writerow(
            [cell for field in used for cell in _csv_cells(field, record.get(field.name))]
        )
    return out.getvalue()
