from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "facetscope.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        post_migrate.connect(_load_starter, sender=self)


def _load_starter(sender, **kwargs) -> None:
    """Every database starts with the starter library (items already there are kept)."""
    from facetscope.library.services import starter_load

    starter_load()
