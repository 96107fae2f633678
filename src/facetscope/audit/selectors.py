from __future__ import annotations

from django.db.models import QuerySet

from facetscope.audit.models import AuditEvent


def audit_events_for_organisation(*, organisation) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organisation=organisation).select_related("actor")
