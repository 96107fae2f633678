import pytest
from django.core import mail
from django.urls import reverse

from facetscope.organisations import services
from facetscope.organisations.models import Invitation, JoinLink, Membership, Organisation, Unit
from facetscope.organisations.urls import urlpatterns
from tests.factories import make_user, token_from_url


@pytest.fixture
def org_a_objects(alice, org_a, bob):
    unit = services.unit_create(actor=alice, organisation=org_a, name="Lab")
    invitation, _url = services.invitation_create(
        actor=alice, organisation=org_a, email="pending@example.org", send_email=False
    )
    link = services.join_link_create(actor=alice, organisation=org_a)
    membership = Membership.objects.get(organisation=org_a, user=bob)
    return {"unit": unit, "invitation": invitation, "link": link, "membership": membership}


POST_ONLY = {
    "leave",
    "unit_delete",
    "member_role",
    "member_remove",
    "invitation_revoke",
    "join_link_create",
    "join_link_revoke",
}


def org_urls(slug, objects):
    """Every organisation-scoped URL, with the object it acts on."""
    return {
        "detail": reverse("organisations:detail", args=[slug]),
        "settings": reverse("organisations:settings", args=[slug]),
        "leave": reverse("organisations:leave", args=[slug]),
        "units": reverse("organisations:units", args=[slug]),
        "unit_edit": reverse("organisations:unit_edit", args=[slug, objects["unit"].pk]),
        "unit_delete": reverse("organisations:unit_delete", args=[slug, objects["unit"].pk]),
        "members": reverse("organisations:members", args=[slug]),
        "invite": reverse("organisations:invite", args=[slug]),
        "member_role": reverse("organisations:member_role", args=[slug, objects["membership"].pk]),
        "member_remove": reverse(
            "organisations:member_remove", args=[slug, objects["membership"].pk]
        ),
        "invitation_revoke": reverse(
            "organisations:invitation_revoke", args=[slug, objects["invitation"].pk]
        ),
        "join_link_create": reverse("organisations:join_link_create", args=[slug]),
        "join_link_revoke": reverse(
            "organisations:join_link_revoke", args=[slug, objects["link"].pk]
        ),
        "audit": reverse("organisations:audit", args=[slug]),
        "permissions": reverse("organisations:permissions", args=[slug]),
    }


