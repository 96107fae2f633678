from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from facetscope.organisations.models import Invitation, JoinLink, Membership, Organisation, Unit


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def membership_for(*, user, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def members_for_organisation(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "unit")
        .order_by("user__name", "user__email")
    )


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at=None,
        revoked_at=None,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by", "unit")


def active_join_links(*, organisation: Organisation) -> QuerySet[JoinLink]:
    return JoinLink.objects.filter(organisation=organisation, revoked_at=None)


@dataclass(frozen=True)
class UnitNode:
    unit: Unit
    depth: int
    members: int
    children: list[UnitNode]


def unit_tree(*, organisation: Organisation) -> list[UnitNode]:
    """The organisation's units as a tree (top-level units first, by name)."""
    units = list(
        Unit.objects.filter(organisation=organisation).annotate(members=Count("memberships"))
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id: int | None, depth: int) -> list[UnitNode]:
        return [
            UnitNode(unit=u, depth=depth, members=u.members, children=build(u.pk, depth + 1))
            for u in sorted(children.get(parent_id, []), key=lambda u: u.name.lower())
        ]

    return build(None, 0)
