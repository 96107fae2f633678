"""What the library offers a project or a balance gap: methods for a facet and a stage."""

import pytest
from django.urls import reverse

from facetscope.library.models import LibraryItem
from facetscope.library.selectors import methods_for, methods_for_project, project_facet
from facetscope.portfolio import services as portfolio
from tests.factories import make_project

pytestmark = pytest.mark.django_db


def _share(item, facet):
    return (item.record.get("facets") or {}).get(facet, 0)


@pytest.mark.parametrize("facet", ["enh", "mis", "ada", "ant"])
def test_methods_lean_to_the_facet(facet):
    methods = methods_for(facet=facet, limit=5)
    assert len(methods) == 5
    assert all(m.type == "toolkit" and m.organisation_id is None for m in methods)
    best = max(_share(t, facet) for t in LibraryItem.objects.filter(type="toolkit"))
    assert _share(methods[0], facet) == best
    others = [t for t in LibraryItem.objects.filter(type="toolkit") if t not in methods]
    assert min(_share(m, facet) for m in methods) >= max(_share(t, facet) for t in others) - 0.25


def test_a_toolkit_for_the_stage_counts_a_quarter_more():
    stage = "evaluation"

    def score(item):
        return _share(item, "enh") + (0.25 if stage in item.record.get("stages", []) else 0)

    staged = methods_for(facet="enh", stage=stage, limit=200)
    assert [score(m) for m in staged] == sorted((score(m) for m in staged), reverse=True)
    assert staged != methods_for(facet="enh", limit=200)  # the stage changed the order
    assert stage in staged[0].record.get("stages", [])


def test_a_placed_project_uses_its_own_main_facet(alice, org_a):
    project = make_project(organisation=org_a, actor=alice, title="Open data", stage="idea")
    portfolio.project_place(
        actor=alice, project=project, answers={"purpose": "ant", "driver": "ant"}
    )
    project.refresh_from_db()
    assert project_facet(project) == ("ant", False)
    assert methods_for_project(project) == methods_for(facet="ant", stage="generating_ideas")


def test_the_balance_page_links_its_methods_to_the_library(client_for, alice, org_a):
    portfolio.intent_set(
        actor=alice,
        organisation=org_a,
        mix={"enh": 10, "mis": 10, "ada": 10, "ant": 70},
        rationale="Look ahead.",
    )
    project = make_project(organisation=org_a, actor=alice, title="Forms", budget=1000)
    portfolio.project_place(
        actor=alice, project=project, answers={"purpose": "enh", "driver": "enh"}
    )
    html = client_for(alice).get(reverse("portfolio:balance", args=["org-a"])).content.decode()
    for method in methods_for(facet="ant", limit=3):
        assert reverse("library:item", args=[method.key]) in html
