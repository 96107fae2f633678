import re

import pytest
from django.core import mail
from django.urls import reverse

from facetscope.accounts.models import User
from facetscope.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user


def test_signing_up_creates_an_account_and_signs_in(client, db):
    response = client.post(
        reverse("accounts:signup"),
        {"name": "Dana", "email": "Dana@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="dana@example.org")
    assert user.check_password(PASSWORD)
    assert user.password.startswith("md5$")  # hashed, never stored in clear
    assert AuditEvent.objects.filter(actor=user, action="account.signed_up").exists()
    assert client.get(reverse("core:home")).context["user"] == user


def test_signing_up_twice_with_one_address_is_a_clear_error(client, db):
    make_user(email="dana@example.org")
    response = client.post(
        reverse("accounts:signup"),
        {"name": "Dana", "email": "dana@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_weak_password_is_refused(client, db):
    response = client.post(
        reverse("accounts:signup"),
        {"name": "Dana", "email": "d@example.org", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "too short" in response.content.decode()


def test_signup_returns_to_the_invitation_it_came_from(client, db):
    response = client.post(
        reverse("accounts:signup") + "?next=/invitations/abc/",
        {
            "name": "Dana",
            "email": "d@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/invitations/abc/",
        },
    )
    assert response["Location"] == "/invitations/abc/"


def test_signup_ignores_a_next_url_on_another_site(client, db):
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "Dana",
            "email": "d@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("core:home")


def test_sign_in_and_sign_out(client, db):
    make_user(email="erin@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "erin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, db, settings):
    make_user(email="erin@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "erin@example.org", "password": "no"})
    response = client.post(
        reverse("accounts:login"), {"username": "erin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, db):
    user = make_user(email="fay@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "fay@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    new_password = "another long passphrase 42"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize(
    "url_name", ["accounts:login", "accounts:signup", "accounts:password_reset"]
)
def test_account_pages_render(client, db, url_name):
    assert client.get(reverse(url_name)).status_code == 200
