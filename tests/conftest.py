"""Shared personas: alice (steward of org A), bob (member of org A), vera
(viewer of org A) and carol (steward of org B)."""

from __future__ import annotations

import pytest

from tests.factories import add_member, make_organisation, make_user


@pytest.fixture
def alice(db):
    return make_user(email="alice@example.org", name="Alice Steward")


@pytest.fixture
def carol(db):
    return make_user(email="carol@example.org", name="Carol Other")


@pytest.fixture
def org_a(alice):
    return make_organisation(steward=alice, name="Org A", slug="org-a")


@pytest.fixture
def org_b(carol):
    return make_organisation(steward=carol, name="Org B", slug="org-b", country="CA")


@pytest.fixture
def bob(org_a):
    user = make_user(email="bob@example.org", name="Bob Member")
    add_member(organisation=org_a, user=user, role="member")
    return user


@pytest.fixture
def vera(org_a):
    user = make_user(email="vera@example.org", name="Vera Viewer")
    add_member(organisation=org_a, user=user, role="viewer")
    return user


@pytest.fixture
def client_for(client):
    """Sign a test client in as a given user."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever a previous request activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
