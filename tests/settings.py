"""Settings for the test suite: the app's settings plus fast, isolated test choices.

The suite runs on SQLite by default. With FACETSCOPE_TEST_DB=postgres it runs on
the PostgreSQL server named by FACETSCOPE_TEST_DATABASE_URL, and fails if that
is missing (``make test`` runs both when the URL is set).
"""

import os
import tempfile

# Always a fresh data directory: `make` exports the app's own (var/), and the suite must not
# leave its secret key or a classifier trained on test corrections where `make run` finds them.
os.environ["FACETSCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="facetscope-test-")
os.environ.pop("DATABASE_URL", None)

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from facetscope.settings import *  # noqa: F403

_backend = os.environ.get("FACETSCOPE_TEST_DB", "sqlite")
if _backend == "postgres":
    _url = os.environ.get("FACETSCOPE_TEST_DATABASE_URL")
    if not _url:
        raise ImproperlyConfigured(
            "FACETSCOPE_TEST_DB=postgres needs FACETSCOPE_TEST_DATABASE_URL, "
            "e.g. postgresql://postgres@127.0.0.1:5432/test"
        )
    DATABASES = {"default": dj_database_url.parse(_url)}
elif _backend == "sqlite":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(os.environ["FACETSCOPE_DATA_DIR"], "test.sqlite3"),
            "TEST": {"NAME": os.path.join(os.environ["FACETSCOPE_DATA_DIR"], "test-db.sqlite3")},
        }
    }
else:
    raise ImproperlyConfigured(f"FACETSCOPE_TEST_DB={_backend!r}: use sqlite or postgres.")

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
