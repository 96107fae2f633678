from __future__ import annotations

from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from facetscope.instruments.loader import Definition, load_definition_data


class InstrumentVersion(models.Model):
    """One published version of a questionnaire definition; never edited.

    Responses point at the version they answered, so results stay
    reproducible after an instrument changes (a change is a new version).
    """

    key = models.CharField(_("instrument"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(max_length=64, unique=True)
    definition_data = models.JSONField()
    title = models.JSONField(default=dict)
    builtin = models.BooleanField(default=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"], name="one_row_per_instrument_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @cached_property
    def definition(self) -> Definition:
        definition = _CACHE.get(self.content_hash)
        if definition is None:  # reads definition_data only now, when it may be deferred
            definition = _definition_cache(self.content_hash, self.definition_data)
        return definition

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title.get("en") or self.key


_CACHE: dict[str, Definition] = {}


def _definition_cache(content_hash: str, data: dict) -> Definition:
    """Definitions are immutable and keyed by content hash: parse each once per process."""
    definition = _CACHE.get(content_hash)
    if definition is None:
        definition = load_definition_data(data, source=f"instrument {content_hash[:12]}")
        _CACHE[content_hash] = definition
    return definition
