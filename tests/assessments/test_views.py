import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from facetscope.assessments import services
from facetscope.assessments.models import Response
from facetscope.instruments.scoring import normalize_answers
from facetscope.organisations.services import unit_create
from tests.assessments.test_services import full_answers
from tests.factories import add_member, answer_campaign, make_campaign, make_user


@pytest.fixture
def campaign(org_a, alice):
    return make_campaign(organisation=org_a, steward=alice)


def members(org, n, *, unit=None, role="member"):
    users = []
    for _ in range(n):
        user = make_user()
        membership = add_member(organisation=org, user=user, role=role)
        if unit is not None:
            membership.unit = unit
            membership.save()
        users.append(user)
    return users


def test_a_member_answers_page_by_page_without_javascript(client_for, bob, campaign):
    client = client_for(bob)
    start = client.post(reverse("assessments:start", args=["org-a", campaign.pk]))
    assert start.status_code == 302
    token = start["Location"].split("/respond/")[1].split("/")[0]
    assert client.cookies[f"fs_resp_{campaign.pk}"].value == token
    about = client.get(start["Location"], follow=True)
    assert "About you" in about.content.decode()
    response = client.post(
        reverse("assessments:about", args=[token]), {"level": "team_lead", "language": "en"}
    )
    assert response["Location"] == reverse("assessments:section", args=[token, 1])
    # page 2 holds q1–q4; an invalid rank is shown on the page, naming the problem
    page = client.post(
        reverse("assessments:section", args=[token, 2]),
        {"q1__mis": "3", "q1__enh": "1", "q2__enh": "1", "q2__mis": "1", "action": "next"},
    )
    assert page.status_code == 400
    assert "ranks must be" in page.content.decode()
    page = client.post(
        reverse("assessments:section", args=[token, 2]),
        {
            "q1__mis": "3",
            "q1__enh": "1",
            "q2__enh": "1",
            "q2__mis": "2",
            "q2__ada": "3",
            "q2__ant": "4",
            "action": "later",
        },
    )
    assert page["Location"] == reverse("assessments:saved", args=[token])
    stored = Response.objects.get(campaign=campaign)
    assert dict(stored.answers.values_list("item_id", "value"))["q2"] == {
        "enh": 1,
        "mis": 2,
        "ada": 3,
        "ant": 4,
    }
    # coming back lands on the first page with nothing answered yet
    assert client.get(reverse("assessments:respond", args=[token]))["Location"] == reverse(
        "assessments:section", args=[token, 1]
    )


def test_autosave_answers_with_json(client_for, bob, campaign):
    client = client_for(bob)
    token = (
        client.post(reverse("assessments:start", args=["org-a", campaign.pk]))["Location"]
        .split("/respond/")[1]
        .split("/")[0]
    )
    client.post(
        reverse("assessments:about", args=[token]), {"level": "individual", "language": "en"}
    )
    saved = client.post(
        reverse("assessments:section", args=[token, 2]),
        {"q1__mis": "2"},
        headers={"X-Autosave": "1"},
    )
    assert saved.json() == {"saved": True}
    bad = client.post(
        reverse("assessments:section", args=[token, 2]),
        {"q1__mis": "9"},
        headers={"X-Autosave": "1"},
    )
    assert bad.status_code == 400 and "q1" in bad.json()["errors"]


def test_the_respondent_sees_their_own_result(client_for, bob, campaign):
    client = client_for(bob)
    token = (
        client.post(reverse("assessments:start", args=["org-a", campaign.pk]))["Location"]
        .split("/respond/")[1]
        .split("/")[0]
    )
    response = Response.objects.get(campaign=campaign)
    services.response_set_profile(response=response, level="individual")
    flat = normalize_answers(campaign.instrument_version.definition, full_answers())
    flat.pop("id", None)
    services.response_save(response=response, answers=flat)
    submitted = client.post(reverse("assessments:review", args=[token]))
    assert submitted["Location"] == reverse("assessments:result", args=[token])
    page = client.get(submitted["Location"]).content.decode()
    assert "Your result" in page
    assert "<svg" in page and 'role="img"' in page
    assert "Recommended actions" in page or "Strengths" in page
    assert "Portfolio management capability" in page


def test_another_persons_named_response_is_404(org_a, alice, bob, client_for):
    campaign = make_campaign(organisation=org_a, steward=alice, anonymous=False)
    _response, token = answer_campaign(
        campaign=campaign, user=bob, answers=full_answers(), submit=False
    )
    assert client_for(alice).get(reverse("assessments:about", args=[token])).status_code == 404


def test_an_unknown_token_is_404(client, db):
    assert client.get(reverse("assessments:respond", args=["nope"])).status_code == 404


