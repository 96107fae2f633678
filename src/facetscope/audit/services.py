from __future__ import annotations

from typing import Any

from django.db import models

from facetscope.audit.models import AuditEvent
from facetscope.audit.registry import is_registered


def audit_record(
    *,
    action: str,
    actor=None,
    organisation=None,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one state change. Call inside the write's transaction."""
    if not is_registered(action):
        raise ValueError(f"Unregistered audit action {action!r}: add it to audit.registry.")
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_repr=str(actor) if actor is not None else "",
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        payload=payload or {},
    )
