"""Bulk classification for ``facetscope classify --input FILE --format jsonl``.

Reads JSON Lines (``{"id": ..., "text": ...}`` per line) or CSV with a header
naming ``id`` and ``text`` columns, and writes one JSON object per input record,
in input order::

    {"id": "P1", "facets": {"enh": 0.91, "mis": 0.05, "ada": 0.03, "ant": 0.01}, "top": "enh"}
    {"id": "P2", "error": "line 7: text is empty"}

A record that cannot be classified (bad JSON, missing id, empty, missing or
over-long text, invalid UTF-8, a CSV row with the wrong number of fields) gets
an error object and its message on ``err``; the rest go on. Texts are encoded
in batches. Probabilities are rounded to 4 decimals and still sum to 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from facetscope.suggest.classifier import FACETS, FacetClassifier, get_classifier

MAX_TEXT_CHARS = 5_000
BATCH_SIZE = 64

EXIT_OK = 0
EXIT_SOME_ERRORS = 1
EXIT_UNREADABLE = 2


class Unreadable(Exception):
    """The input cannot be read at all (exit code 2)."""


# A record is (where, id, text, error): ``where`` is "line N" (or "record N" in a JSON
# array); on error, ``text`` is None and ``id`` is whatever could be read.
Record = tuple[str, Any, str | None, str | None]


def _has_surrogates(value: str) -> bool:
    """Lone surrogates: undecodable bytes (surrogateescape) or bad JSON escapes."""
    return any("\ud800" <= ch <= "\udfff" for ch in value)


def _printable(value: str) -> str:
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)


def _check(where: str, id_: Any, text: Any, id_ok: bool = True) -> Record:
    if not id_ok:
        return where, None, None, "id must be a string or an integer"
    if id_ is None or (isinstance(id_, str) and not id_.strip()):
        return where, id_, None, "id is missing" if id_ is None else "id is empty"
    if isinstance(id_, str) and _has_surrogates(id_):
        return where, _printable(id_), None, "id is not valid UTF-8"
    if text is None:
        return where, id_, None, "text is missing"
    if not isinstance(text, str):
        return where, id_, None, "text must be a string"
    if _has_surrogates(text):
        return where, id_, None, "text is not valid UTF-8"
    if not text.strip():
        return where, id_, None, "text is empty"
    if len(text) > MAX_TEXT_CHARS:
        return where, id_, None, (
            f"text is too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})"
        )
    return where, id_, text, None


def _from_object(where: str, obj: Any) -> Record:
    if not isinstance(obj, dict):
        return where, None, None, f"expected a JSON object, got {type(obj).__name__}"
    id_ = obj.get("id")
    id_ok = id_ is None or (isinstance(id_, str | int) and not isinstance(id_, bool))
    return _check(where, id_ if id_ok else None, obj.get("text"), id_ok)


def _jsonl_records(raw: io.BufferedReader) -> Iterator[Record]:
    for number, line in enumerate(raw, start=1):
        where = f"line {number}"
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            yield where, None, None, "not valid UTF-8"
            continue
        if not decoded.strip():
            continue
        try:
            obj = json.loads(decoded)
        except json.JSONDecodeError as exc:
            yield where, None, None, f"invalid JSON ({exc.msg} at column {exc.colno})"
            continue
        yield _from_object(where, obj)


def _json_array_records(raw: io.BufferedReader) -> Iterator[Record]:
    try:
        items = json.loads(raw.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Unreadable(f"not a valid JSON array: {exc}") from exc
    if not isinstance(items, list):
        raise Unreadable("expected JSON Lines or a JSON array of objects")
    for number, obj in enumerate(items, start=1):
        yield _from_object(f"record {number}", obj)


def _csv_records(raw: io.BufferedReader) -> Iterator[Record]:
    # surrogateescape keeps going past invalid bytes; _check reports them per record
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise Unreadable("the CSV file is empty (expected a header naming id and text)") from None
    except csv.Error as exc:
        raise Unreadable(f"cannot read the CSV header: {exc}") from exc
    names = [h.strip().lower() for h in header]
    if "id" not in names or "text" not in names:
        raise Unreadable(
            f"the CSV header must name the columns id and text (found: {', '.join(header)})"
        )
    id_col, text_col = names.index("id"), names.index("text")
    while True:
        start = reader.line_num + 1
        where = f"line {start}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = f"malformed CSV ({exc})"
            if "field larger than field limit" in str(exc):
                problem = f"text is too long (the limit is {MAX_TEXT_CHARS:,} characters)"
            yield where, None, None, problem
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(header):
            found_id = _printable(row[id_col]) if id_col < len(row) else None
            yield where, found_id, None, (
                f"expected {len(header)} fields, found {len(row)} "
                "(quote texts that contain commas)"
            )
            continue
        yield _check(where, row[id_col], row[text_col])


def _reading(records: Iterator[Record]) -> Iterator[Record]:
    """Turn I/O errors while reading into Unreadable (errors writing ``out`` propagate)."""
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except OSError as exc:
            raise Unreadable(exc.strerror or str(exc)) from exc
        yield record


def _detect(path: Path, raw: io.BufferedReader) -> str:
    suffix = path.suffix.lower()
    head = raw.peek(4096)[:4096].lstrip(codecs.BOM_UTF8).lstrip()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "json-array" if head.startswith(b"[") else "jsonl"
    if head.startswith(b"["):
        return "json-array"
    return "jsonl" if head.startswith(b"{") else "csv"


def _count_records(path: Path) -> int | None:
    try:
        with open(path, "rb") as fh:
            lines = sum(1 for line in fh if line.strip())
    except OSError:
        return None
    return max(lines - (1 if path.suffix.lower() == ".csv" else 0), 0)


def _rounded(probs: list[float]) -> dict[str, float]:
    values = [round(p, 4) for p in probs]
    top = max(range(len(probs)), key=probs.__getitem__)
    values[top] = round(1.0 - sum(v for i, v in enumerate(values) if i != top), 4)
    return dict(zip(FACETS, values, strict=True))


def classify_stream(
    input_path: str,
    out: TextIO,
    err: TextIO,
    progress: bool,
    *,
    classifier: FacetClassifier | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Classify every record of ``input_path`` onto ``out`` as JSON Lines.

    Returns 0 when every record was classified, 1 when some had errors (each
    reported in place and on ``err``), 2 when the file cannot be read at all.
    ``classifier`` defaults to the process-wide one.
    """
    path = Path(input_path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 — closed in the finally below
    except OSError as exc:
        err.write(f"cannot read {input_path}: {exc.strerror or exc}\n")
        return EXIT_UNREADABLE

    bar = None
    pending: list[Record] = []
    try:
        try:
            fmt = _detect(path, raw)
        except OSError as exc:
            raise Unreadable(exc.strerror or str(exc)) from exc
        readers = {"csv": _csv_records, "jsonl": _jsonl_records,
                   "json-array": _json_array_records}
        records = _reading(readers[fmt](raw))
        if progress and getattr(err, "isatty", lambda: False)():
            try:
                from tqdm import tqdm

                bar = tqdm(total=_count_records(path), file=err, unit="desc",
                           desc="classifying", dynamic_ncols=True)
            except ImportError:
                bar = None
        clf = classifier if classifier is not None else get_classifier()
        errors = 0

        def flush() -> None:
            texts = [text for _, _, text, error in pending if error is None]
            probs = clf.proba(texts).tolist() if texts else []
            k = 0
            for where, id_, _, error in pending:
                if error is None:
                    row = probs[k]
                    k += 1
                    obj: dict[str, Any] = {"id": id_, "facets": _rounded(row),
                                           "top": FACETS[max(range(4), key=row.__getitem__)]}
                else:
                    obj = {"id": id_, "error": f"{where}: {error}"}
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            out.flush()
            if bar is not None:
                bar.update(len(pending))
            pending.clear()

        n_texts = 0
        for record in records:
            if record[3] is not None:
                errors += 1
                message = f"{record[0]}: {record[3]}"
                if bar is not None:
                    bar.write(message, file=err)
                else:
                    err.write(message + "\n")
            else:
                n_texts += 1
            pending.append(record)
            if n_texts >= batch_size:
                flush()
                n_texts = 0
        flush()
    except Unreadable as exc:
        if pending:  # what was read before the failure is still answered
            flush()
        err.write(f"cannot read {input_path}: {exc}\n")
        return EXIT_UNREADABLE
    finally:
        if bar is not None:
            bar.close()
        raw.close()
    return EXIT_SOME_ERRORS if errors else EXIT_OK