def test_results_stay_hidden_below_the_minimum(client_for, alice, org_a, campaign):
    for user in members(org_a, 4):
        answer_campaign(campaign=campaign, user=user, answers=full_answers())
    page = client_for(alice).get(reverse("assessments:results", args=["org-a", campaign.pk]))
    html = page.content.decode()
    assert "appears once at least 5 people have answered" in html
    assert "Mean facet scores" not in html
    doc = client_for(alice).get(reverse("assessments:results_json", args=["org-a", campaign.pk]))
    assert doc.json()["result"]["groups"]["all"] == {"kind": "all", "suppressed": True}
    export = client_for(alice).get(
        reverse("assessments:export", args=["org-a", campaign.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert len(rows) == 1  # the header only


def test_small_units_are_hidden_everywhere(client_for, alice, org_a, campaign):
    big = unit_create(actor=alice, organisation=org_a, name="Big unit")
    small = unit_create(actor=alice, organisation=org_a, name="Small unit")
    for user in members(org_a, 6, unit=big):
        answer_campaign(campaign=campaign, user=user, unit=big, answers=full_answers())
    for user in members(org_a, 2, unit=small):
        answer = full_answers()
        answer["q1"] = {"mis": 0, "enh": 0, "ant": 0, "ada": 0}
        answer_campaign(campaign=campaign, user=user, unit=small, answers=answer)
    client = client_for(alice)
    data = client.get(reverse("assessments:results_json", args=["org-a", campaign.pk])).json()
    groups = data["result"]["groups"]
    assert groups["all"]["n"] == 8
    assert groups[f"unit:{small.pk}"] == {
        "kind": "unit",
        "unit": small.pk,
        "name": "Small unit",
        "parent": None,
        "suppressed": True,
    }
    # the big unit would give the small one away by subtraction: hidden too
    assert groups[f"unit:{big.pk}"].get("suppressed") is True
    html = client.get(reverse("assessments:results", args=["org-a", campaign.pk])).content.decode()
    assert "Small unit" in html and "Hidden: fewer than 5" in html
    export = client.get(reverse("assessments:export", args=["org-a", campaign.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(export.content))[f"responses-{campaign.pk}"]
    units = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Small unit" not in units
    assert "codebook" in load_workbook(io.BytesIO(export.content)).sheetnames


def test_members_read_results_but_only_stewards_export(client_for, bob, campaign):
    client = client_for(bob)
    assert (
        client.get(reverse("assessments:results", args=["org-a", campaign.pk])).status_code == 200
    )
    export = reverse("assessments:export", args=["org-a", campaign.pk, "csv"])
    assert client.get(export).status_code == 403


def test_a_steward_opens_a_campaign_on_the_web(client_for, alice, org_a):
    from facetscope.instruments.selectors import latest_version

    response = client_for(alice).post(
        reverse("assessments:campaign_new", args=["org-a"]),
        {
            "instrument_version": latest_version("portfolio-exploration").pk,
            "title": "Wave 1",
            "opens_on": "2026-01-01",
            "closes_on": "2099-01-01",
            "audience": "members",
            "anonymous": "on",
            "min_group_size": "5",
            "languages": ["en", "fr"],
            "ask_unit": "on",
        },
    )
    assert response.status_code == 302
    page = client_for(alice).get(response["Location"]).content.decode()
    assert "Wave 1" in page and "Answer the questionnaire" in page


def test_a_minimum_group_size_below_three_is_refused_on_the_form(client_for, alice, org_a):
    from facetscope.instruments.selectors import latest_version

    response = client_for(alice).post(
        reverse("assessments:campaign_new", args=["org-a"]),
        {
            "instrument_version": latest_version("portfolio-exploration").pk,
            "title": "W",
            "opens_on": "2026-01-01",
            "closes_on": "2099-01-01",
            "audience": "members",
            "min_group_size": "2",
            "languages": ["en"],
        },
    )
    assert response.status_code == 200
    assert "greater than or equal to 3" in response.content.decode()


def test_campaign_pages_of_another_organisation_are_404(client_for, carol, org_b, campaign):
    client = client_for(carol)
    for name in ("campaign", "results", "results_json", "quality", "close", "start"):
        url = reverse(f"assessments:{name}", args=["org-a", campaign.pk])
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url).status_code == 404, name
    for fmt in ("csv", "xlsx"):
        url = reverse("assessments:export", args=["org-a", campaign.pk, fmt])
        assert client.get(url).status_code == 404
    # and under carol's own organisation, org A's campaign does not exist either
    url = reverse("assessments:results", args=["org-b", campaign.pk])
    assert client.get(url).status_code == 404


def test_result_json_is_json(client_for, alice, campaign):
    body = client_for(alice).get(reverse("assessments:results_json", args=["org-a", campaign.pk]))
    doc = json.loads(body.content)
    assert doc["instrument"]["key"] == "portfolio-exploration"


def test_a_steward_imports_opsi_csv_exports(client_for, alice, campaign):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "docs" / "instruments" / "pet-export-sample.csv"
    client = client_for(alice)
    url = reverse("assessments:import", args=["org-a", campaign.pk])
    with sample.open("rb") as handle:
        response = client.post(url, {"file": handle, "level": "individual"})
    assert response.status_code == 302
    assert Response.objects.filter(campaign=campaign, imported=True).count() == 3


def test_a_bad_csv_imports_nothing_and_names_row_and_column(client_for, alice, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from facetscope.instruments.pet_csv import write_pet_csv

    good = write_pet_csv([full_answers()], campaign.instrument_version.definition)
    header, row = good.splitlines()[:2]
    columns = next(csv.reader([header]))
    cells = next(csv.reader([row]))
    cells[columns.index("Q2a")] = "7"
    out = io.StringIO()
    csv.writer(out).writerows([columns, cells])
    upload = SimpleUploadedFile("pet.csv", out.getvalue().encode(), content_type="text/csv")
    response = client_for(alice).post(
        reverse("assessments:import", args=["org-a", campaign.pk]),
        {"file": upload, "level": "individual"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "row 2" in html and "Q2a" in html
    assert not Response.objects.filter(campaign=campaign).exists()


def test_members_cannot_import(client_for, bob, campaign):
    url = reverse("assessments:import", args=["org-a", campaign.pk])
    assert client_for(bob).get(url).status_code == 403
