"""Score answer files from the command line (``facetscope score <instrument> --answers FILE``).

Pure Python, no Django: :func:`score_stream` does the work and the ``facetscope``
command only forwards its arguments and exit code.

FILE holds either one JSON answers object, or JSON Lines — one respondent per
line, blank lines skipped.  The whole file is tried as one JSON document
first; only when that fails is it read line by line.  Each result is written
as one compact JSON line, keys in the order of the instrument's result, in the
order of the input.

JSON Lines are all-or-nothing: every line is validated before anything is
written, and if any line is invalid no result is written, the problems of the
first :data:`MAX_REPORTED` invalid lines go to ``err`` as
``line 3: q2: ranks must be 1, 2, 3, 4 once each``, and the exit code is 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from facetscope.instruments.loader import UnknownDefinition, load_builtin
from facetscope.instruments.schema import DefinitionError
from facetscope.instruments.scoring import AnswerError, normalize_answers, score_normalized

FORMATS = ("json",)
MAX_REPORTED = 20
EXIT_OK = 0
EXIT_INVALID = 2


class _InputError(Exception):
    def __init__(self, messages: Iterable[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


_NOT_JSON = object()


def parse_answers(text: str) -> list[tuple[int | None, Any, str | None]]:
    """``[(line number or None, parsed value, JSON error or None)]``.

    Raises ``_InputError`` when the text is neither one JSON object nor JSON Lines.
    """
    if not text.strip():
        raise _InputError(["no answers found: the file is empty"])
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        whole_error = exc
    else:
        if not isinstance(whole, dict):
            raise _InputError(["expected one JSON object, or JSON Lines with one object per line"])
        return [(None, whole, None)]
    entries: list[tuple[int | None, Any, str | None]] = []
    parsed_any = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append((number, json.loads(line), None))
            parsed_any = True
        except json.JSONDecodeError as exc:
            entries.append((number, _NOT_JSON, f"invalid JSON: {exc.msg} (column {exc.colno})"))
    if not parsed_any:
        raise _InputError(
            [
                f"not valid JSON: {whole_error.msg} (line {whole_error.lineno}, column "
                f"{whole_error.colno}); expected one JSON object, or JSON Lines with one object "
                "per line"
            ]
        )
    return entries


def _problems(number: int | None, exc: AnswerError) -> list[str]:
    prefix = f"line {number}: " if number is not None else ""
    return [f"{prefix}{item}: {message}" for item, message in exc.errors]


def score_stream(key: str, path: str, out: TextIO, err: TextIO, fmt: str = "json") -> int:
    """Score every respondent of ``path`` with instrument ``key``; return the exit code."""
    if fmt not in FORMATS:
        err.write(f"error: unknown format {fmt!r} (supported: {', '.join(FORMATS)})\n")
        return EXIT_INVALID
    try:
        definition = load_builtin(key)
    except (UnknownDefinition, DefinitionError) as exc:
        err.write(f"error: {exc}\n")
        return EXIT_INVALID
    try:
        entries = parse_answers(_read(path))
    except OSError as exc:
        err.write(f"error: cannot read {path}: {exc.strerror or exc}\n")
        return EXIT_INVALID
    except UnicodeDecodeError:
        err.write(f"error: cannot read {path}: not UTF-8 text\n")
        return EXIT_INVALID
    except _InputError as exc:
        return _report(err, exc.messages, len(exc.messages))

    normalized: list[dict[str, Any]] = []
    bad: list[list[str]] = []
    for number, answers, problem in entries:
        if problem is not None:
            bad.append([f"line {number}: {problem}"])
            continue
        if not isinstance(answers, dict):
            bad.append([f"line {number}: expected a JSON object"])
            continue
        try:
            normalized.append(normalize_answers(definition, answers))
        except AnswerError as exc:
            bad.append(_problems(number, exc))
    if bad:
        shown = [message for problems in bad[:MAX_REPORTED] for message in problems]
        return _report(err, shown, len(bad), more=len(bad) - MAX_REPORTED, total=len(entries))
    for clean in normalized:
        result = score_normalized(definition, clean)
        out.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
    return EXIT_OK


def _report(
    err: TextIO, messages: list[str], count: int, more: int = 0, total: int | None = None
) -> int:
    for message in messages:
        err.write(message + "\n")
    if more > 0:
        err.write(f"… and {more} more invalid line{'s' if more != 1 else ''}\n")
    if total is not None and total > 1:
        err.write(f"{count} of {total} lines invalid; no results written\n")
    return EXIT_INVALID
