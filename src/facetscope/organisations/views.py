from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facetscope.assessments.selectors import campaigns_for_organisation
from facetscope.audit.registry import describe
from facetscope.audit.selectors import audit_events_for_organisation
from facetscope.core.forms import add_service_errors
from facetscope.organisations import selectors, services
from facetscope.organisations.access import get_object_in_organisation, get_organisation_for_user
from facetscope.organisations.choices import Sector
from facetscope.organisations.forms import (
    InvitationForm,
    JoinLinkForm,
    OrganisationForm,
    OrganisationSettingsForm,
    RoleForm,
    UnitForm,
)
from facetscope.organisations.models import Invitation, JoinLink, Membership, Unit
from facetscope.organisations.permissions import MATRIX


@login_required
def organisation_new(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(org)s is ready. You are its steward.") % {"org": organisation}
            )
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/new.html", {"form": form})


@login_required
def organisation_detail(request, slug):
    access = get_organisation_for_user(request, slug)
    organisation = access.organisation
    return render(
        request,
        "organisations/detail.html",
        {
            "access": access,
            "organisation": organisation,
            "units": selectors.unit_tree(organisation=organisation),
            "member_count": selectors.members_for_organisation(organisation=organisation).count(),
            "sector_labels": [Sector(s).label for s in organisation.sectors if s in Sector.values],
            "open_campaigns": [
                c for c in campaigns_for_organisation(organisation=organisation) if c.is_open
            ],
        },
    )


@login_required
def organisation_settings(request, slug):
    access = get_organisation_for_user(request, slug, "organisation.change")
    organisation = access.organisation
    initial = {
        "name": organisation.name,
        "country": organisation.country.code,
        "government_level": organisation.government_level,
        "sectors": organisation.sectors,
        "size_band": organisation.size_band,
        "benchmarking_opt_in": organisation.benchmarking_opt_in,
    }
    form = OrganisationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisations:detail", slug=slug)
    return render(
        request,
        "organisations/settings.html",
        {"access": access, "organisation": organisation, "form": form},
    )


