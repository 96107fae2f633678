from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from facetscope.audit.models import AuditEvent
from facetscope.organisations import services
from facetscope.organisations.models import Invitation, Membership, Organisation, Unit
from tests.factories import add_member, make_organisation, make_user, token_from_url


def test_creating_an_organisation_makes_the_creator_steward_and_audits_it(alice):
    org = make_organisation(steward=alice, name="Ministry of Tests", sectors=["digital", "health"])
    assert org.slug == "ministry-of-tests"
    assert org.sectors == ["health", "digital"]  # stored in the fixed list's order
    membership = Membership.objects.get(organisation=org, user=alice)
    assert membership.role == "steward"
    event = AuditEvent.objects.get(organisation=org, action="organisation.created")
    assert event.actor == alice
    assert event.payload["slug"] == "ministry-of-tests"


def test_slugs_made_from_names_never_clash(alice):
    first = make_organisation(steward=alice, name="Tax Office")
    second = make_organisation(steward=alice, name="Tax Office")
    assert (first.slug, second.slug) == ("tax-office", "tax-office-2")


def test_a_taken_slug_is_a_clear_error(alice, org_a):
    with pytest.raises(ValidationError) as exc:
        make_organisation(steward=alice, name="Another", slug="org-a")
    assert "already taken" in exc.value.message_dict["slug"][0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "Unknown country"),
        ("government_level", "galactic", "Unknown level of government"),
        ("size_band", "huge", "Unknown size band"),
        ("sectors", ["space"], "Unknown sector"),
    ],
)
def test_bad_profile_values_name_the_field(alice, field, value, message):
    with pytest.raises(ValidationError) as exc:
        make_organisation(steward=alice, **{field: value})
    assert message in exc.value.message_dict[field][0]
    assert not Organisation.objects.exists()


def test_country_may_be_given_by_english_name(alice):
    org = make_organisation(steward=alice, country="New Zealand")
    assert org.country.code == "NZ"


def test_units_nest_and_cannot_form_a_cycle(alice, org_a):
    top = services.unit_create(actor=alice, organisation=org_a, name="Digital")
    child = services.unit_create(actor=alice, organisation=org_a, name="Data", parent=top)
    with pytest.raises(ValidationError, match="inside itself"):
        services.unit_update(actor=alice, unit=top, name="Digital", parent=child)
    with pytest.raises(ValidationError, match="already a unit"):
        services.unit_create(actor=alice, organisation=org_a, name="data", parent=top)


def test_a_unit_with_children_cannot_be_deleted(alice, org_a):
    top = services.unit_create(actor=alice, organisation=org_a, name="Digital")
    services.unit_create(actor=alice, organisation=org_a, name="Data", parent=top)
    with pytest.raises(ValidationError, match="first"):
        services.unit_delete(actor=alice, unit=top)
    assert Unit.objects.filter(pk=top.pk).exists()


def test_a_unit_of_another_organisation_cannot_be_a_parent(alice, org_a, carol, org_b):
    foreign = services.unit_create(actor=carol, organisation=org_b, name="Theirs")
    with pytest.raises(ValidationError, match="another organisation"):
        services.unit_create(actor=alice, organisation=org_a, name="Mine", parent=foreign)


def test_an_invitation_is_emailed_and_works_once(alice, org_a):
    newcomer = make_user(email="new@example.org")
    invitation, url = services.invitation_create(
        actor=alice, organisation=org_a, email="New@Example.org", role="viewer"
    )
    assert invitation.email == "new@example.org"
    assert len(mail.outbox) == 1
    assert url in mail.outbox[0].body
    assert mail.outbox[0].to == ["new@example.org"]
    token = token_from_url(url)
    assert token not in Invitation.objects.values_list("token_hash", flat=True)

    membership = services.invitation_accept(user=newcomer, token=token)
    assert membership.role == "viewer"
    other = make_user()
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(user=other, token=token)
    assert not Membership.objects.filter(user=other).exists()


def test_an_expired_invitation_is_refused(alice, org_a):
    _inv, url = services.invitation_create(actor=alice, organisation=org_a, email="x@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(user=make_user(), token=token_from_url(url))


def test_a_revoked_invitation_is_refused(alice, org_a):
    invitation, url = services.invitation_create(
        actor=alice, organisation=org_a, email="x@example.org"
    )
    services.invitation_revoke(actor=alice, invitation=invitation)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(user=make_user(), token=token_from_url(url))


def test_an_unknown_token_is_refused(db):
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(user=make_user(), token="nope")


def test_inviting_again_replaces_the_pending_invitation(alice, org_a):
    _first, first_url = services.invitation_create(
        actor=alice, organisation=org_a, email="x@example.org"
    )
    services.invitation_create(actor=alice, organisation=org_a, email="x@example.org")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(user=make_user(), token=token_from_url(first_url))


def test_members_cannot_be_invited_twice(alice, org_a, bob):
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_create(actor=alice, organisation=org_a, email=bob.email)


def test_a_join_link_works_for_many_until_revoked(alice, org_a):
    link = services.join_link_create(actor=alice, organisation=org_a, role="viewer")
    first, second = make_user(), make_user()
    assert services.join_link_accept(user=first, token=link.token).role == "viewer"
    assert services.join_link_accept(user=second, token=link.token).role == "viewer"
    link.refresh_from_db()
    assert link.uses == 2
    services.join_link_revoke(actor=alice, link=link)
    with pytest.raises(ValidationError, match="revoked"):
        services.join_link_accept(user=make_user(), token=link.token)


def test_a_join_link_cannot_make_stewards(alice, org_a):
    with pytest.raises(ValidationError, match="member or viewer"):
        services.join_link_create(actor=alice, organisation=org_a, role="steward")


def test_the_last_steward_cannot_leave_or_be_demoted(alice, org_a, bob):
    membership = Membership.objects.get(organisation=org_a, user=alice)
    with pytest.raises(ValidationError, match="last steward"):
        services.membership_remove(actor=alice, membership=membership)
    with pytest.raises(ValidationError, match="last steward"):
        services.membership_change_role(actor=alice, membership=membership, role="member")
    bob_membership = Membership.objects.get(organisation=org_a, user=bob)
    services.membership_change_role(actor=alice, membership=bob_membership, role="steward")
    services.membership_remove(actor=alice, membership=membership)
    assert not Membership.objects.filter(organisation=org_a, user=alice).exists()
    assert AuditEvent.objects.filter(organisation=org_a, action="organisation.member.left").exists()


def test_one_person_can_belong_to_several_organisations(alice, org_a, carol, org_b):
    add_member(organisation=org_b, user=alice, role="viewer")
    roles = dict(Membership.objects.filter(user=alice).values_list("organisation__slug", "role"))
    assert roles == {"org-a": "steward", "org-b": "viewer"}


def test_every_state_change_is_audited(alice, org_a, bob):
    unit = services.unit_create(actor=alice, organisation=org_a, name="Lab")
    membership = Membership.objects.get(organisation=org_a, user=bob)
    services.membership_set_unit(actor=alice, membership=membership, unit=unit)
    services.membership_change_role(actor=alice, membership=membership, role="viewer")
    services.membership_remove(actor=alice, membership=membership)
    actions = list(
        AuditEvent.objects.filter(organisation=org_a)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "organisation.created",
        "organisation.member.invited",
        "organisation.member.joined",
        "organisation.unit.created",
        "organisation.member.unit_changed",
        "organisation.member.role_changed",
        "organisation.member.removed",
    ]
    role_event = AuditEvent.objects.get(action="organisation.member.role_changed")
    assert role_event.payload == {"before": "member", "after": "viewer"}
