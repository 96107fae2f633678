import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from facetscope.audit.models import AuditEvent
from facetscope.organisations.services import unit_create
from facetscope.portfolio.models import Project
from tests.factories import make_project

HEADER = ["key", "title", "unit", "stage", "budget", "start_date", "end_date", "purpose", "driver"]


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "projects"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("projects.xlsx", out.getvalue())


def test_preview_then_confirm_creates_and_updates(client_for, alice, org_a):
    unit_create(actor=alice, organisation=org_a, name="Lab")
    existing = make_project(organisation=org_a, actor=alice, title="Old", key="P-1")
    client = client_for(alice)
    url = reverse("portfolio:import", args=["org-a"])
    preview = client.post(
        url,
        {
            "file": xlsx(
                [
                    ["P-1", "Old, renamed", "Lab", "scaling", 1000, None, None, "", ""],
                    [
                        "P-2",
                        "Brand new",
                        "Lab",
                        "idea",
                        "2 500,50",
                        "2026-01-01",
                        "2026-12-31",
                        "mis",
                        "ant",
                    ],
                ]
            )
        },
    )
    html = preview.content.decode()
    assert "will add 1 projects and update 1" in html
    assert Project.objects.count() == 1  # nothing saved before confirming
    upload_id = html.split('name="confirm" value="')[1].split('"')[0]
    done = client.post(url, {"confirm": upload_id})
    assert done.status_code == 302
    existing.refresh_from_db()
    assert existing.title == "Old, renamed" and existing.stage == "scaling"
    new = Project.objects.get(key="P-2")
    assert str(new.budget) == "2500.50" and new.zone == "transformative"
    assert AuditEvent.objects.get(action="portfolio.projects.imported").payload["created"] == 1


def test_a_bad_file_changes_nothing_and_names_rows_and_columns(client_for, alice, org_a):
    client = client_for(alice)
    response = client.post(
        reverse("portfolio:import", args=["org-a"]),
        {
            "file": xlsx(
                [
                    ["P-1", "Fine", "", "idea", 10, None, None, "", ""],
                    ["P-2", "Bad dates", "Nowhere", "idea", 10, "2026-05-01", "2026-01-01", "", ""],
                    ["P-3", "Formula", "", "idea", "=1+1", None, None, "", ""],
                ]
            )
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "row 3" in html and "unit" in html
    assert "row 4" in html and "formula" in html.lower()
    assert not Project.objects.exists()


def test_templates_download(client_for, alice, org_a):
    client = client_for(alice)
    csv_template = client.get(reverse("portfolio:import_template", args=["org-a", "csv"]))
    assert csv_template.content.decode("utf-8-sig").splitlines()[0].startswith("key,title")
    assert (
        client.get(reverse("portfolio:import_template", args=["org-a", "xlsx"])).status_code == 200
    )


def test_another_organisation_cannot_confirm_an_upload(client_for, alice, org_a, carol, org_b):
    client = client_for(alice)
    html = client.post(
        reverse("portfolio:import", args=["org-a"]),
        {"file": xlsx([["P-9", "Mine", "", "idea", 1, None, None, "", ""]])},
    ).content.decode()
    upload_id = html.split('name="confirm" value="')[1].split('"')[0]
    other = client_for(carol)
    assert (
        other.post(reverse("portfolio:import", args=["org-b"]), {"confirm": upload_id}).status_code
        == 404
    )
    assert not Project.objects.exists()

