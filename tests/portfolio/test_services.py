import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from facetscope.audit.models import AuditEvent
from facetscope.portfolio import services
from facetscope.portfolio.models import Project
from tests.factories import make_project


def test_a_project_is_created_with_its_lists_cleaned(alice, org_a):
    project = make_project(
        organisation=org_a,
        actor=alice,
        title="Digital permits",
        partners="City; Region ;",
        sdgs=[11, "9"],
        tags=["digital"],
        budget=Decimal("1200.50"),
    )
    assert project.partners == ["City", "Region"]
    assert project.sdgs == [9, 11]
    assert project.zone == "unplaced"
    assert AuditEvent.objects.filter(action="portfolio.project.created").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"start_date": dt.date(2026, 5, 1), "end_date": dt.date(2026, 1, 1)}, "end_date"),
        ({"sdgs": [18]}, "sdgs"),
        ({"budget": Decimal("-1")}, "budget"),
        ({"links": ["ftp://x"]}, "links"),
        ({"stage": "dreaming"}, "stage"),
    ],
)
def test_bad_project_fields_are_named(alice, org_a, fields, field):
    data = {"title": "T", **fields}
    with pytest.raises(ValidationError) as exc:
        services.project_create(actor=alice, organisation=org_a, **data)
    assert field in exc.value.message_dict
    assert not Project.objects.exists()


def test_placing_with_the_two_opsi_questions_gives_the_zone(alice, org_a):
    project = make_project(organisation=org_a, actor=alice)
    services.project_place(
        actor=alice, project=project, answers={"purpose": "mis", "driver": "ant"}
    )
    project.refresh_from_db()
    assert project.zone == "transformative"
    assert project.mix and abs(sum(project.mix.values()) - 1) < 1e-3


def test_several_placements_are_combined_with_their_disagreement(alice, bob, org_a):
    project = make_project(organisation=org_a, actor=alice)
    services.project_place(
        actor=alice, project=project, answers={"purpose": "enh", "driver": "enh"}
    )
    project.refresh_from_db()
    assert project.zone == "enhancement"
    assert project.spread == 0
    services.project_place(actor=bob, project=project, answers={"purpose": "ant", "driver": "ant"})
    project.refresh_from_db()
    assert project.spread > 0.3
    assert project.placements.count() == 2
    # placing again replaces one's own placement
    services.project_place(actor=bob, project=project, answers={"purpose": "enh", "driver": "enh"})
    project.refresh_from_db()
    assert project.placements.count() == 2 and project.spread == 0


def test_invalid_placement_answers_name_the_item(alice, org_a):
    project = make_project(organisation=org_a, actor=alice)
    with pytest.raises(ValidationError) as exc:
        services.project_place(actor=alice, project=project, answers={"purpose": "maybe"})
    assert "purpose" in exc.value.message_dict


def test_stopping_a_project_keeps_it_as_knowledge(alice, org_a):
    project = make_project(organisation=org_a, actor=alice, stage="prototype")
    services.project_decide(
        actor=alice,
        project=project,
        kind="stop",
        reason="Users did not need it",
        lessons="Test demand earlier",
    )
    project.refresh_from_db()
    assert project.stage == "stopped"
    assert project.decisions.get().lessons == "Test demand earlier"
    with pytest.raises(ValidationError):
        services.project_decide(actor=alice, project=project, kind="stop", reason="")


def test_the_intended_mix_must_add_up_to_100(alice, org_a):
    with pytest.raises(ValidationError, match="add up to 100"):
        services.intent_set(
            actor=alice, organisation=org_a, mix={"enh": 50, "mis": 30, "ada": 10, "ant": 0}
        )
    intent = services.intent_set(
        actor=alice,
        organisation=org_a,
        mix={"enh": 40, "mis": 30, "ada": 20, "ant": 10},
        rationale="Delivery first",
    )
    assert intent.mix["enh"] == 40


def test_public_value_ratings_are_checked(alice, org_a):
    project = make_project(organisation=org_a, actor=alice)
    with pytest.raises(ValidationError):
        services.project_set_public_value(
            actor=alice, project=project, scorecard={"individual_good": {"rating": "9"}}
        )
    services.project_set_public_value(
        actor=alice,
        project=project,
        scorecard={"collective_fair": {"rating": "4", "note": "Equal access"}},
    )
    project.refresh_from_db()
    assert project.public_value["collective_fair"] == {"rating": 4, "note": "Equal access"}
    assert project.public_value["individual_good"]["rating"] is None


def test_a_unit_of_another_organisation_is_refused(alice, org_a, carol, org_b):
    from facetscope.organisations.services import unit_create

    theirs = unit_create(actor=carol, organisation=org_b, name="Theirs")
    with pytest.raises(ValidationError) as exc:
        make_project(organisation=org_a, actor=alice, unit=theirs)
    assert "unit" in exc.value.message_dict
