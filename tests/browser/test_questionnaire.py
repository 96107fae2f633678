"""A respondent answers the whole portfolio-exploration questionnaire on a phone."""

import re

import pytest

from facetscope.assessments.models import Response
from tests.factories import PASSWORD, add_member, make_campaign, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_page(page):
    """Answer every question on the current page, as a person tapping through would."""
    for row in page.locator(".likert-row").all():
        row.locator("label").nth(3).click()
    selects = page.locator(".rank-row select").all()
    for rank, select in enumerate(selects, start=1):
        select.select_option(str((rank - 1) % 4 + 1))
    for group in page.locator(".question-group:has(.choices)").all():
        group.locator(".choices input").first.check()
    for field in page.locator(".question input[type=text], .question textarea").all():
        if field.is_visible() and not field.input_value():
            field.fill("Digital team")
    for field in page.locator(".question input[type=number]").all():
        field.fill("40")


def test_answer_resume_submit_and_see_the_result(browser, live_server, axe_check):
    steward = make_user(email="steward@example.org")
    organisation = make_organisation(steward=steward, name="Ville de Test", slug="ville")
    respondent = make_user(email="resp@example.org")
    add_member(organisation=organisation, user=respondent)
    campaign = make_campaign(organisation=organisation, steward=steward, title="Wave 1")

    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("E-mail address")).fill("resp@example.org")
    page.get_by_label(re.compile("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/o/ville/campaigns/{campaign.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Answer the questionnaire").click()

    page.wait_for_url(re.compile(r"/about/$"))
    axe_check(page)
    page.get_by_label("Team lead or middle manager").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/page/\d+/$"))
    for _ in range(3):  # three pages, then the phone's browser is closed
        axe_check(page)
        fill_page(page)
        # wait for the next page itself: its URL pattern also matches the page being left
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()
    resumed_at = page.url
    page.close()

    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/o/ville/campaigns/{campaign.pk}/")
    page.get_by_role("button", name="Continue your answers").click()
    page.wait_for_url(resumed_at)

    while "/page/" in page.url:
        axe_check(page)
        fill_page(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()
        assert page.locator(".error-summary").count() == 0, page.locator(
            ".error-summary"
        ).inner_text()

    page.wait_for_url(re.compile(r"/review/$"))
    axe_check(page)
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(re.compile(r"/result/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your result"
    assert page.locator("svg.facet-diamond").is_visible()
    assert page.get_by_text("Portfolio management capability").is_visible()
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the result page scrolls sideways on a phone"

    response = Response.objects.get(campaign=campaign)
    assert response.is_submitted and response.level == "team_lead"
    assert response.respondent is None  # anonymous campaign
    context.close()