def test_the_isolation_list_covers_every_organisation_url():
    scoped = {p.name for p in urlpatterns if "<slug:slug>" in str(p.pattern)}
    assert scoped == set(
        org_urls("x", {k: Unit(pk=1) for k in ("unit", "membership", "invitation", "link")})
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_steward_gets_404_everywhere(
    client_for, carol, org_b, org_a_objects, method
):
    client = client_for(carol)
    for name, url in org_urls("org-a", org_a_objects).items():
        response = getattr(client, method)(url, {"role": "viewer", "name": "x"})
        if method == "get" and name in POST_ONLY:
            assert response.status_code == 405, name  # same answer for every organisation
        else:
            assert response.status_code == 404, (name, method, response.status_code)
    assert Membership.objects.filter(organisation__slug="org-a").count() == 2
    assert Unit.objects.filter(organisation__slug="org-a").count() == 1


def test_objects_of_another_organisation_are_404_under_ones_own_slug(
    client_for, carol, org_b, org_a_objects
):
    client = client_for(carol)
    for name, url in org_urls("org-b", org_a_objects).items():
        if name in {
            "detail",
            "settings",
            "leave",
            "units",
            "members",
            "invite",
            "join_link_create",
            "audit",
            "permissions",
        }:
            continue  # no object in these URLs
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"role": "viewer", "name": "x"}).status_code == 404, name
    assert Invitation.objects.get(pk=org_a_objects["invitation"].pk).revoked_at is None
    assert JoinLink.objects.get(pk=org_a_objects["link"].pk).revoked_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client, org_a_objects):
    response = client.get(reverse("organisations:detail", args=["org-a"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["settings", "invite", "audit"])
def test_members_and_viewers_cannot_use_steward_pages(client_for, bob, vera, org_a_objects, name):
    for user in (bob, vera):
        url = org_urls("org-a", org_a_objects)[name]
        assert client_for(user).get(url).status_code == 403


def test_a_member_cannot_change_roles(client_for, bob, org_a_objects, alice):
    alice_membership = Membership.objects.get(user=alice)
    url = reverse("organisations:member_role", args=["org-a", alice_membership.pk])
    assert client_for(bob).post(url, {"role": "viewer"}).status_code == 403
    assert Membership.objects.get(user=alice).role == "steward"


def test_creating_an_organisation_on_the_web(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("organisations:new"),
        {
            "name": "Ville de Test",
            "country": "FR",
            "government_level": "local",
            "sectors": ["housing", "transport"],
            "size_band": "1-49",
            "benchmarking_opt_in": "on",
        },
    )
    org = Organisation.objects.get(name="Ville de Test")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=[org.slug])
    assert org.benchmarking_opt_in is True
    page = client.get(response["Location"])
    assert "Housing" in page.content.decode()


def test_a_duplicate_slug_is_shown_on_the_form_not_a_500(client_for, alice, org_a):
    response = client_for(alice).post(
        reverse("organisations:new"),
        {
            "name": "X",
            "slug": "org-a",
            "country": "FR",
            "government_level": "local",
            "size_band": "1-49",
        },
    )
    assert response.status_code == 200
    assert "already taken" in response.content.decode()


def test_a_steward_invites_by_email_and_the_link_is_accepted(client_for, alice, org_a, client):
    response = client_for(alice).post(
        reverse("organisations:invite", args=["org-a"]),
        {"email": "dora@example.org", "role": "member"},
    )
    assert response.status_code == 302
    url = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    path = url.replace("http://testserver", "")
    client.logout()
    dora = make_user(email="dora@example.org")
    page = client.get(path)
    assert "Create an account" in page.content.decode()
    client.force_login(dora, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(user=dora, organisation=org_a).role == "member"
    again = client.post(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_invitation_page_says_so(client, alice, org_a):
    _inv, url = services.invitation_create(
        actor=alice, organisation=org_a, email="late@example.org", send_email=False
    )
    Invitation.objects.update(expires_at="2000-01-01T00:00:00Z")
    response = client.get(url.replace("http://testserver", ""))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_join_link_page_lets_a_signed_in_person_join(client_for, alice, org_a):
    link = services.join_link_create(actor=alice, organisation=org_a, role="viewer")
    newcomer = make_user()
    client = client_for(newcomer)
    response = client.post(reverse("organisations:join_accept", args=[link.token]))
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role == "viewer"


def test_removing_the_last_steward_on_the_web_is_refused_with_a_message(client_for, alice, org_a):
    membership = Membership.objects.get(user=alice)
    client = client_for(alice)
    response = client.post(
        reverse("organisations:member_remove", args=["org-a", membership.pk]), follow=True
    )
    assert "last steward" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_audit_page_shows_readable_events(client_for, alice, org_a_objects):
    page = client_for(alice).get(reverse("organisations:audit", args=["org-a"])).content.decode()
    assert "Alice Steward created the organisation Org A" in page
    assert "organisation.member.invited" in page


def test_the_org_switcher_lists_every_membership(client_for, alice, org_a, carol, org_b):
    from tests.factories import add_member

    add_member(organisation=org_b, user=alice, role="viewer")
    client = client_for(alice)
    page = client.get(reverse("core:home")).content.decode()
    assert "Org A" in page and "Org B" in page
    response = client.get(reverse("core:home"), {"org": "org-b"})
    assert response["Location"] == reverse("organisations:detail", args=["org-b"])
    assert client.get(reverse("core:home"), {"org": "not-mine"}).status_code == 200


def test_the_join_link_token_is_shown_only_to_stewards(client_for, alice, bob, org_a_objects):
    token = org_a_objects["link"].token
    members_url = reverse("organisations:members", args=["org-a"])
    assert token in client_for(alice).get(members_url).content.decode()
    assert token not in client_for(bob).get(members_url).content.decode()


def test_invitation_token_from_url_is_not_stored(alice, org_a):
    _inv, url = services.invitation_create(
        actor=alice, organisation=org_a, email="x@example.org", send_email=False
    )
    assert not Invitation.objects.filter(token_hash=token_from_url(url)).exists()
