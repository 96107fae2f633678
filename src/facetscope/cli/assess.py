"""Instruments and assessments: score, instruments."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from facetscope.cli import CommandError, command, setup_django


def _score_args(p):
    from facetscope.instruments.loader import builtin_keys

    p.add_argument("instrument", choices=builtin_keys(), help="the instrument's key")
    p.add_argument(
        "--answers",
        required=True,
        help="JSON file with one respondent's answers, or JSON Lines, one per line ('-': stdin)",
    )
    p.add_argument("--format", default="json", choices=["json"], help="output format")


@command(
    "score",
    "Score answers given as JSON or JSON Lines, without touching the database.",
)(_score_args)
def score(args) -> int:
    from facetscope.instruments.cli_score import score_stream

    if args.answers != "-" and not Path(args.answers).exists():
        raise CommandError(f"{args.answers}: no such file")
    return score_stream(args.instrument, args.answers, sys.stdout, sys.stderr, fmt=args.format)


def _instruments_args(p):
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="list the published instrument versions")
    check = sub.add_parser("validate", help="check a definition file and report every error")
    check.add_argument("file")
    publish = sub.add_parser("publish", help="publish a definition file as a new version")
    publish.add_argument("file")


@command("instruments", "List, validate and publish questionnaire definitions.")(_instruments_args)
def instruments(args) -> int:
    from facetscope.instruments.loader import load_definition
    from facetscope.instruments.schema import DefinitionError

    if args.action == "validate":
        try:
            definition = load_definition(args.file)
        except DefinitionError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except OSError as exc:
            raise CommandError(str(exc)) from None
        print(f"ok: {definition.key} v{definition.version} ({definition.content_hash[:12]})")
        return 0
    setup_django()
    from facetscope.instruments.models import InstrumentVersion
    from facetscope.instruments.services import instrument_version_publish_text

    if args.action == "list":
        for v in InstrumentVersion.objects.order_by("key", "version"):
            origin = "built in" if v.builtin else "published"
            print(f"{v.key}\tv{v.version}\t{v.content_hash[:12]}\t{origin}\t{v.title_in('en')}")
        return 0
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(str(exc)) from None
    version = instrument_version_publish_text(text=text, source=args.file)
    print(f"published {version.key} v{version.version}")
    return 0


def _import_pet_args(p):
    from facetscope.assessments.choices import Level

    p.add_argument("file", help="the module-1 CSV export of OPSI's Portfolio Exploration Tool")
    p.add_argument("--org", required=True, help="the organisation's short name (slug)")
    p.add_argument("--campaign", required=True, type=int, help="the campaign's number")
    p.add_argument("--level", default=Level.INDIVIDUAL, choices=Level.values)
    p.add_argument("--unit", help="name of the respondents' unit, if known")
    p.add_argument("--by", help="e-mail of the steward importing (recorded in the audit log)")


@command(
    "import-pet",
    "Import a CSV export of OPSI's Portfolio Exploration Tool into a campaign (all or nothing).",
)(_import_pet_args)
def import_pet(args) -> int:
    setup_django()
    from facetscope.accounts.models import User
    from facetscope.assessments.models import Campaign
    from facetscope.assessments.services import responses_import_pet_csv
    from facetscope.organisations.models import Unit

    campaign = Campaign.objects.filter(pk=args.campaign, organisation__slug=args.org).first()
    if campaign is None:
        raise CommandError(f"{args.org} has no campaign number {args.campaign}.")
    unit = None
    if args.unit:
        unit = Unit.objects.filter(
            organisation=campaign.organisation, name__iexact=args.unit
        ).first()
        if unit is None:
            raise CommandError(f"{campaign.organisation} has no unit called {args.unit!r}.")
    actor = User.objects.filter(email__iexact=args.by).first() if args.by else None
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(str(exc)) from None
    count = responses_import_pet_csv(
        actor=actor, campaign=campaign, data=data, level=args.level, unit=unit
    )
    print(f"imported {count} responses into {campaign.title}")
    return 0


def _classify_args(p):
    p.add_argument("--input", required=True, help="JSON Lines ({id, text}) or CSV (id,text)")
    p.add_argument("--format", default="jsonl", choices=["jsonl"])


@command(
    "classify",
    "Suggest the facet mix of descriptions: one JSON line per input line.",
)(_classify_args)
def classify(args) -> int:
    setup_django()
    from django.conf import settings

    from facetscope.library.vectors import embedder
    from facetscope.suggest.classifier import FacetClassifier
    from facetscope.suggest.stream import classify_stream

    if not Path(args.input).exists():
        raise CommandError(f"{args.input}: no such file")
    # the system's embedding service, its vectors cached in the database
    classifier = FacetClassifier(
        cache_path=settings.DATA_DIR / "facet-classifier.pkl", embedder=embedder()
    )
    return classify_stream(
        args.input, sys.stdout, sys.stderr, sys.stderr.isatty(), classifier=classifier
    )


def _suggest_args(p):
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("retrain", help="train on the shipped set plus every stored correction")
    sub.add_parser("status", help="what the current model was trained on")


@command("suggest", "The facet-suggestion model: retrain it on people's corrections.")(
    _suggest_args
)
def suggest(args) -> int:
    setup_django()
    from facetscope.suggest.models import Correction
    from facetscope.suggest.services import classifier, classifier_ready, classifier_retrain

    if args.action == "retrain":
        summary = classifier_retrain()
        print(json.dumps(summary, default=str, ensure_ascii=False))
        return 0
    corrections = Correction.objects.count()
    if not classifier_ready():
        print(
            f"no trained model yet ({corrections} corrections stored); run "
            "`facetscope suggest retrain`"
        )
        return 0
    print(json.dumps({**classifier().info(), "corrections_stored": corrections}, default=str))
    return 0
