"""Administering organisations and people: createuser, createorg, invite."""

from __future__ import annotations

import getpass
import os

from facetscope.cli import CommandError, command, setup_django


def _user(email: str):
    from facetscope.accounts.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"no account for {email}; create it with `facetscope createuser`.")
    return user


def _createuser_args(p):
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    p.add_argument(
        "--admin", action="store_true", help="make the person an installation administrator"
    )
    p.add_argument(
        "--no-password",
        action="store_true",
        help="create without a password (the person uses 'Forgotten your password?')",
    )


@command(
    "createuser",
    "Create an account. The password comes from FACETSCOPE_PASSWORD or is asked for.",
)(_createuser_args)
def createuser(args) -> int:
    setup_django()
    from facetscope.accounts.services import user_signup

    if args.no_password:
        import secrets

        password = secrets.token_urlsafe(24)
    else:
        password = os.environ.get("FACETSCOPE_PASSWORD") or getpass.getpass("Password: ")
    user = user_signup(email=args.email, name=args.name, password=password)
    if args.no_password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if args.admin:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    print(f"created account {user.email}")
    return 0


def _createorg_args(p):
    from facetscope.organisations.choices import GovernmentLevel, Sector, SizeBand

    p.add_argument("--name", required=True)
    p.add_argument("--country", required=True, help="ISO 3166 code, e.g. FR, or English name")
    p.add_argument("--level", required=True, choices=GovernmentLevel.values)
    p.add_argument("--size", required=True, choices=SizeBand.values)
    p.add_argument(
        "--sector", action="append", default=[], choices=Sector.values, help="repeat for several"
    )
    p.add_argument("--slug", help="short name for web addresses (made from the name if omitted)")
    p.add_argument("--steward", required=True, help="e-mail of the account that becomes steward")
    p.add_argument("--benchmarking", action="store_true", help="opt in to anonymous benchmarking")


@command("createorg", "Create an organisation with a first steward.")(_createorg_args)
def createorg(args) -> int:
    setup_django()
    from facetscope.organisations.services import organisation_create

    organisation = organisation_create(
        actor=_user(args.steward),
        name=args.name,
        country=args.country,
        government_level=args.level,
        size_band=args.size,
        sectors=args.sector,
        slug=args.slug,
        benchmarking_opt_in=args.benchmarking,
    )
    print(f"created organisation {organisation.name} (/o/{organisation.slug}/)")
    return 0


def _invite_args(p):
    from facetscope.organisations.choices import Role

    p.add_argument("--org", required=True, help="the organisation's short name (slug)")
    p.add_argument("--email", required=True)
    p.add_argument("--role", default=Role.MEMBER, choices=Role.values)
    p.add_argument("--unit", help="name of the unit the person joins")
    p.add_argument("--by", help="e-mail of the steward sending it (recorded in the audit log)")


@command("invite", "Invite someone to an organisation by e-mail; prints the link too.")(
    _invite_args
)
def invite(args) -> int:
    setup_django()
    from facetscope.organisations.models import Organisation, Unit
    from facetscope.organisations.services import invitation_create

    organisation = Organisation.objects.filter(slug=args.org).first()
    if organisation is None:
        raise CommandError(f"no organisation with short name {args.org!r}.")
    unit = None
    if args.unit:
        unit = Unit.objects.filter(organisation=organisation, name__iexact=args.unit).first()
        if unit is None:
            raise CommandError(f"{organisation.name} has no unit called {args.unit!r}.")
    actor = _user(args.by) if args.by else None
    invitation, url = invitation_create(
        actor=actor, organisation=organisation, email=args.email, role=args.role, unit=unit
    )
    print(f"invited {invitation.email} as {invitation.role}; link (single use): {url}")
    return 0
