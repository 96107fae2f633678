"""The demo organisation: what a newcomer sees first (``facetscope demo``).

Loading is idempotent: running it again changes nothing; ``reset`` deletes the
demo organisation and the demo people and builds them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from facetscope.accounts.models import User
from facetscope.assessments.demo import demo_campaigns
from facetscope.library.demo import demo_library
from facetscope.organisations import services as org
from facetscope.organisations.choices import Role
from facetscope.organisations.models import Organisation
from facetscope.portfolio.demo import demo_portfolio

DEMO_SLUG = "demo"
DEMO_PASSWORD = "facetscope-demo"  # noqa: S105  (published demo credential)
DEMO_DOMAIN = "demo.facetscope.example"

# (unit name, parent unit name)
UNITS = [
    ("Strategy and Foresight", None),
    ("Digital Services", None),
    ("Data and Analytics", "Digital Services"),
    ("Frontline Services", None),
    ("Northern Region", "Frontline Services"),
    ("Southern Region", "Frontline Services"),
    ("Policy Lab", None),
]

# (local part, name, role, unit)
PEOPLE = [
    ("alice", "Alice Martin", Role.STEWARD, "Strategy and Foresight"),
    ("bob", "Bob Okafor", Role.MEMBER, "Digital Services"),
    ("vera", "Vera Lindqvist", Role.VIEWER, None),
    ("chen", "Chen Wei", Role.MEMBER, "Data and Analytics"),
    ("amara", "Amara Diallo", Role.MEMBER, "Northern Region"),
    ("lucas", "Lucas Ferreira", Role.MEMBER, "Southern Region"),
    ("sofia", "Sofía Herrera", Role.MEMBER, "Policy Lab"),
    ("kenji", "Kenji Sato", Role.MEMBER, "Digital Services"),
    ("ingrid", "Ingrid Nilsen", Role.STEWARD, "Policy Lab"),
    ("omar", "Omar Haddad", Role.MEMBER, "Frontline Services"),
    ("priya", "Priya Raman", Role.MEMBER, "Strategy and Foresight"),
    ("tomas", "Tomás Novák", Role.MEMBER, "Northern Region"),
]


@dataclass(frozen=True)
class DemoResult:
    organisation: Organisation
    created: bool
    steward_email: str


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _demo_user(local: str, name: str) -> User:
    user = User.objects.filter(email=demo_email(local)).first()
    if user is None:
        user = User.objects.create_user(email=demo_email(local), name=name, password=DEMO_PASSWORD)
    return user


@transaction.atomic
def demo_reset() -> None:
    Organisation.objects.filter(slug=DEMO_SLUG).delete()
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()


@transaction.atomic
def demo_load(*, reset: bool = False) -> DemoResult:
    if reset:
        demo_reset()
    steward_email = demo_email(PEOPLE[0][0])
    existing = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoResult(organisation=existing, created=False, steward_email=steward_email)

    users = {local: _demo_user(local, name) for local, name, _role, _unit in PEOPLE}
    alice = users["alice"]
    organisation = org.organisation_create(
        actor=alice,
        name="Agency for Public Services (demo)",
        slug=DEMO_SLUG,
        country="NZ",
        government_level="national",
        size_band="250-999",
        sectors=["public_admin_reform", "digital", "health"],
        benchmarking_opt_in=True,
    )
    units = {}
    for name, parent in UNITS:
        units[name] = org.unit_create(
            actor=alice, organisation=organisation, name=name, parent=units.get(parent)
        )
    for local, _name, role, unit in PEOPLE:
        user = users[local]
        if user == alice:
            org.membership_set_unit(
                actor=alice,
                membership=user.memberships.get(organisation=organisation),
                unit=units[unit],
            )
            continue
        _invitation, url = org.invitation_create(
            actor=alice,
            organisation=organisation,
            email=user.email,
            role=role,
            unit=units.get(unit),
            send_email=False,
        )
        org.invitation_accept(user=user, token=url.rstrip("/").rsplit("/", 1)[1])
    org.join_link_create(actor=alice, organisation=organisation, role=Role.MEMBER)
    demo_campaigns(organisation=organisation, steward=alice, units=units)
    demo_portfolio(
        organisation=organisation,
        steward=alice,
        units=units,
        others=[users["bob"], users["sofia"], users["chen"]],
    )
    demo_library(organisation=organisation, steward=alice)
    org.invitation_create(
        actor=alice,
        organisation=organisation,
        email=demo_email("newcomer"),
        role=Role.MEMBER,
        send_email=False,
    )
    return DemoResult(organisation=organisation, created=True, steward_email=steward_email)
