"""WSGI entry point, used by ``facetscope serve --production`` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facetscope.settings")
application = get_wsgi_application()
