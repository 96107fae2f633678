"""The ``facetscope`` command: one entry point for everything an administrator automates.

Each subcommand lives in a module of this package and registers itself with
``command``; modules call the same services and selectors as the web views.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from django.core.exceptions import ValidationError

_COMMANDS: list[tuple[str, str, Callable, Callable]] = []


def command(name: str, help_text: str):
    """Register ``configure(parser)`` + ``run(args) -> int`` as a subcommand."""

    def decorate(configure: Callable) -> Callable:
        def register(run: Callable) -> Callable:
            _COMMANDS.append((name, help_text, configure, run))
            return run

        return register

    return decorate


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback, exit code 2."""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facetscope.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    from facetscope.cli import admin, assess, core, library  # noqa: F401  (modules register commands)

    parser = argparse.ArgumentParser(
        prog="facetscope",
        description="Facetscope: explore and steer public-sector innovation portfolios.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, help_text, configure, run in _COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
        p.set_defaults(_run=run)
    return parser


def _format_validation_error(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
            for field, msgs in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except CommandError as exc:
        print(f"facetscope {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"facetscope {args.command}: error: {_format_validation_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if _is_missing_table(exc):
            print(
                f"facetscope {args.command}: error: the database has no tables yet "
                f"({exc}); run `facetscope migrate` first",
                file=sys.stderr,
            )
            return 2
        raise


def _is_missing_table(exc: Exception) -> bool:
    """A query on a database that was never migrated (SQLite or PostgreSQL wording)."""
    from django.db import OperationalError, ProgrammingError

    text = str(exc)
    return isinstance(exc, OperationalError | ProgrammingError) and (
        "no such table" in text or ("relation" in text and "does not exist" in text)
    )


if __name__ == "__main__":
    sys.exit(main())
