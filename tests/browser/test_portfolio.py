"""A member adds a project, places it and finds it on the map, with the keyboard only."""

import re

import pytest

from tests.factories import PASSWORD, add_member, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_place_and_find_a_project_on_the_map(page, axe_check):
    steward = make_user(email="steward@example.org")
    organisation = make_organisation(steward=steward, name="Ville de Test", slug="ville")
    add_member(organisation=organisation, user=make_user(email="m@example.org"))

    page.goto("/accounts/login/")
    page.get_by_label(re.compile("E-mail address")).fill("m@example.org")
    page.get_by_label(re.compile("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/o/ville/portfolio/")
    axe_check(page)
    page.get_by_role("link", name="Add a project").click()
    axe_check(page)
    page.get_by_label(re.compile("^Title")).fill("Heat-wave calls to older residents")
    page.get_by_label(re.compile("^Stage")).select_option("prototype")
    page.get_by_label(re.compile("^Budget")).fill("95000")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(re.compile(r"/place/$"))
    axe_check(page)
    purpose = page.locator("fieldset", has_text="mainly for").first
    purpose.locator("input[value=ada]").check()
    driver = page.locator("fieldset", has_text="mainly drives").first
    driver.locator("input[value=ada]").check()
    page.get_by_role("button", name="Save placement").click()
    page.wait_for_url(re.compile(r"/portfolio/\d+/$"))
    assert page.get_by_text("Adaptive", exact=True).first.is_visible()
    axe_check(page)

    page.goto("/o/ville/portfolio/map/")
    axe_check(page)
    # keyboard only: the skip link leads to the table; tabbing reaches the dot
    page.get_by_role("link", name="Skip to the table of projects").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#map-table"
    page.locator("a.map-dot").first.focus()
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Heat-wave calls to older residents")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portfolio/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Heat-wave calls to older residents"
    )
