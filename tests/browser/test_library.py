"""An administrator adds, edits, imports and deletes library items; a member edits a
private case. Every page passes axe."""

import re

import pytest

from tests.factories import PASSWORD, add_member, make_administrator, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _search_ready():
    """Item pages list similar items: load the embedding model before the clock runs."""
    from facetscope.library.search import search

    search("warm up", limit=1)


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("E-mail address")).fill(email)
    page.get_by_label(re.compile("Password")).fill(PASSWORD)
    with page.expect_navigation():  # "/$" alone would match the sign-in page itself
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def test_an_administrator_manages_the_shared_library(page, axe_check, tmp_path):
    make_administrator(email="ada@example.org", name="Ada Admin")
    sign_in(page, "ada@example.org")
    page.goto("/library/")
    axe_check(page)

    page.get_by_role("link", name="Add a case").click()
    axe_check(page)
    page.get_by_role("button", name="Save").click()  # empty: errors, summarised on top
    page.get_by_role("heading", name="Please correct the following").wait_for()
    axe_check(page)
    page.get_by_label(re.compile("^Title")).fill("Street lights that learn")
    page.get_by_label(re.compile("^Summary")).fill("Lights dim when streets are empty.")
    page.get_by_label("Adaptive (%)").fill("70")
    page.get_by_label("Enhancement (%)").fill("30")
    page.get_by_label(re.compile("^Country")).select_option("NL")
    page.get_by_label("Transport").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/library/street-lights-that-learn/$"))
    assert page.get_by_role("definition").filter(has_text="Netherlands").is_visible()
    axe_check(page)

    page.get_by_role("link", name=re.compile("^Edit")).click()
    axe_check(page)
    page.get_by_label(re.compile("^Lessons")).fill("Ask residents first.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/library/street-lights-that-learn/$"))
    page.get_by_text("Ask residents first.").wait_for()

    page.get_by_role("link", name=re.compile("^Delete")).click()
    axe_check(page)
    page.get_by_role("button", name="Delete").click()
    page.wait_for_url(re.compile(r"/library/$"))

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"key": "x", "type": "case", "title": "T", "summary": "S", "year": 1}\n')
    page.get_by_role("link", name="Import").click()
    axe_check(page)
    page.get_by_label(re.compile("^File")).set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Nothing was imported").wait_for()
    assert page.get_by_role("cell", name="line 1").is_visible()
    axe_check(page)


def test_a_member_edits_a_private_case(page, axe_check):
    steward = make_user(email="steward@example.org")
    organisation = make_organisation(steward=steward, name="Ville de Test", slug="ville")
    add_member(organisation=organisation, user=make_user(email="m@example.org"))
    sign_in(page, "m@example.org")
    page.goto("/o/ville/library/")
    axe_check(page)
    page.get_by_label(re.compile("^Title")).fill("Our first chatbot")
    page.get_by_label(re.compile("^Summary")).fill("A chatbot for tax questions.")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(re.compile(r"/library/ville-our-first-chatbot/$"))
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Edit")).click()
    axe_check(page)
    page.get_by_label(re.compile("^Results")).fill("Fewer calls.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Fewer calls.").wait_for()
