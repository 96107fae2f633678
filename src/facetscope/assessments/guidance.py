"""What a result means to a person: labels, guidance and library links, in their language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from facetscope.assessments.models import Response
from facetscope.assessments.results import mean_result
from facetscope.instruments.loader import Definition, localise
from facetscope.instruments.scoring import guidance
from facetscope.library.starter import resolve_links
from facetscope.reports.templatetags.charts import facet_labels

FACETS = ("enh", "mis", "ada", "ant")


def tendency_labels() -> dict[str, str]:
    return {
        "weak_in_all_facets": _("No facet stands out (all below 50 %)"),
        "primarily_enhancement": _("Mainly enhancement-oriented"),
        "primarily_mission": _("Mainly mission-oriented"),
        "primarily_adaptive": _("Mainly adaptive"),
        "primarily_anticipatory": _("Mainly anticipatory"),
        "enhancement_mission": _("Enhancement and mission-oriented"),
        "adaptive_enhancement": _("Adaptive and enhancement-oriented"),
        "anticipatory_enhancement": _("Anticipatory and enhancement-oriented"),
        "adaptive_mission": _("Adaptive and mission-oriented"),
        "anticipatory_mission": _("Anticipatory and mission-oriented"),
        "adaptive_anticipatory": _("Adaptive and anticipatory"),
        "adaptive_enhancement_mission": _("Adaptive, enhancement and mission-oriented"),
        "anticipatory_mission_enhancement": _("Anticipatory, mission and enhancement-oriented"),
        "adaptive_anticipatory_enhancement": _("Adaptive, anticipatory and enhancement-oriented"),
        "adaptive_anticipatory_mission": _("Adaptive, anticipatory and mission-oriented"),
        "adaptive_anticipatory_enhancement_mission": _("Strong in all four facets"),
    }


def guidance_view(definition: Definition, result: dict[str, Any], lang: str) -> dict[str, list]:
    strengths, actions = [], []
    for rule in guidance(definition, result):
        entry = {
            "id": rule.id,
            "title": localise(rule.title, lang),
            "text": localise(rule.text, lang),
            "links": resolve_links(rule.links),
        }
        (strengths if rule.kind == "strength" else actions).append(entry)
    return {"strengths": strengths, "actions": actions}


def dimension_rows(definition: Definition, dimensions: dict[str, Any], lang: str) -> list[dict]:
    rows = []
    for dim in definition.dimensions:
        figures = dimensions.get(dim.id) or {}
        band = figures.get("band")
        band_label = None
        if band:
            band_set = definition.scoring.get("bands")
            for b in definition.bands.get(band_set, ()):
                if b.id == band:
                    band_label = localise(b.label, lang)
        rows.append(
            {
                "id": dim.id,
                "title": localise(dim.title, lang),
                "group": dim.group,
                "percent": figures.get("percent"),
                "mean": figures.get("mean"),
                "band": band,
                "band_label": band_label or band,
            }
        )
    return rows


def result_view(definition: Definition, result: dict[str, Any]) -> dict[str, Any]:
    """Template data for one result (a person's, or a group's mean result)."""
    lang = get_language() or "en"
    view: dict[str, Any] = {"family": definition.family, "result": result}
    if definition.family == "pet":
        labels = facet_labels()
        coded = (result.get("pet_as_coded") or {}).get("pet_percent") or {}
        view["facet_rows"] = [
            {
                "label": labels[f],
                "intended": (result.get("pet_percent") or {}).get(f),
                "as_coded": coded.get(f),
                "corrected": (result.get("percent") or {}).get(f),
            }
            for f in FACETS
        ]
        view["tendency_label"] = tendency_labels().get(result.get("tendency_group"), "")
        capability = result.get("capability") or {}
        band_label = capability.get("band")
        for b in definition.bands.get("capability", ()):
            if b.id == capability.get("band"):
                band_label = localise(b.label, lang)
        view["capability_band_label"] = band_label
    elif definition.family == "likert":
        view["dimension_rows"] = dimension_rows(definition, result.get("dimensions", {}), lang)
    view.update(guidance_view(definition, result, lang))
    return view


def own_result_view(response: Response) -> dict[str, Any]:
    return result_view(response.campaign.instrument_version.definition, response.result or {})


def group_result_view(definition: Definition, group: dict[str, Any]) -> dict[str, Any]:
    """Guidance for a group, applied to its means; bands are those of the mean scores."""
    result = mean_result(group)
    if definition.family == "likert" and definition.scoring.get("bands"):
        for figures in result.get("dimensions", {}).values():
            if figures.get("percent") is not None:
                figures["band"] = definition.band_for(
                    definition.scoring["bands"], figures["percent"]
                )
    elif definition.family == "pet":
        capability = result.get("capability") or {}
        if capability.get("score") is not None:
            capability["band"] = definition.band_for("capability", capability["score"])
    return result_view(definition, result)
