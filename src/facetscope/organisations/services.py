"""Writes for organisations, units, memberships and invitations.

Every function is keyword-only, validates before it saves, runs in one
transaction and records an audit event. Callers (web views, the CLI) check
permissions first through ``organisations.access``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from facetscope.audit.services import audit_record
from facetscope.organisations.choices import GovernmentLevel, Role, Sector, SizeBand
from facetscope.organisations.models import (
    Invitation,
    JoinLink,
    Membership,
    Organisation,
    Unit,
    hash_token,
    new_token,
)


# --- Organisations ----------------------------------------------------------
def _clean_country(country: str) -> str:
    code = (country or "").strip()
    if code.upper() in dict(countries):
        return code.upper()
    by_name = countries.by_name(code) if code else ""
    if by_name:
        return by_name
    raise ValidationError(
        {
            "country": _("Unknown country %(value)s: use an ISO 3166 code such as FR or NZ.")
            % {"value": repr(country)}
        }
    )


def _clean_profile(
    *, name: str, country: str, government_level: str, sectors: list[str], size_band: str
) -> dict:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the organisation a name.")
    if government_level not in GovernmentLevel.values:
        errors["government_level"] = _("Unknown level of government %(value)s.") % {
            "value": repr(government_level)
        }
    unknown = [s for s in sectors if s not in Sector.values]
    if unknown:
        errors["sectors"] = _("Unknown sector(s): %(values)s.") % {"values": ", ".join(unknown)}
    if size_band not in SizeBand.values:
        errors["size_band"] = _("Unknown size band %(value)s.") % {"value": repr(size_band)}
    try:
        country = _clean_country(country)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "country": country,
        "government_level": government_level,
        "sectors": sorted(set(sectors), key=Sector.values.index),
        "size_band": size_band,
    }


def _free_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    country: str,
    government_level: str,
    size_band: str,
    sectors: list[str] | None = None,
    slug: str | None = None,
    benchmarking_opt_in: bool = False,
) -> Organisation:
    """Create an organisation; ``actor`` becomes its first steward."""
    data = _clean_profile(
        name=name,
        country=country,
        government_level=government_level,
        sectors=list(sectors or []),
        size_band=size_band,
    )
    if slug:
        slug = slug.strip().lower()
        if slug != slugify(slug):
            raise ValidationError(
                {"slug": _("Use only lower-case letters, digits and hyphens in the short name.")}
            )
        if Organisation.objects.filter(slug=slug).exists():
            raise ValidationError(
                {"slug": _("The short name %(slug)s is already taken.") % {"slug": slug}}
            )
    else:
        slug = _free_slug(data["name"])
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                slug=slug, benchmarking_opt_in=benchmarking_opt_in, **data
            )
    except IntegrityError:
        raise ValidationError(
            {"slug": _("The short name %(slug)s is already taken.") % {"slug": slug}}
        ) from None
    if actor is not None:
        Membership.objects.create(organisation=organisation, user=actor, role=Role.STEWARD)
    audit_record(
        action="organisation.created",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        payload={"slug": slug, "country": data["country"]},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor,
    organisation: Organisation,
    name: str,
    country: str,
    government_level: str,
    size_band: str,
    sectors: list[str],
    benchmarking_opt_in: bool,
) -> Organisation:
    data = _clean_profile(
        name=name,
        country=country,
        government_level=government_level,
        sectors=list(sectors),
        size_band=size_band,
    )
    data["benchmarking_opt_in"] = benchmarking_opt_in
    changed = {
        field: value for field, value in data.items() if getattr(organisation, field) != value
    }
    for field, value in changed.items():
        setattr(organisation, field, value)
    if changed:
        organisation.save(update_fields=list(changed))
        audit_record(
            action="organisation.updated",
            actor=actor,
            organisation=organisation,
            obj=organisation,
            payload={"fields": sorted(changed)},
        )
    return organisation


# --- Units ------------------------------------------------------------------
def _check_unit_name(*, organisation, parent, name: str, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the unit a name.")})
    clash = Unit.objects.filter(organisation=organisation, parent=parent, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("There is already a unit called %(name)s here.") % {"name": name}}
        )
    return name


def _check_parent(*, organisation, parent: Unit | None) -> None:
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError({"parent": _("That unit belongs to another organisation.")})


@transaction.atomic
def unit_create(
    *, actor, organisation: Organisation, name: str, parent: Unit | None = None
) -> Unit:
    _check_parent(organisation=organisation, parent=parent)
    name = _check_unit_name(organisation=organisation, parent=parent, name=name)
    unit = Unit.objects.create(organisation=organisation, parent=parent, name=name)
    audit_record(
        action="organisation.unit.created",
        actor=actor,
        organisation=organisation,
        obj=unit,
        payload={"parent": parent.pk if parent else None},
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, name: str, parent: Unit | None) -> Unit:
    organisation = unit.organisation
    _check_parent(organisation=organisation, parent=parent)
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == unit.pk:
            raise ValidationError({"parent": _("A unit cannot be placed inside itself.")})
        ancestor = ancestor.parent
    name = _check_unit_name(organisation=organisation, parent=parent, name=name, exclude_pk=unit.pk)
    before = {"name": unit.name, "parent": unit.parent_id}
    unit.name, unit.parent = name, parent
    unit.save(update_fields=["name", "parent"])
    audit_record(
        action="organisation.unit.updated",
        actor=actor,
        organisation=organisation,
        obj=unit,
        payload={"before": before, "after": {"name": name, "parent": unit.parent_id}},
    )
    return unit


@transaction.atomic
def unit_delete(*, actor, unit: Unit) -> None:
    if unit.children.exists():
        raise ValidationError(_("Move or delete the units inside %(name)s first.") % {"name": unit})
    organisation = unit.organisation
    audit_record(
        action="organisation.unit.deleted", actor=actor, organisation=organisation, obj=unit
    )
    unit.delete()


# --- Invitations and join links ----------------------------------------------
def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def invitation_create(
    *,
    actor,
    organisation: Organisation,
    email: str,
    role: str = Role.MEMBER,
    unit: Unit | None = None,
    send_email: bool = True,
) -> tuple[Invitation, str]:
    """Invite ``email``; returns the invitation and its single-use link.

    A new invitation to the same address replaces any pending one.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("%(value)s is not an e-mail address.") % {"value": email}}
        ) from None
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(value)s.") % {"value": repr(role)}})
    _check_parent(organisation=organisation, parent=unit)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a member of %(org)s.")
                % {"email": email, "org": organisation}
            }
        )
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        unit=unit,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.FACETSCOPE_INVITATION_DAYS),
    )
    url = _absolute(reverse("organisations:invitation_accept", args=[token]))
    if send_email:
        _send_invitation(invitation=invitation, url=url, actor=actor)
    audit_record(
        action="organisation.member.invited",
        actor=actor,
        organisation=organisation,
        obj=invitation,
        payload={"email": email, "role": role},
    )
    return invitation, url


