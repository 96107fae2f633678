import json
import os
import subprocess
import sys

import pytest

from facetscope.accounts.models import User
from facetscope.cli import build_parser, main
from facetscope.core.demo import DEMO_PASSWORD, DEMO_SLUG, PEOPLE, demo_email
from facetscope.library.demo import PRIVATE_CASES
from facetscope.library.models import LibraryItem
from facetscope.organisations.models import Invitation, Membership, Organisation, Unit
from facetscope.portfolio.demo import UNPLACED
from facetscope.portfolio.models import Project


def test_every_subcommand_has_help(capsys):
    parser = build_parser()
    names = set(parser._subparsers._group_actions[0].choices)
    assert {"serve", "migrate", "demo", "createorg", "invite", "check"} <= names
    for name in names:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: facetscope" in capsys.readouterr().out


def test_demo_loads_once_and_reset_rebuilds(db, capsys):
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0
    org = Organisation.objects.get(slug=DEMO_SLUG)
    assert Membership.objects.filter(organisation=org).count() == len(PEOPLE)
    assert Unit.objects.filter(organisation=org).count() == 7
    out = capsys.readouterr().out
    assert "already there" in out
    assert DEMO_PASSWORD in out
    steward = User.objects.get(email=demo_email("alice"))
    assert steward.check_password(DEMO_PASSWORD)
    # the library and suggestion features have something to show a newcomer
    private = LibraryItem.objects.filter(organisation=org)
    assert sorted(private.values_list("key", flat=True)) == sorted(
        case["key"] for case in PRIVATE_CASES
    )
    waiting = Project.objects.filter(organisation=org, mix__isnull=True)
    assert sorted(waiting.values_list("title", flat=True)) == sorted(t for t, *_ in UNPLACED)
    assert all(len(p.description) > 100 for p in waiting)  # enough text to suggest from
    assert main(["demo", "--reset"]) == 0
    assert Organisation.objects.filter(slug=DEMO_SLUG).count() == 1
    org = Organisation.objects.get(slug=DEMO_SLUG)
    assert LibraryItem.objects.filter(organisation=org).count() == len(PRIVATE_CASES)
    assert not LibraryItem.objects.filter(organisation__isnull=True, key__startswith="demo-")
    assert User.objects.filter(email__endswith="demo.facetscope.example").count() == len(PEOPLE)


def test_createuser_createorg_and_invite(db, capsys, monkeypatch):
    monkeypatch.setenv("FACETSCOPE_PASSWORD", "a long enough passphrase")
    assert main(["createuser", "--email", "st@example.org", "--name", "Stew"]) == 0
    assert (
        main(
            [
                "createorg",
                "--name",
                "Région Test",
                "--country",
                "FR",
                "--level",
                "regional",
                "--size",
                "50-249",
                "--sector",
                "transport",
                "--steward",
                "st@example.org",
            ]
        )
        == 0
    )
    org = Organisation.objects.get(name="Région Test")
    assert org.slug == "region-test"
    assert (
        main(
            [
                "invite",
                "--org",
                "region-test",
                "--email",
                "p@example.org",
                "--role",
                "viewer",
                "--by",
                "st@example.org",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "link (single use): http" in out
    assert Invitation.objects.get(email="p@example.org").role == "viewer"


def test_cli_errors_are_clear_and_exit_2(db, capsys, monkeypatch):
    monkeypatch.setenv("FACETSCOPE_PASSWORD", "a long enough passphrase")
    main(["createuser", "--email", "st@example.org", "--name", "Stew"])
    code = main(
        [
            "createorg",
            "--name",
            "X",
            "--country",
            "Atlantis",
            "--level",
            "local",
            "--size",
            "1-49",
            "--steward",
            "st@example.org",
        ]
    )
    assert code == 2
    assert "country: Unknown country 'Atlantis'" in capsys.readouterr().err
    assert main(["invite", "--org", "nope", "--email", "a@example.org"]) == 2
    assert "no organisation with short name 'nope'" in capsys.readouterr().err
    assert (
        main(
            [
                "createorg",
                "--name",
                "X",
                "--country",
                "FR",
                "--level",
                "local",
                "--size",
                "1-49",
                "--steward",
                "ghost@example.org",
            ]
        )
        == 2
    )
    assert "no account for ghost@example.org" in capsys.readouterr().err


def test_check_flags_an_unsafe_deployment(db, capsys, settings):
    settings.DEBUG = True
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "error: DEBUG is on" in out


def test_check_passes_a_careful_production_setup(db, capsys, settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 60)
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set for browser tests
    settings.SECRET_KEY = "k" * 60
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["facetscope.example.gov"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "error" not in out


def test_score_prints_one_result_per_line(tmp_path, capsys):
    answers = tmp_path / "answers.jsonl"
    answers.write_text('{"purpose": "mis", "driver": "ant"}\n{"purpose": "0"}\n')
    assert main(["score", "project-facets", "--answers", str(answers), "--format", "json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["zone"] for line in lines] == ["transformative", "mixed"]


def test_score_names_the_bad_item_and_line(tmp_path, capsys):
    answers = tmp_path / "answers.jsonl"
    answers.write_text('{"q1": {"mis": 3}}\n{"q2": {"enh": 1, "mis": 1}}\n')
    assert main(["score", "portfolio-exploration", "--answers", str(answers)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "q2" in err


def test_instruments_lists_the_builtin_versions(db, capsys):
    assert main(["instruments", "list"]) == 0
    out = capsys.readouterr().out
    assert "portfolio-exploration\tv1" in out


def test_instruments_validate_reports_errors_with_paths(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: Bad Key\nversion: zero\n")
    assert main(["instruments", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "version" in err and "key" in err


def test_import_pet_refuses_a_bad_file_with_row_errors(db, tmp_path, capsys):
    from tests.factories import make_campaign, make_organisation, make_user

    steward = make_user()
    org = make_organisation(steward=steward, slug="pet-org")
    campaign = make_campaign(organisation=org, steward=steward)
    bad = tmp_path / "bad.csv"
    bad.write_text("Q1a,Q1b\n9,9\n")
    assert main(["import-pet", str(bad), "--org", "pet-org", "--campaign", str(campaign.pk)]) == 2
    assert "Q" in capsys.readouterr().err
    assert main(["import-pet", str(bad), "--org", "pet-org", "--campaign", "999"]) == 2


def test_classify_writes_one_line_per_input_and_reports_bad_lines(db, tmp_path, capsys):
    source = tmp_path / "texts.jsonl"
    source.write_text(
        '{"id": "a", "text": "Cut waiting times at the tax office by streamlining forms"}\n'
        '{"id": "b", "text": ""}\n'
    )
    assert main(["classify", "--input", str(source), "--format", "jsonl"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["id"] == "a" and lines[0]["top"] in {"enh", "mis", "ada", "ant"}
    assert abs(sum(lines[0]["facets"].values()) - 1) < 0.01
    assert lines[1] == {"id": "b", "error": "line 2: text is empty"}


def test_a_command_on_a_database_never_migrated_says_to_migrate(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["FACETSCOPE_DATA_DIR"] = str(tmp_path)  # an empty data directory: a new SQLite file
    result = subprocess.run(
        [sys.executable, "-m", "facetscope.cli", "library", "search", "roads"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "the database has no tables yet" in result.stderr
    assert "run `facetscope migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
