"""What the balance page shows: intended, stated and actual mixes, gaps and suggestions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from facetscope.assessments.models import Campaign
from facetscope.assessments.selectors import campaign_result
from facetscope.library.selectors import methods_for
from facetscope.portfolio import balance
from facetscope.portfolio.geometry import FACETS
from facetscope.portfolio.models import Project
from facetscope.reports.templatetags.charts import facet_labels

MIXES = ("intended", "stated", "actual")


def stated_mix(organisation) -> tuple[dict[str, float] | None, Campaign | None]:
    """From the latest portfolio-exploration campaign whose result may be shown."""
    campaigns = Campaign.objects.filter(
        organisation=organisation, instrument_version__key="portfolio-exploration"
    ).order_by("-opens_on", "-pk")
    for campaign in campaigns:
        data = campaign_result(campaign=campaign)
        if not data["shown"]:
            continue
        scores = data["groups"]["all"]["scores"]
        means = {f: (scores.get(f"percent.{f}") or {}).get("mean") for f in FACETS}
        if all(v is not None for v in means.values()):
            return balance.stated_mix_from_pet(means), campaign
    return None, None


def _reason_text(reason: str, facet: str, points: float) -> str:
    label = facet_labels()[facet]
    size = f"{abs(points):.0f}"
    texts = {
        "actual_below_intended": _(
            "Projects put %(n)s points less effort into %(facet)s than intended: look for "
            "%(facet)s work to start or strengthen."
        ),
        "actual_above_intended": _(
            "Projects put %(n)s points more effort into %(facet)s than intended: check whether "
            "this is a choice or drift."
        ),
        "stated_below_intended": _(
            "People see %(n)s points less %(facet)s than intended: the intent may not be known "
            "or not be felt in daily work."
        ),
        "stated_above_intended": _(
            "People see %(n)s points more %(facet)s than intended: talk about what the "
            "organisation means to do."
        ),
        "actual_below_stated": _(
            "Projects show %(n)s points less %(facet)s than people describe: there may be "
            "%(facet)s work outside the register."
        ),
        "actual_above_stated": _(
            "Projects show %(n)s points more %(facet)s than people describe: share these "
            "projects more widely."
        ),
    }
    return texts[reason] % {"n": size, "facet": label.lower()}


def balance_context(organisation, *, intent, weight: str) -> dict[str, Any]:
    if weight not in balance.WEIGHTS:
        weight = "budget"
    projects = Project.objects.filter(organisation=organisation).values("mix", "budget", "fte")
    actual = balance.actual_mix(list(projects), weight)
    stated, source = stated_mix(organisation)
    comparison = balance.compare(intent.mix if intent else None, stated, actual.mix)
    gaps = balance.largest_gaps(comparison, limit=6)
    labels = facet_labels()
    rows = [
        {"label": labels[f], **{m: (comparison["mixes"][m] or {}).get(f) for m in MIXES}}
        for f in FACETS
    ]
    suggestions = [
        {
            "facet": labels[s["facet"]],
            "text": _reason_text(s["reason"], s["facet"], s["points"]),
            "methods": methods_for(facet=s["facet"], limit=3) if s["direction"] == "more" else [],
        }
        for s in balance.suggestions(gaps)
    ]
    return {
        "rows": rows,
        # drawn with the outer ring at 50 %, so differences stay visible
        "diamond": {
            m: {f: min(100.0, 2 * v) for f, v in (comparison["mixes"][m] or {}).items()}
            for m in MIXES
        },
        "actual": actual,
        "weight": weight,
        "stated_source": source,
        "suggestions": suggestions,
    }
