"""Every UI string is translatable, and the French catalogue is complete and current."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "facetscope"
FR_PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def test_the_french_catalogue_is_complete():
    catalogue = polib.pofile(str(FR_PO))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_french_translations_keep_every_placeholder():
    for entry in polib.pofile(str(FR_PO)).translated_entries():
        if entry.msgid_plural:
            expected = set(PLACEHOLDER.findall(entry.msgid_plural))
            forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            assert set(PLACEHOLDER.findall(forms[-1])) == expected, entry.msgid
            assert set(PLACEHOLDER.findall(forms[0])) <= expected | set(
                PLACEHOLDER.findall(entry.msgid)
            ), entry.msgid
        else:
            expected = sorted(PLACEHOLDER.findall(entry.msgid))
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == expected, entry.msgid


def test_the_catalogue_holds_every_string_in_the_code(tmp_path):
    """Run makemessages on a copy of the code and compare its strings with ours."""
    if shutil.which("xgettext") is None:
        if os.environ.get("FACETSCOPE_REQUIRE_GETTEXT") == "1":
            pytest.fail("xgettext (GNU gettext) is needed for this check.")
        pytest.skip("GNU gettext is not installed; CI runs this check.")
    copy = tmp_path / "facetscope"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "data"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fr",
            "--no-location",
            "--ignore",
            "static/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {
        e.msgid
        for e in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))
        if not e.obsolete
    }
    ours = {e.msgid for e in polib.pofile(str(FR_PO)) if not e.obsolete}
    assert fresh - ours == set(), "run `make messages` and translate the new strings"


@pytest.mark.django_db
def test_pages_switch_to_french():
    client = Client(headers={"accept-language": "fr"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="fr">' in page
    assert "Se connecter" in page
