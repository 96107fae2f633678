"""Writes to the library: import (all or nothing), add, update, delete."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from facetscope.audit.services import audit_record
from facetscope.library.models import LibraryItem

CORE = ("key", "type", "title", "summary")
FACETS = ("enh", "mis", "ada", "ant")


def _search_text(record: Mapping[str, Any]) -> str:
    parts = [
        record.get("title", ""),
        record.get("summary", ""),
        record.get("results", ""),
        record.get("lessons", ""),
        record.get("good_for", ""),
        record.get("publisher", ""),
        record.get("organisation_type", ""),
        record.get("discipline", ""),
    ]
    parts += list(record.get("tags") or [])
    return " ".join(str(p) for p in parts if p)


def _fields(record: Mapping[str, Any]) -> dict[str, Any]:
    facets = record.get("facets") or {}
    top = max(FACETS, key=lambda f: facets.get(f, 0)) if facets else ""
    extra = {k: v for k, v in record.items() if k not in CORE}
    return {
        "type": record["type"],
        "title": record["title"],
        "summary": record["summary"],
        "record": extra,
        "country": record.get("country") or "",
        "level": record.get("level") or "",
        "year": record.get("year"),
        "stage": record.get("stage") or "",
        "top_facet": top,
        "url": record.get("url") or "",
        "language": record.get("language") or "en",
        "search_text": _search_text(record),
    }


@transaction.atomic
def library_import(
    *, actor, records: Iterable[tuple[str, Mapping[str, Any]]], organisation=None
) -> dict[str, int]:
    """Create or update items from clean records (see ``library.records``); all or nothing.

    A key that exists updates that item. With ``organisation`` the items are
    that organisation's private cases, and may not overwrite shared items or
    another organisation's.
    """
    records = list(records)
    keys = [record["key"] for _where, record in records]
    existing = {item.key: item for item in LibraryItem.objects.filter(key__in=keys)}
    problems = []
    for where, record in records:
        item = existing.get(record["key"])
        if item is not None and item.organisation_id != (organisation.pk if organisation else None):
            problems.append(
                _("%(where)s: the key %(key)s belongs to another collection")
                % {"where": where, "key": record["key"]}
            )
    if problems:
        raise ValidationError(problems[:200])
    created = updated = 0
    new = []
    for _where, record in records:
        fields = _fields(record)
        item = existing.get(record["key"])
        if item is None:
            new.append(LibraryItem(key=record["key"], organisation=organisation, **fields))
            created += 1
        else:
            for name, value in fields.items():
                setattr(item, name, value)
            item.save()
            updated += 1
    LibraryItem.objects.bulk_create(new, batch_size=1000)
    if organisation is not None:
        audit_record(
            action="library.items.imported",
            actor=actor,
            organisation=organisation,
            payload={"created": created, "updated": updated},
        )
    return {"created": created, "updated": updated}


@transaction.atomic
def library_item_save(*, actor, record: Mapping[str, Any], organisation=None) -> LibraryItem:
    library_import(actor=actor, records=[("form", record)], organisation=organisation)
    return LibraryItem.objects.get(key=record["key"])


@transaction.atomic
def library_item_delete(*, actor, item: LibraryItem) -> None:
    if item.organisation is not None:
        audit_record(
            action="library.item.deleted", actor=actor, organisation=item.organisation, obj=item
        )
    item.delete()


def starter_load(*, refresh: bool = False) -> dict[str, int]:
    """Load the shared starter library shipped with Facetscope.

    By default only items whose key is not there yet are added, so edits made
    by the installation's administrators survive; ``refresh`` overwrites them.
    """
    from facetscope.library.records import read_records
    from facetscope.library.starter import DATA

    records = []
    for name in ("cases.jsonl", "toolkits.jsonl"):
        records += read_records((DATA / name).read_bytes(), name)
    if not refresh:
        present = set(LibraryItem.objects.values_list("key", flat=True))
        records = [(where, r) for where, r in records if r["key"] not in present]
    return library_import(actor=None, records=records)
