from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "facetscope.instruments"
    label = "instruments"
    verbose_name = _("Instruments")

    def ready(self) -> None:
        from facetscope.instruments.services import sync_builtin_versions_after_migrate

        post_migrate.connect(sync_builtin_versions_after_migrate, sender=self)
