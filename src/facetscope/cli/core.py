"""Running the system: serve, migrate, demo, check, compilemessages, manage."""

from __future__ import annotations

import os
import subprocess
import sys

from facetscope.cli import CommandError, command, setup_django


def _serve_args(p):
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument(
        "--production",
        action="store_true",
        help="serve with gunicorn (static files collected first) instead of the development server",
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers with --production")


@command("serve", "Serve the web app.")(_serve_args)
def serve(args) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port} is not a valid port number.")
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host  # noqa: S104
    print(f"Facetscope is at http://{shown_host}:{args.port}/", flush=True)
    if not args.production:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
        return 0
    if settings.DEBUG:
        print("warning: DEBUG is on; set DEBUG=0 for production.", file=sys.stderr)
    call_command("collectstatic", interactive=False, verbosity=0)
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "facetscope.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    return subprocess.call(gunicorn, env=os.environ.copy())  # noqa: S603


@command("migrate", "Create or update the database tables.")(lambda p: None)
def migrate(args) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    return 0


def _demo_args(p):
    p.add_argument(
        "--reset", action="store_true", help="delete the demo organisation and its people first"
    )


@command("demo", "Load the demo organisation with demo people (safe to run again).")(_demo_args)
def demo(args) -> int:
    setup_django()
    from facetscope.core.demo import DEMO_PASSWORD, demo_load

    result = demo_load(reset=args.reset)
    state = "created" if result.created else "already there"
    print(f"Demo organisation '{result.organisation.name}' {state}.")
    from facetscope.suggest.services import classifier_ready, classifier_retrain

    if not classifier_ready():
        print("Training the facet-suggestion model (once; about a minute)…", flush=True)
        classifier_retrain()
    from facetscope.library.vectors import build_index, embedder, index_status

    if embedder().available() and index_status().missing:
        print("Embedding the library for search by meaning (once)…", flush=True)
        build_index()
    print(f"Sign in as {result.steward_email} (steward) with password: {DEMO_PASSWORD}")
    return 0


@command("check", "Check the deployment settings (secret key, debug, hosts, HTTPS, database).")(
    lambda p: None
)
def check(args) -> int:
    setup_django()
    from facetscope.core.deploycheck import deployment_problems

    problems = deployment_problems()
    for level, message in problems:
        print(f"{level}: {message}")
    errors = [p for p in problems if p[0] == "error"]
    if not problems:
        print("ok: the deployment settings look right.")
    return 1 if errors else 0


@command("compilemessages", "Compile the translation catalogues (.po to .mo).")(lambda p: None)
def compilemessages(args) -> int:
    from facetscope.i18n import compile_catalogues

    for path in compile_catalogues():
        print(f"compiled {path}")
    return 0


def _manage_args(p):
    p.add_argument("django_args", nargs="*", help="a Django management command and its arguments")


@command("manage", "Run a Django management command (e.g. `facetscope manage -- shell`).")(
    _manage_args
)
def manage(args) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["facetscope manage", *args.django_args])
    return 0
