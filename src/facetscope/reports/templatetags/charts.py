from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from facetscope.reports import svg

register = template.Library()


def facet_labels() -> dict[str, str]:
    return {
        "enh": _("Enhancement"),
        "mis": _("Mission-oriented"),
        "ada": _("Adaptive"),
        "ant": _("Anticipatory"),
    }


@register.simple_tag
def facet_diamond(title, *series_pairs):
    """{% facet_diamond "Title" "Name" values "Other" values2 %}"""
    series = [
        (series_pairs[i], series_pairs[i + 1] or {}) for i in range(0, len(series_pairs) - 1, 2)
    ]
    return mark_safe(svg.facet_diamond(series, labels=facet_labels(), title=title))  # noqa: S308


@register.simple_tag
def bar(value, maximum=100):
    if value is None:
        return ""
    return mark_safe(svg.bar(value, maximum=maximum))  # noqa: S308


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percentages(mix):
    """A facet mix of shares (0..1) as percentages, for the diamond."""
    return {k: (v or 0) * 100 for k, v in (mix or {}).items()}


@register.filter
def percent(share, decimals=0):
    if share is None:
        return "—"
    return f"{share * 100:.{int(decimals)}f} %"
