from __future__ import annotations

from django.conf import settings
from django.db import models


class Correction(models.Model):
    """What a person chose after seeing a suggestion: a labelled example to retrain with."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    suggested = models.JSONField()  # {"top", "purpose", "driver"} as suggested
    facet = models.CharField(max_length=3)
    purpose = models.CharField(max_length=3, blank=True)
    driver = models.CharField(max_length=3, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.facet}: {self.text[:40]}"

    @property
    def agreed(self) -> bool:
        return (self.suggested or {}).get("top") == self.facet
