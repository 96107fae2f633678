"""What ``facetscope check`` reports about a deployment's settings."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import run_checks


def deployment_problems() -> list[tuple[str, str]]:
    """(level, message) pairs; level is "error" (unsafe) or "warning" (worth a look)."""
    problems: list[tuple[str, str]] = []
    if settings.DEBUG:
        problems.append(("error", "DEBUG is on: set DEBUG=0 in production."))
    if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
        problems.append(("error", "SECRET_KEY is not set (SECRET_KEY or SECRET_KEY_FILE)."))
    elif len(settings.SECRET_KEY) < 40:
        problems.append(("error", "SECRET_KEY is shorter than 40 characters."))
    if not settings.ALLOWED_HOSTS:
        problems.append(
            ("error", "ALLOWED_HOSTS is empty: list the host names the site answers to.")
        )
    elif "*" in settings.ALLOWED_HOSTS:
        problems.append(("warning", "ALLOWED_HOSTS contains '*': list the real host names."))
    if not settings.SESSION_COOKIE_SECURE or not settings.CSRF_COOKIE_SECURE:
        problems.append(("error", "Cookies are not marked secure: set FACETSCOPE_HTTPS=1."))
    if settings.SECURE_HSTS_SECONDS < 3600:
        problems.append(("warning", "HSTS is off or short: set FACETSCOPE_HSTS_SECONDS."))
    if not settings.SECURE_SSL_REDIRECT:
        problems.append(("warning", "HTTP is not redirected to HTTPS (FACETSCOPE_SSL_REDIRECT)."))
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(("warning", "The database is not PostgreSQL: set DATABASE_URL."))
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(("warning", "E-mail goes to the console: set EMAIL_HOST for SMTP."))
    if not settings.SITE_URL.startswith("https://"):
        problems.append(("warning", "FACETSCOPE_SITE_URL is not an https:// address."))
    for message in run_checks(include_deployment_checks=True):
        if message.is_serious():
            problems.append(("error", f"{message.id}: {message.msg}"))
    return problems
