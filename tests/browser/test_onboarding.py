"""Sign up → create an organisation → invite → accept, in a real browser."""

import re

import pytest
from django.core import mail

from facetscope.organisations.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough passphrase 7"


def sign_up(page, axe_check, *, name, email):
    page.get_by_role("link", name="Create an account").first.click()
    axe_check(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()


def test_sign_up_create_organisation_invite_and_accept(page, axe_check):
    page.goto("/")
    axe_check(page)
    sign_up(page, axe_check, name="Alice Steward", email="alice@example.org")
    page.wait_for_url(re.compile(r"/$"))
    axe_check(page)

    page.get_by_role("link", name="Create an organisation").first.click()
    axe_check(page)
    page.get_by_label(re.compile(r"^Name:?$")).fill("Ministère de l'Essai")
    page.get_by_label("Country").select_option("FR")
    page.get_by_label("Level of government").select_option("national")
    page.get_by_label("Digital and ICT").check()
    page.get_by_label("Size").select_option("250-999")
    page.get_by_role("button", name="Create organisation").click()
    page.wait_for_url(re.compile(r"/o/ministere-de-lessai/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Ministère de l'Essai"
    axe_check(page)

    page.get_by_role("link", name="Units").click()
    page.get_by_label("Unit name").fill("Innovation Lab")
    page.get_by_role("button", name="Add unit").click()
    page.get_by_text("Unit Innovation Lab added.").wait_for()
    axe_check(page)

    page.get_by_role("link", name="People").click()
    axe_check(page)
    page.get_by_role("link", name="Invite someone").click()
    axe_check(page)
    page.get_by_label("E-mail address").fill("bruno@example.org")
    page.get_by_label("Role").select_option("member")
    page.get_by_label("Unit").select_option(label="Innovation Lab")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to bruno@example.org").wait_for()
    assert page.get_by_role("cell", name="bruno@example.org", exact=True).is_visible()
    axe_check(page)

    link = re.search(r"http://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="Sign out").click()

    page.goto(link.replace("http://testserver", ""))
    axe_check(page)
    sign_up(page, axe_check, name="Bruno Invité", email="bruno@example.org")
    page.get_by_role("button", name="Join Ministère de l'Essai").click()
    page.wait_for_url(re.compile(r"/o/ministere-de-lessai/$"))
    page.get_by_text("Welcome to Ministère de l'Essai.").wait_for()
    axe_check(page)
    membership = Membership.objects.get(user__email="bruno@example.org")
    assert (membership.role, membership.unit.name) == ("member", "Innovation Lab")

    assert page.get_by_role("link", name="Audit log").count() == 0


def test_language_switcher_turns_the_interface_french(page, axe_check):
    page.goto("/accounts/login/")
    page.get_by_label("Language").select_option("fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Se connecter"
    axe_check(page)


def test_pages_are_usable_on_a_phone_and_with_the_keyboard(phone_page, axe_check):
    phone_page.goto("/")
    position = phone_page.evaluate(
        "getComputedStyle(document.querySelector('.skip-link')).position"
    )
    assert position == "absolute", "the stylesheet did not load"
    phone_page.keyboard.press("Tab")
    focused = phone_page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    phone_page.keyboard.press("Enter")
    assert phone_page.evaluate("document.activeElement.id") == "main"
    axe_check(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    phone_page.goto("/patterns/")
    axe_check(phone_page)
