import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from facetscope.assessments import services
from facetscope.assessments.models import Answer, Participation, Response
from facetscope.audit.models import AuditEvent
from facetscope.organisations.services import unit_create
from tests.factories import answer_campaign, codebook_answers, make_campaign, make_user


def full_answers():
    answers = codebook_answers()
    answers["q4"] = {**answers["q4"], "mis": 3}  # the codebook leaves one row blank
    return answers


@pytest.fixture
def campaign(org_a, alice):
    return make_campaign(organisation=org_a, steward=alice)


def test_a_submitted_response_is_scored_as_the_codebook_says(campaign, bob):
    response, _token = answer_campaign(campaign=campaign, user=bob, answers=full_answers())
    assert response.is_submitted
    assert set(response.result) >= {
        "pet_percent",
        "tendency_group",
        "capability",
        "pet_as_coded",
        "percent",
        "projects",
    }
    assert [p["zone"] for p in response.result["projects"]] == ["enhancement", "transformative"]
    assert response.submitted_on == timezone.localdate()


def test_an_anonymous_response_keeps_no_link_to_the_person(campaign, bob):
    response, _token = answer_campaign(campaign=campaign, user=bob, answers=full_answers())
    assert response.respondent is None
    participation = Participation.objects.get(campaign=campaign, user=bob)
    assert participation.submitted is True
    assert not AuditEvent.objects.filter(action="assessment.response.submitted").exists()
    with pytest.raises(ValidationError, match="already answered"):
        services.response_start(campaign=campaign, user=bob)


def test_a_named_response_is_resumed_not_duplicated(org_a, alice, bob):
    campaign = make_campaign(organisation=org_a, steward=alice, anonymous=False)
    first, _ = services.response_start(campaign=campaign, user=bob)
    again, _ = services.response_start(campaign=campaign, user=bob)
    assert first.pk == again.pk
    assert again.respondent == bob


def test_a_submitted_response_cannot_change(campaign, bob):
    response, _token = answer_campaign(campaign=campaign, user=bob, answers=full_answers())
    with pytest.raises(ValidationError, match="can no longer change"):
        services.response_save(response=response, answers={"q1": {"mis": 0}})
    with pytest.raises(ValidationError, match="can no longer change"):
        services.response_submit(response=response, user=bob)


def test_saves_of_different_pages_merge(campaign, bob):
    """Two devices with the same response, each saving its own page: nothing is lost."""
    response, token = services.response_start(campaign=campaign, user=bob)
    services.response_set_profile(response=response, level="individual")
    device_a = services.response_for_token(token)
    device_b = services.response_for_token(token)
    services.response_save(response=device_a, answers={"q1": {"mis": 3, "enh": 1}})
    services.response_save(response=device_b, answers={"q17": "yes"})
    services.response_save(response=device_a, answers={"q1": {"mis": 4, "enh": 1}})
    assert services.response_answers(response=response) == {
        "q1": {"mis": 4, "enh": 1},
        "q17": "yes",
    }


def test_invalid_answers_name_the_item_and_save_nothing(campaign, bob):
    response, _token = services.response_start(campaign=campaign, user=bob)
    with pytest.raises(ValidationError) as exc:
        services.response_save(
            response=response, answers={"q1": {"mis": 3}, "q2": {"enh": 1, "mis": 1}}
        )
    assert "q2" in exc.value.message_dict
    assert not Answer.objects.filter(response=response).exists()


def test_submitting_an_incomplete_questionnaire_lists_what_is_missing(campaign, bob):
    response, _token = answer_campaign(
        campaign=campaign, user=bob, answers={"q1": {"mis": 3}}, submit=False
    )
    with pytest.raises(ValidationError) as exc:
        services.response_submit(response=response, user=bob)
    assert "q3" in exc.value.message_dict
    response.refresh_from_db()
    assert not response.is_submitted


def test_only_members_of_selected_units_may_answer(org_a, alice, bob):
    lab = unit_create(actor=alice, organisation=org_a, name="Lab")
    sub = unit_create(actor=alice, organisation=org_a, name="Sub-lab", parent=lab)
    campaign = make_campaign(organisation=org_a, steward=alice, audience="units", units=[lab])
    with pytest.raises(ValidationError, match="other units"):
        services.response_start(campaign=campaign, user=bob)
    bob.memberships.update(unit=sub)
    response, _ = services.response_start(campaign=campaign, user=bob)
    assert response.pk


def test_outsiders_and_closed_campaigns_are_refused(campaign, carol, bob, alice):
    with pytest.raises(ValidationError, match="members of the organisation"):
        services.response_start(campaign=campaign, user=carol)
    services.campaign_close(actor=alice, campaign=campaign)
    with pytest.raises(ValidationError, match="not open"):
        services.response_start(campaign=campaign, user=bob)


def test_anyone_with_the_link_answers_without_an_account(org_a, alice):
    campaign = make_campaign(organisation=org_a, steward=alice, audience="link")
    response, token = answer_campaign(campaign=campaign, user=None, answers=full_answers())
    assert response.is_submitted and response.respondent is None
    assert services.response_for_token(token).pk == response.pk


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_group_size", 2, "cannot be below 3"),
        ("closes_on", dt.date(2000, 1, 1), "cannot close before"),
        ("languages", ["xx"], "not available in"),
        ("audience", "units", "at least one unit"),
    ],
)
def test_campaign_settings_are_checked(org_a, alice, field, value, message):
    with pytest.raises(ValidationError) as exc:
        make_campaign(organisation=org_a, steward=alice, **{field: value})
    assert message in " ".join(" ".join(m) for m in exc.value.message_dict.values())


def test_a_link_campaign_is_always_anonymous(org_a, alice):
    with pytest.raises(ValidationError, match="always anonymous"):
        make_campaign(organisation=org_a, steward=alice, audience="link", anonymous=False)


def test_opening_and_closing_are_audited(campaign, alice):
    services.campaign_close(actor=alice, campaign=campaign)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"assessment.campaign.created", "assessment.campaign.closed"} <= actions


def test_respondent_levels_change_what_is_required(org_a, alice):
    """A senior manager is not asked items meant for other levels (none in PET: all asked)."""
    campaign = make_campaign(organisation=org_a, steward=alice)
    user = make_user()
    from tests.factories import add_member

    add_member(organisation=org_a, user=user)
    response, _ = answer_campaign(
        campaign=campaign, user=user, level="senior_manager", answers=full_answers()
    )
    assert Response.objects.get(pk=response.pk).level == "senior_manager"


def test_importing_responses_is_all_or_nothing(campaign, alice):
    good = full_answers()
    bad = full_answers()
    bad["q2"] = {"enh": 1, "mis": 1, "ada": 2, "ant": 3}
    with pytest.raises(ValidationError) as exc:
        services.responses_import(actor=alice, campaign=campaign, rows=[(2, good), (3, bad)])
    assert "row 3: q2: ranks must be" in " ".join(exc.value.messages)
    assert not Response.objects.filter(campaign=campaign).exists()
    count = services.responses_import(
        actor=alice, campaign=campaign, rows=[(2, good), (3, good)], level="team_lead"
    )
    assert count == 2
    imported = Response.objects.filter(campaign=campaign)
    assert {r.level for r in imported} == {"team_lead"}
    assert all(r.is_submitted and r.imported and r.summary for r in imported)
    event = AuditEvent.objects.get(action="assessment.responses.imported")
    assert event.payload["count"] == 2
