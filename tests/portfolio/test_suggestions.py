"""Suggestions from a project's description, corrections, and retraining on them."""

import json

import pytest
from django.urls import reverse

from facetscope.cli import main
from facetscope.library.selectors import STAGE_MAP, methods_for, project_facet
from facetscope.suggest import services as suggest
from facetscope.suggest.models import Correction
from tests.factories import make_project


@pytest.fixture(scope="module")
def trained(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        suggest.classifier_retrain()
    assert suggest.classifier_ready()


def test_a_first_placement_starts_from_the_suggestion_and_stores_the_choice(
    trained, client_for, alice, org_a
):
    project = make_project(
        organisation=org_a,
        actor=alice,
        title="Futures of rural care",
        description="Scenario workshops and horizon scanning on how ageing, remote care "
        "technology and climate may reshape rural health services by 2045.",
    )
    client = client_for(alice)
    url = reverse("portfolio:place", args=["org-a", project.pk])
    page = client.get(url).content.decode()
    assert "Suggested from the description" in page
    top = page.split('name="suggested_top" value="')[1].split('"')[0]
    assert top in {"enh", "mis", "ada", "ant"}
    # the person disagrees and places it as enhancement
    response = client.post(
        url,
        {
            "purpose": "enh",
            "driver": "enh",
            "suggested_top": top,
            "suggested_purpose": "ant",
            "suggested_driver": "ant",
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get(project=project)
    assert correction.facet == "enh" and correction.suggested["top"] == top
    assert correction.purpose == "enh"
    # a second visit shows the person's own placement, not the suggestion
    assert "Suggested from the description" not in client.get(url).content.decode()


def test_retraining_uses_the_stored_corrections(trained, alice, org_a, capsys):
    project = make_project(
        organisation=org_a,
        actor=alice,
        title="X",
        description="Digitising the permit forms to cut processing time.",
    )
    Correction.objects.create(
        organisation=org_a,
        project=project,
        text=project.description,
        suggested={"top": "ant"},
        facet="enh",
        created_by=alice,
    )
    assert main(["suggest", "retrain"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["corrections"] == 1 and summary["examples"] == 441


def test_no_suggestion_without_a_description(trained, client_for, alice, org_a):
    project = make_project(organisation=org_a, actor=alice, title="No text")
    page = client_for(alice).get(reverse("portfolio:place", args=["org-a", project.pk]))
    assert "Suggested from the description" not in page.content.decode()


def test_an_unplaced_project_gets_methods_for_its_suggested_facet(
    trained, client_for, alice, org_a
):
    project = make_project(
        organisation=org_a,
        actor=alice,
        title="Horizon scanning",
        description="Scenario workshops and horizon scanning on how ageing and climate may "
        "reshape rural health services by 2045, watching weak signals.",
    )
    suggested = suggest.suggestion_for(project.description)["top"]
    assert suggested == "ant"
    assert project_facet(project) == ("ant", True)
    html = (
        client_for(alice)
        .get(reverse("portfolio:project", args=["org-a", project.pk]))
        .content.decode()
    )
    assert "the facet its description suggests" in html
    for method in methods_for(facet="ant", stage=STAGE_MAP[project.stage]):
        assert reverse("library:item", args=[method.key]) in html
