"""Publishing instrument versions into the database."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from facetscope.instruments.loader import (
    Definition,
    builtin_keys,
    builtin_versions,
    load_builtin,
    load_definition_text,
)
from facetscope.instruments.models import InstrumentVersion
from facetscope.instruments.schema import DefinitionError


class PublishedVersionChanged(ValidationError):
    pass


@transaction.atomic
def instrument_version_publish(
    *, definition: Definition, builtin: bool = False
) -> InstrumentVersion:
    """Store a validated definition as an immutable version (idempotent for the same content)."""
    existing = InstrumentVersion.objects.filter(
        key=definition.key, version=definition.version
    ).first()
    if existing is not None:
        if existing.content_hash != definition.content_hash:
            raise PublishedVersionChanged(
                f"{definition.key} v{definition.version} is already published with other "
                "content; publish the change as a new version."
            )
        return existing
    return InstrumentVersion.objects.create(
        key=definition.key,
        version=definition.version,
        content_hash=definition.content_hash,
        definition_data=definition.to_data(),
        title=dict(definition.title),
        builtin=builtin,
    )


def instrument_version_publish_text(*, text: str, source: str) -> InstrumentVersion:
    try:
        definition = load_definition_text(text, source=source)
    except DefinitionError as exc:
        raise ValidationError(str(exc)) from None
    return instrument_version_publish(definition=definition)


def builtin_versions_sync() -> list[InstrumentVersion]:
    """Publish every definition shipped under instruments/definitions/."""
    return [
        instrument_version_publish(definition=load_builtin(key, version), builtin=True)
        for key in builtin_keys()
        for version in builtin_versions(key)
    ]


def sync_builtin_versions_after_migrate(sender, using="default", **kwargs) -> None:
    builtin_versions_sync()
