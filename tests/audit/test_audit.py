import re
from pathlib import Path

import pytest
from django.urls import reverse

from facetscope.audit.models import AuditEvent
from facetscope.audit.registry import ACTIONS, describe
from facetscope.audit.services import audit_record

SRC = Path(__file__).resolve().parents[2] / "src" / "facetscope"


def test_every_action_code_used_in_the_code_is_registered():
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
        used |= set(
            re.findall(
                r'"(organisation\.[a-z_.]+|account\.[a-z_.]+)" if ',
                path.read_text(encoding="utf-8"),
            )
        )
    assert used, "no action codes found: the pattern above is out of date"
    assert used - set(ACTIONS) == set()


def test_an_unregistered_code_is_refused(db):
    with pytest.raises(ValueError, match="Unregistered audit action"):
        audit_record(action="organisation.exploded")
    assert not AuditEvent.objects.exists()


def test_descriptions_read_as_sentences():
    text = describe("organisation.member.invited", actor="Alice", obj="dora@example.org")
    assert text == "Alice invited dora@example.org"


def test_changing_settings_is_audited_with_the_changed_fields(client_for, alice, org_a):
    client_for(alice).post(
        reverse("organisations:settings", args=["org-a"]),
        {
            "name": "Org A renamed",
            "country": "FR",
            "government_level": "national",
            "sectors": ["digital"],
            "size_band": "250-999",
        },
    )
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.payload == {"fields": ["name"]}
    assert event.actor == alice


def test_saving_unchanged_settings_records_nothing(client_for, alice, org_a):
    client_for(alice).post(
        reverse("organisations:settings", args=["org-a"]),
        {
            "name": "Org A",
            "country": "FR",
            "government_level": "national",
            "sectors": ["digital"],
            "size_band": "250-999",
        },
    )
    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


def test_the_audit_log_of_one_organisation_shows_none_of_another(
    client_for, alice, org_a, carol, org_b
):
    page = client_for(alice).get(reverse("organisations:audit", args=["org-a"])).content.decode()
    assert "Org B" not in page
    assert "Carol" not in page
