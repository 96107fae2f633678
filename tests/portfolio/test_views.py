import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from facetscope.portfolio import services
from facetscope.portfolio.models import Project
from facetscope.portfolio.urls import urlpatterns
from tests.factories import make_project


@pytest.fixture
def project(org_a, alice):
    p = make_project(
        organisation=org_a,
        actor=alice,
        title="Open data portal",
        budget=100000,
        tags=["data"],
        policy_goals=["Open government"],
    )
    services.project_place(actor=alice, project=p, answers={"purpose": "enh", "driver": "enh"})
    return p


def urls(slug, pk):
    return {
        "projects": reverse("portfolio:projects", args=[slug]),
        "project_new": reverse("portfolio:project_new", args=[slug]),
        "map": reverse("portfolio:map", args=[slug]),
        "map_svg": reverse("portfolio:map_svg", args=[slug]),
        "balance": reverse("portfolio:balance", args=[slug]),
        "reviews": reverse("portfolio:reviews", args=[slug]),
        "synergies": reverse("portfolio:synergies", args=[slug]),
        "import": reverse("portfolio:import", args=[slug]),
        "import_template": reverse("portfolio:import_template", args=[slug, "csv"]),
        "export": reverse("portfolio:export", args=[slug, "csv"]),
        "project": reverse("portfolio:project", args=[slug, pk]),
        "project_edit": reverse("portfolio:project_edit", args=[slug, pk]),
        "place": reverse("portfolio:place", args=[slug, pk]),
        "decide": reverse("portfolio:decide", args=[slug, pk]),
        "public_value": reverse("portfolio:public_value", args=[slug, pk]),
    }


def test_the_isolation_list_covers_every_portfolio_url():
    # "review" is covered by its own test below
    assert {p.name for p in urlpatterns} - {"review"} == set(urls("x", 1))


def test_another_organisation_gets_404_everywhere(client_for, carol, org_b, project):
    client = client_for(carol)
    for name, url in urls("org-a", project.pk).items():
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"title": "x", "kind": "stop", "reason": "x"}).status_code == 404
    for name, url in urls("org-b", project.pk).items():
        if str(project.pk) in url:
            assert client.get(url).status_code in (404, 405), name
    project.refresh_from_db()
    assert project.title == "Open data portal" and project.stage != "stopped"


def test_a_member_adds_a_project_and_places_it(client_for, bob, org_a):
    client = client_for(bob)
    response = client.post(
        reverse("portfolio:project_new", args=["org-a"]),
        {
            "title": "Net-zero roadmap",
            "stage": "exploration",
            "budget": "250000",
            "policy_goals": "Climate; Energy",
            "sdgs": ["13", "7"],
        },
    )
    project = Project.objects.get(title="Net-zero roadmap")
    assert response["Location"] == reverse("portfolio:place", args=["org-a", project.pk])
    assert project.policy_goals == ["Climate", "Energy"] and project.sdgs == [7, 13]
    page = client.get(response["Location"]).content.decode()
    assert "Save placement" in page
    assert "<h2>The project in brief</h2>" in page  # section titles in the reader's language
    done = client.post(response["Location"], {"purpose": "mis", "driver": "ant"})
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.zone == "transformative"
    detail = client.get(done["Location"]).content.decode()
    assert "Transformative" in detail and "<svg" in detail


def test_the_map_draws_every_placed_project_and_lists_it(client_for, alice, org_a, project):
    unplaced = make_project(organisation=org_a, actor=alice, title="Not yet placed")
    page = client_for(alice).get(reverse("portfolio:map", args=["org-a"])).content.decode()
    assert page.count('class="map-dot"') == 1
    assert "Open data portal" in page
    assert "1 project is not placed yet" in page
    assert unplaced.title not in page.split('id="map-table"')[1]
    svg = client_for(alice).get(reverse("portfolio:map_svg", args=["org-a"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")


def test_the_map_filters_by_stage(client_for, alice, org_a, project):
    other = make_project(organisation=org_a, actor=alice, title="Pilot", stage="prototype")
    services.project_place(actor=alice, project=other, answers={"purpose": "ada", "driver": "ada"})
    page = client_for(alice).get(reverse("portfolio:map", args=["org-a"]), {"stage": "prototype"})
    html = page.content.decode()
    assert html.count('class="map-dot"') == 1 and "Pilot" in html


def test_exports_hold_the_projects(client_for, alice, org_a, project):
    client = client_for(alice)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("portfolio:export", args=["org-a", "csv"])).content.decode()
            )
        )
    )
    assert rows[0][:2] == ["key", "title"] and rows[1][1] == "Open data portal"
    book = load_workbook(
        io.BytesIO(client.get(reverse("portfolio:export", args=["org-a", "xlsx"])).content)
    )
    assert book.active["B2"].value == "Open data portal"
    doc = json.loads(client.get(reverse("portfolio:export", args=["org-a", "json"])).content)
    assert doc["projects"][0]["placement"]["zone"] == "enhancement"
    assert client.get(reverse("portfolio:export", args=["org-a", "pdf"])).status_code == 404


def test_viewers_read_but_do_not_change(client_for, vera, project):
    client = client_for(vera)
    assert client.get(reverse("portfolio:project", args=["org-a", project.pk])).status_code == 200
    assert client.get(reverse("portfolio:place", args=["org-a", project.pk])).status_code == 403
    assert (
        client.post(
            reverse("portfolio:decide", args=["org-a", project.pk]), {"kind": "stop", "reason": "x"}
        ).status_code
        == 403
    )


