from django import template

from facetscope.library.choices import country_label

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """``"SE"`` → ``"Sweden"`` (in the current language); ``"EU"`` → ``"European Union"``."""
    return country_label(code)
