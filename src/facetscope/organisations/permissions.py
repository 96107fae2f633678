"""The permission matrix: which role may do what inside an organisation.

This is the one place roles are turned into permissions. Views, the API and
the CLI ask ``role_can(role, permission)`` (usually through the
``get_organisation_for_user`` helpers); nothing else compares role names.
``docs/permissions.md`` shows this table to people, and a test keeps the two
in step.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from facetscope.organisations.choices import Role

STEWARD, MEMBER, VIEWER = Role.STEWARD, Role.MEMBER, Role.VIEWER
EVERYONE = frozenset({STEWARD, MEMBER, VIEWER})

# permission code -> (roles that hold it, description for people)
MATRIX: dict[str, tuple[frozenset[str], str]] = {
    "organisation.view": (EVERYONE, _("See the organisation, its units and its members")),
    "organisation.change": (frozenset({STEWARD}), _("Change the organisation's details")),
    "units.manage": (frozenset({STEWARD}), _("Add, rename, move and delete units")),
    "members.invite": (frozenset({STEWARD}), _("Invite people and manage join links")),
    "members.manage": (frozenset({STEWARD}), _("Change roles and remove members")),
    "audit.view": (frozenset({STEWARD}), _("Read the audit log")),
    "results.view": (EVERYONE, _("Read organisation results and the portfolio")),
    "projects.contribute": (
        frozenset({STEWARD, MEMBER}),
        _("Add and edit projects and private cases, and answer questionnaires"),
    ),
    "campaigns.manage": (frozenset({STEWARD}), _("Open and close assessment campaigns")),
    "portfolio.steer": (
        frozenset({STEWARD}),
        _("Record strategic intent, run reviews and decisions"),
    ),
}


def role_can(role: str | None, permission: str) -> bool:
    if permission not in MATRIX:
        raise KeyError(f"Unknown permission {permission!r}: add it to organisations.permissions.")
    return role is not None and role in MATRIX[permission][0]


def permissions_for_role(role: str) -> set[str]:
    return {code for code, (roles, _desc) in MATRIX.items() if role in roles}
