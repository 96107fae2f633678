"""Test data made through the services, as a real user would make it."""

from __future__ import annotations

import itertools

from facetscope.accounts.models import User
from facetscope.organisations import services
from facetscope.organisations.models import Membership, Organisation

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_user(*, email: str | None = None, name: str | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"person{n}@example.org", name=name or f"Person {n}", password=PASSWORD
    )


def make_organisation(*, steward: User, name: str | None = None, **extra) -> Organisation:
    n = next(_seq)
    data = {
        "country": "FR",
        "government_level": "national",
        "size_band": "250-999",
        "sectors": ["digital"],
    }
    data.update(extra)
    return services.organisation_create(actor=steward, name=name or f"Organisation {n}", **data)


def add_member(*, organisation: Organisation, user: User, role: str = "member") -> Membership:
    """Invite and accept, the way people join in the app."""
    steward = organisation.memberships.filter(role="steward").first().user
    _invitation, url = services.invitation_create(
        actor=steward, organisation=organisation, email=user.email, role=role, send_email=False
    )
    return services.invitation_accept(user=user, token=token_from_url(url))


def token_from_url(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]
