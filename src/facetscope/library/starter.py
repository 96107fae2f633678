"""The starter library shipped with Facetscope (cases and toolkits as JSON Lines).

Until the library has its own pages, guidance links resolve to these records:
their title and source link.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def starter_records() -> dict[str, dict]:
    records = {}
    for name in ("cases.jsonl", "toolkits.jsonl"):
        with (DATA / name).open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    records[record["key"]] = record
    return records


def resolve_links(keys) -> list[dict]:
    """{key, title, url, type} for each key; unknown keys are kept with their key as title."""
    records = starter_records()
    out = []
    for key in keys:
        record = records.get(key)
        if record is None:
            out.append({"key": key, "title": key, "url": None, "type": None, "known": False})
        else:
            out.append(
                {
                    "key": key,
                    "title": record["title"],
                    "url": record.get("url"),
                    "type": record["type"],
                    "known": True,
                }
            )
    return out
