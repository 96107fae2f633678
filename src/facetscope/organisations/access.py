"""Tenant scoping for views: the only way a view gets an organisation's objects.

``get_organisation_for_user`` answers 404 to anyone who is not a member (so
another organisation's existence is not revealed) and 403 to a member whose
role lacks the permission. ``get_object_in_organisation`` answers 404 for an
object of another organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from facetscope.organisations.models import Membership, Organisation
from facetscope.organisations.permissions import role_can


@dataclass(frozen=True)
class OrgAccess:
    organisation: Organisation
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, permission: str) -> bool:
        return role_can(self.membership.role, permission)


def get_organisation_for_user(
    request, slug: str, permission: str = "organisation.view"
) -> OrgAccess:
    user = request.user
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation", "unit")
        .filter(user=user, organisation__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404
    access = OrgAccess(organisation=membership.organisation, membership=membership)
    if not access.can(permission):
        raise PermissionDenied
    if request.session.get("current_organisation") != slug:  # no session write per request
        request.session["current_organisation"] = slug
    request.org_access = access
    return access


def get_object_in_organisation(access: OrgAccess, queryset: QuerySet | type[Model], **lookup):
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    obj = queryset.filter(organisation=access.organisation, **lookup).first()
    if obj is None:
        raise Http404
    return obj
