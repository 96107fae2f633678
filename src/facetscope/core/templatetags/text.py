from collections.abc import Mapping

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localised(value, fallback=""):
    """A {language: text} mapping (instrument texts) in the current language."""
    if not isinstance(value, Mapping):  # dicts, and the instruments' frozen mappings
        return value if value is not None else fallback
    lang = get_language() or "en"
    return value.get(lang) or value.get(lang.split("-")[0]) or value.get("en") or fallback