@login_required
def unit_list(request, slug):
    access = get_organisation_for_user(request, slug)
    organisation = access.organisation
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        access = get_organisation_for_user(request, slug, "units.manage")
        if form.is_valid():
            try:
                unit = services.unit_create(
                    actor=request.user,
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    parent=form.cleaned_data["parent"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Unit %(name)s added.") % {"name": unit})
                return redirect("organisations:units", slug=slug)
    return render(
        request,
        "organisations/units.html",
        {
            "access": access,
            "organisation": organisation,
            "units": selectors.unit_tree(organisation=organisation),
            "form": form,
            "can_manage": access.can("units.manage"),
        },
    )


@login_required
def unit_edit(request, slug, pk):
    access = get_organisation_for_user(request, slug, "units.manage")
    unit = get_object_in_organisation(access, Unit, pk=pk)
    form = UnitForm(
        request.POST or None,
        organisation=access.organisation,
        exclude=unit,
        initial={"name": unit.name, "parent": unit.parent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                actor=request.user,
                unit=unit,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisations:units", slug=slug)
    return render(
        request,
        "organisations/unit_edit.html",
        {"access": access, "organisation": access.organisation, "unit": unit, "form": form},
    )


@login_required
@require_POST
def unit_delete(request, slug, pk):
    access = get_organisation_for_user(request, slug, "units.manage")
    unit = get_object_in_organisation(access, Unit, pk=pk)
    try:
        services.unit_delete(actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Unit %(name)s deleted.") % {"name": unit.name})
    return redirect("organisations:units", slug=slug)


@login_required
def member_list(request, slug):
    access = get_organisation_for_user(request, slug)
    organisation = access.organisation
    context = {
        "access": access,
        "organisation": organisation,
        "members": selectors.members_for_organisation(organisation=organisation),
        "role_form": RoleForm(),
    }
    if access.can("members.invite"):
        context.update(
            invite_form=InvitationForm(organisation=organisation),
            join_form=JoinLinkForm(),
            invitations=selectors.pending_invitations(organisation=organisation),
            join_links=selectors.active_join_links(organisation=organisation),
        )
    return render(request, "organisations/members.html", context)


@login_required
def member_invite(request, slug):
    access = get_organisation_for_user(request, slug, "members.invite")
    organisation = access.organisation
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _url = services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works once and expires on %(date)s.")
                % {"email": invitation.email, "date": invitation.expires_at.date().isoformat()},
            )
            return redirect("organisations:members", slug=slug)
    return render(
        request,
        "organisations/invite.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "days": settings.FACETSCOPE_INVITATION_DAYS,
        },
    )


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    access = get_organisation_for_user(request, slug, "members.invite")
    invitation = get_object_in_organisation(access, Invitation, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Invitation for %(email)s revoked.") % {"email": invitation.email}
        )
    return redirect("organisations:members", slug=slug)


@login_required
@require_POST
def join_link_create(request, slug):
    access = get_organisation_for_user(request, slug, "members.invite")
    form = JoinLinkForm(request.POST)
    if form.is_valid():
        services.join_link_create(
            actor=request.user, organisation=access.organisation, role=form.cleaned_data["role"]
        )
        messages.success(
            request, _("Join link created. Share it with the people you want to join.")
        )
    else:
        messages.error(request, _("Choose a role for the join link."))
    return redirect(reverse("organisations:members", args=[slug]) + "#join-links")


@login_required
@require_POST
def join_link_revoke(request, slug, pk):
    access = get_organisation_for_user(request, slug, "members.invite")
    link = get_object_in_organisation(access, JoinLink, pk=pk)
    try:
        services.join_link_revoke(actor=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Join link revoked. It no longer works."))
    return redirect(reverse("organisations:members", args=[slug]) + "#join-links")


@login_required
@require_POST
def member_role(request, slug, pk):
    access = get_organisation_for_user(request, slug, "members.manage")
    membership = get_object_in_organisation(
        access, Membership.objects.select_related("user"), pk=pk
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Role of %(name)s changed.") % {"name": membership.user})
    return redirect("organisations:members", slug=slug)


@login_required
@require_POST
def member_remove(request, slug, pk):
    access = get_organisation_for_user(request, slug, "members.manage")
    membership = get_object_in_organisation(
        access, Membership.objects.select_related("user"), pk=pk
    )
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organisations:members", slug=slug)
    if membership.user_id == request.user.pk:
        messages.success(request, _("You left %(org)s.") % {"org": access.organisation})
        return redirect("core:home")
    messages.success(request, _("%(name)s removed.") % {"name": membership.user})
    return redirect("organisations:members", slug=slug)


@login_required
@require_POST
def organisation_leave(request, slug):
    access = get_organisation_for_user(request, slug)
    try:
        services.membership_remove(actor=request.user, membership=access.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organisations:detail", slug=slug)
    messages.success(request, _("You left %(org)s.") % {"org": access.organisation})
    return redirect("core:home")


@login_required
def audit_log(request, slug):
    access = get_organisation_for_user(request, slug, "audit.view")
    page = Paginator(audit_events_for_organisation(organisation=access.organisation), 50).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "event": event,
            "text": describe(event.action, actor=event.actor_repr, obj=event.object_repr),
        }
        for event in page
    ]
    return render(
        request,
        "organisations/audit.html",
        {"access": access, "organisation": access.organisation, "page": page, "rows": rows},
    )


@login_required
def permissions_page(request, slug):
    access = get_organisation_for_user(request, slug)
    rows = [
        {"code": code, "description": desc, "roles": roles}
        for code, (roles, desc) in MATRIX.items()
    ]
    return render(
        request,
        "organisations/permissions.html",
        {"access": access, "organisation": access.organisation, "rows": rows},
    )


def _accept(request, *, lookup, accept, template, token):
    """Shared flow of invitation and join links: show, then join on POST."""
    try:
        target = lookup(token)
    except ValidationError as exc:
        return render(request, template, {"error": " ".join(exc.messages)}, status=410)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = accept(user=request.user, token=token)
        except ValidationError as exc:
            return render(
                request, template, {"target": target, "error": " ".join(exc.messages)}, status=409
            )
        messages.success(request, _("Welcome to %(org)s.") % {"org": membership.organisation})
        return redirect("organisations:detail", slug=membership.organisation.slug)
    return render(request, template, {"target": target})


def invitation_accept(request, token):
    return _accept(
        request,
        lookup=services.invitation_for_token,
        accept=services.invitation_accept,
        template="organisations/invitation_accept.html",
        token=token,
    )


def join_link_accept(request, token):
    return _accept(
        request,
        lookup=services.join_link_for_token,
        accept=services.join_link_accept,
        template="organisations/join_accept.html",
        token=token,
    )