def _send_invitation(*, invitation: Invitation, url: str, actor) -> None:
    organisation = invitation.organisation
    context = {
        "organisation": organisation,
        "inviter": actor,
        "url": url,
        "invitation": invitation,
        "days": settings.FACETSCOPE_INVITATION_DAYS,
    }
    send_mail(
        subject=_("You are invited to join %(org)s on Facetscope") % {"org": organisation},
        message=render_to_string("organisations/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action="organisation.invitation.revoked",
        actor=actor,
        organisation=invitation.organisation,
        obj=invitation,
    )


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link, or a ValidationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid. Ask for a new one."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn. Ask for a new one."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    return invitation


def _join(*, user, organisation, role: str, unit=None, via: str) -> Membership:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("You are already a member of %(org)s.") % {"org": organisation})
    membership = Membership.objects.create(
        organisation=organisation, user=user, role=role, unit=unit
    )
    audit_record(
        action="organisation.member.joined",
        actor=user,
        organisation=organisation,
        obj=membership,
        payload={"role": role, "via": via},
    )
    return membership


@transaction.atomic
def invitation_accept(*, user, token: str) -> Membership:
    invitation = invitation_for_token(token)
    # Lock the row so two simultaneous clicks cannot both use it.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    membership = _join(
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        unit=invitation.unit,
        via="invitation",
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def join_link_create(*, actor, organisation: Organisation, role: str = Role.MEMBER) -> JoinLink:
    if role not in (Role.MEMBER, Role.VIEWER):
        raise ValidationError({"role": _("A join link can give the member or viewer role only.")})
    link = JoinLink.objects.create(organisation=organisation, role=role, created_by=actor)
    audit_record(
        action="organisation.join_link.created",
        actor=actor,
        organisation=organisation,
        obj=link,
        payload={"role": role},
    )
    return link


@transaction.atomic
def join_link_revoke(*, actor, link: JoinLink) -> None:
    if link.revoked_at is not None:
        raise ValidationError(_("This join link is already revoked."))
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit_record(
        action="organisation.join_link.revoked",
        actor=actor,
        organisation=link.organisation,
        obj=link,
    )


def join_link_for_token(token: str) -> JoinLink:
    link = JoinLink.objects.select_related("organisation").filter(token=token or "").first()
    if link is None:
        raise ValidationError(_("This join link is not valid."))
    if link.revoked_at is not None:
        raise ValidationError(_("This join link has been revoked. Ask a steward for a new one."))
    return link


@transaction.atomic
def join_link_accept(*, user, token: str) -> Membership:
    link = join_link_for_token(token)
    membership = _join(user=user, organisation=link.organisation, role=link.role, via="join_link")
    JoinLink.objects.filter(pk=link.pk).update(uses=link.uses + 1)
    return membership


# --- Memberships ------------------------------------------------------------
def _is_last_steward(membership: Membership) -> bool:
    return (
        membership.role == Role.STEWARD
        and not Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Role.STEWARD
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(value)s.") % {"value": repr(role)}})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role == membership.role:
        return membership
    if _is_last_steward(membership):
        raise ValidationError(
            _("%(name)s is the last steward. Make someone else steward first.")
            % {"name": membership.user}
        )
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action="organisation.member.role_changed",
        actor=actor,
        organisation=membership.organisation,
        obj=membership.user,
        payload={"before": before, "after": role},
    )
    return membership


@transaction.atomic
def membership_set_unit(*, actor, membership: Membership, unit: Unit | None) -> Membership:
    _check_parent(organisation=membership.organisation, parent=unit)
    before = membership.unit_id
    membership.unit = unit
    membership.save(update_fields=["unit"])
    audit_record(
        action="organisation.member.unit_changed",
        actor=actor,
        organisation=membership.organisation,
        obj=membership.user,
        payload={"before": before, "after": unit.pk if unit else None},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=membership.pk)
    )
    if _is_last_steward(membership):
        raise ValidationError(
            _(
                "%(name)s is the last steward and cannot be removed. "
                "Make someone else steward first."
            )
            % {"name": membership.user}
        )
    leaving = actor is not None and actor.pk == membership.user_id
    audit_record(
        action="organisation.member.left" if leaving else "organisation.member.removed",
        actor=actor,
        organisation=membership.organisation,
        obj=membership.user,
        payload={"role": membership.role},
    )
    membership.delete()
