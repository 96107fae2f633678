"""Suggestions in the interface, the corrections people make, and retraining on them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from facetscope.suggest.models import Correction

FACETS = ("enh", "mis", "ada", "ant")


def classifier():
    from facetscope.library.vectors import embedder
    from facetscope.suggest.classifier import FacetClassifier

    global _INSTANCE
    if _INSTANCE is None:
        _INSTANCE = FacetClassifier(
            embedder(), cache_path=settings.DATA_DIR / "facet-classifier.pkl"
        )
    return _INSTANCE


_INSTANCE = None


def classifier_ready() -> bool:
    """A trained model is on disk: suggestions cost no training inside a web request."""
    return (settings.DATA_DIR / "facet-classifier.pkl").exists()


def suggestion_for(text: str) -> dict[str, Any] | None:
    """The suggested facet mix and answers for a description, or None without text/model."""
    text = (text or "").strip()
    if not text or not classifier_ready():
        return None
    result = classifier().suggest(text[:5000])
    result["likely_purpose"] = max(result["purpose"], key=result["purpose"].get)
    result["likely_driver"] = max(result["driver"], key=result["driver"].get)
    return result


@transaction.atomic
def correction_record(
    *, actor, project, suggested: dict[str, str], mix: dict[str, float] | None, answers
) -> Correction | None:
    """Store what the person chose against what was suggested (their placement's facet)."""
    if not mix or not project.description.strip():
        return None
    return Correction.objects.create(
        organisation=project.organisation,
        project=project,
        text=project.description.strip()[:5000],
        suggested=suggested,
        facet=max(FACETS, key=lambda f: mix.get(f, 0)),
        purpose=answers.get("purpose", "") if answers.get("purpose") in FACETS else "",
        driver=answers.get("driver", "") if answers.get("driver") in FACETS else "",
        created_by=actor,
    )


def classifier_retrain() -> dict[str, Any]:
    """Retrain on the shipped labelled set plus every stored correction, and save the model."""
    examples = [
        {
            "text": c.text,
            "facet": c.facet,
            **({"purpose": c.purpose} if c.purpose else {}),
            **({"driver": c.driver} if c.driver else {}),
        }
        for c in Correction.objects.order_by("pk")
    ]
    return classifier().train(examples)
