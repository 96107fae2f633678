from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LibraryItem(models.Model):
    """A case or a toolkit/method. Shared by the installation, or private to one organisation."""

    CASE, TOOLKIT = "case", "toolkit"
    TYPES = [(CASE, _("Case")), (TOOLKIT, _("Toolkit or method"))]

    key = models.SlugField(_("key"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=10, choices=TYPES)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_items",
        help_text=_("Set for an organisation's private case; empty for the shared library."),
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    record = models.JSONField(default=dict)  # every other field of the record format
    country = models.CharField(_("country"), max_length=3, blank=True, db_index=True)
    level = models.CharField(_("level of government"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=30, blank=True)
    top_facet = models.CharField(max_length=3, blank=True, db_index=True)
    url = models.URLField(_("source"), max_length=500, blank=True)
    language = models.CharField(max_length=8, default="en")
    search_text = models.TextField(blank=True)  # what full-text search reads
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["type", "top_facet"]),
            # search checks the latest change before every query. An index of its own (not
            # db_index=True, whose migration rebuilds the table on SQLite and so drops the
            # full-text triggers).
            models.Index(fields=["updated_at"], name="library_item_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def as_record(self) -> dict:
        """The item in the import/export record format."""
        return {
            "key": self.key,
            "type": self.type,
            "title": self.title,
            "summary": self.summary,
            **self.record,
        }


class EmbeddingVector(models.Model):
    """Cached sentence embeddings, keyed by a hash of model and text."""

    key = models.CharField(max_length=64, primary_key=True)
    model = models.CharField(max_length=100)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return self.key
