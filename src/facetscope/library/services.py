"""Writes to the library: import (all or nothing), add, update, delete."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from facetscope.audit.services import audit_record
from facetscope.library.models import LibraryItem
from facetscope.library.records import clean_record

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
    # The starter library loads with neither actor nor organisation: nobody to record.
    if actor is not None or organisation is not None:
        _audit(
            private_action="library.items.imported",
            shared_action="library.shared.items.imported",
            actor=actor,
            organisation=organisation,
            payload={"created": created, "updated": updated},
        )
    return {"created": created, "updated": updated}


def _audit(*, private_action: str, shared_action: str, organisation, **details) -> None:
    """Record a change to an organisation's private items, or to the shared library.

    Changes to the shared library belong to no organisation (``organisation``
    is ``None``), so they have their own action codes.
    """
    audit_record(
        action=private_action if organisation is not None else shared_action,
        organisation=organisation,
        **details,
    )


def _clean(record: Mapping[str, Any]) -> dict[str, Any]:
    """The clean record, or ``RecordError`` (the same rules as an import)."""
    return clean_record(record, where="form")


@transaction.atomic
def library_item_create(*, actor, record: Mapping[str, Any], organisation=None) -> LibraryItem:
    """Add one item: to the shared library, or as ``organisation``'s private case.

    Refuses a key that is taken (an import would update that item instead).
    """
    record = _clean(record)
    if LibraryItem.objects.filter(key=record["key"]).exists():
        raise ValidationError(
            {
                "key": _("The key %(key)s is already used by another item; choose another.")
                % {"key": record["key"]}
            }
        )
    if organisation is not None and record["type"] != LibraryItem.CASE:
        raise ValidationError(_("An organisation's private items are cases."))
    item = LibraryItem.objects.create(
        key=record["key"], organisation=organisation, **_fields(record)
    )
    _audit(
        private_action="library.item.created",
        shared_action="library.shared.item.created",
        actor=actor,
        organisation=organisation,
        obj=item,
    )
    return item


@transaction.atomic
def library_item_update(*, actor, item: LibraryItem, record: Mapping[str, Any]) -> LibraryItem:
    """Replace an item's record; its key, type and collection stay as they are."""
    record = _clean(record)
    if record["key"] != item.key:
        raise ValidationError({"key": _("The key of an item cannot be changed.")})
    if record["type"] != item.type:
        raise ValidationError(_("The type of an item cannot be changed."))
    before = item.as_record()
    changed = sorted(
        name for name in set(before) | set(record) if before.get(name) != record.get(name)
    )
    if not changed:
        return item
    for name, value in _fields(record).items():
        setattr(item, name, value)
    item.save()
    _audit(
        private_action="library.item.updated",
        shared_action="library.shared.item.updated",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        payload={"fields": changed},
    )
    return item


@transaction.atomic
def library_item_delete(*, actor, item: LibraryItem) -> None:
    _audit(
        private_action="library.item.deleted",
        shared_action="library.shared.item.deleted",
        actor=actor,
        organisation=item.organisation,
        obj=item,
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