def test_only_stewards_record_decisions(client_for, bob, alice, project):
    url = reverse("portfolio:decide", args=["org-a", project.pk])
    assert client_for(bob).post(url, {"kind": "stop", "reason": "x"}).status_code == 403
    client_for(alice).post(url, {"kind": "scale", "reason": "It works"})
    project.refresh_from_db()
    assert project.stage == "scaling"


def test_the_balance_page_compares_intended_and_actual(client_for, alice, org_a, project):
    client = client_for(alice)
    response = client.post(
        reverse("portfolio:balance", args=["org-a"]),
        {"enh": "10", "mis": "40", "ada": "25", "ant": "25", "rationale": "Missions first"},
    )
    assert response.status_code == 302
    page = client.get(reverse("portfolio:balance", args=["org-a"])).content.decode()
    assert "Missions first" in page
    # the only project is pure enhancement: 100 % actual against 10 % intended
    assert "75 points more effort into enhancement than intended" in page
    assert "no portfolio-exploration campaign with enough answers yet" in page


def test_an_intended_mix_that_does_not_add_up_is_shown_on_the_form(client_for, alice, org_a):
    page = client_for(alice).post(
        reverse("portfolio:balance", args=["org-a"]),
        {"enh": "10", "mis": "10", "ada": "10", "ant": "10"},
    )
    assert page.status_code == 200
    assert "must add up to 100" in page.content.decode()


def test_members_cannot_set_the_intent(client_for, bob, org_a):
    response = client_for(bob).post(
        reverse("portfolio:balance", args=["org-a"]),
        {"enh": "25", "mis": "25", "ada": "25", "ant": "25"},
    )
    assert response.status_code == 404


def test_reviews_snapshot_the_portfolio_and_show_what_changed(client_for, alice, org_a, project):
    client = client_for(alice)
    client.post(
        reverse("portfolio:reviews", args=["org-a"]),
        {"title": "Spring review", "held_on": "2026-03-01", "patterns": "Mostly delivery"},
    )
    services.project_place(
        actor=alice, project=project, answers={"purpose": "ant", "driver": "ant"}
    )
    make_project(organisation=org_a, actor=alice, title="New idea")
    response = client.post(
        reverse("portfolio:reviews", args=["org-a"]),
        {"title": "Autumn review", "held_on": "2026-10-01"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "compared with “Spring review”" in page
    assert "New idea" in page
    assert "moved from" in page


def test_review_pages_of_another_organisation_are_404(client_for, alice, carol, org_b, project):
    client_for(alice).post(reverse("portfolio:reviews", args=["org-a"]), {"title": "R"})
    from facetscope.portfolio.models import PortfolioReview

    review = PortfolioReview.objects.get()
    client = client_for(carol)
    assert client.get(reverse("portfolio:review", args=["org-a", review.pk])).status_code == 404
    assert client.get(reverse("portfolio:review", args=["org-b", review.pk])).status_code == 404
    assert (
        client.post(reverse("portfolio:reviews", args=["org-a"]), {"title": "x"}).status_code == 404
    )


def test_synergies_are_suggested_and_can_be_dismissed(client_for, alice, org_a):
    a = make_project(
        organisation=org_a,
        actor=alice,
        title="School meals",
        policy_goals=["Child health"],
        partners=["Health board"],
    )
    b = make_project(
        organisation=org_a, actor=alice, title="Playground fitness", policy_goals=["child health"]
    )
    make_project(organisation=org_a, actor=alice, title="Tax forms", policy_goals=["Revenue"])
    client = client_for(alice)
    url = reverse("portfolio:synergies", args=["org-a"])
    page = client.get(url).content.decode()
    assert "School meals" in page and "Playground fitness" in page
    assert "Same policy goals" in page and "Tax forms" not in page
    client.post(url, {"a": b.pk, "b": a.pk, "status": "dismissed", "note": "Different ages"})
    assert "Playground fitness" not in client.get(url).content.decode()
    assert "Different ages" in client.get(url, {"dismissed": "1"}).content.decode()


def test_synergy_verdicts_need_a_steward_of_the_organisation(
    client_for, bob, carol, org_b, alice, org_a
):
    a = make_project(organisation=org_a, actor=alice, title="A", policy_goals=["x"])
    b = make_project(organisation=org_a, actor=alice, title="B", policy_goals=["x"])
    url = reverse("portfolio:synergies", args=["org-a"])
    assert (
        client_for(bob).post(url, {"a": a.pk, "b": b.pk, "status": "confirmed"}).status_code == 403
    )
    assert client_for(carol).get(url).status_code == 404
    other = reverse("portfolio:synergies", args=["org-b"])
    assert (
        client_for(carol).post(other, {"a": a.pk, "b": b.pk, "status": "confirmed"}).status_code
        == 404
    )


def test_a_project_page_points_to_similar_cases_and_fitting_methods(client_for, alice, org_a):
    project = make_project(
        organisation=org_a,
        actor=alice,
        title="Digital identity for citizens",
        description="One login for all public services",
        stage="prototype",
    )
    services.project_place(
        actor=alice, project=project, answers={"purpose": "ant", "driver": "ant"}
    )
    page = client_for(alice).get(reverse("portfolio:project", args=["org-a", project.pk]))
    html = page.content.decode()
    assert "Similar cases elsewhere" in html and "/library/" in html
    section = html.split("Methods that fit this facet and stage")[1]
    assert section.count('href="/library/') >= 3
