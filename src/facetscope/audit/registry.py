"""Readable text for every audit action code.

Each write service records a dotted code (``organisation.member.invited``); this
registry is the one place that turns a code into a sentence for the audit page.
An unregistered code is a programming error, caught by ``audit_record``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "account.signed_up": _("{actor} signed up"),
    "organisation.created": _("{actor} created the organisation {object}"),
    "organisation.updated": _("{actor} changed the organisation's details"),
    "organisation.unit.created": _("{actor} added the unit {object}"),
    "organisation.unit.updated": _("{actor} changed the unit {object}"),
    "organisation.unit.deleted": _("{actor} deleted the unit {object}"),
    "organisation.member.invited": _("{actor} invited {object}"),
    "organisation.invitation.revoked": _("{actor} revoked the invitation for {object}"),
    "organisation.member.joined": _("{actor} joined the organisation"),
    "organisation.member.role_changed": _("{actor} changed the role of {object}"),
    "organisation.member.unit_changed": _("{actor} changed the unit of {object}"),
    "organisation.member.removed": _("{actor} removed {object}"),
    "organisation.member.left": _("{actor} left the organisation"),
    "organisation.join_link.created": _("{actor} created a join link"),
    "organisation.join_link.revoked": _("{actor} revoked a join link"),
    "assessment.campaign.created": _("{actor} opened the campaign {object}"),
    "assessment.campaign.closed": _("{actor} closed the campaign {object}"),
    "assessment.response.submitted": _("A response to {object} was submitted"),
    "assessment.responses.imported": _("{actor} imported responses into {object}"),
    "portfolio.project.created": _("{actor} added the project {object}"),
    "portfolio.project.updated": _("{actor} changed the project {object}"),
    "portfolio.project.placed": _("{actor} placed the project {object} on the facets"),
    "portfolio.project.decided": _("{actor} recorded a decision on {object}"),
    "portfolio.projects.imported": _("{actor} imported projects"),
    "portfolio.intent.set": _("{actor} set the portfolio's intended mix"),
    "portfolio.review.created": _("{actor} recorded the portfolio review {object}"),
    "library.items.imported": _("{actor} imported private library items"),
    "library.item.created": _("{actor} added the private library item {object}"),
    "library.item.updated": _("{actor} changed the private library item {object}"),
    "library.item.deleted": _("{actor} deleted the private library item {object}"),
    # The shared library belongs to no organisation: these events have none.
    "library.shared.items.imported": _("{actor} imported items into the shared library"),
    "library.shared.item.created": _("{actor} added {object} to the shared library"),
    "library.shared.item.updated": _("{actor} changed {object} in the shared library"),
    "library.shared.item.deleted": _("{actor} deleted {object} from the shared library"),
    "portfolio.synergy.reviewed": _("{actor} reviewed a suggested synergy: {object}"),
}


def is_registered(code: str) -> bool:
    return code in ACTIONS


def describe(code: str, *, actor: str, obj: str) -> str:
    template = ACTIONS.get(code)
    if template is None:
        return f"{actor}: {code} {obj}".strip()
    return str(template).format(actor=actor or _("Someone"), object=obj)
