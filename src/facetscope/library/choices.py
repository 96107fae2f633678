"""Readable, translatable labels for the codes of the library's record format.

The codes themselves live in ``library.records`` (pure Python, no Django);
this module gives each one a label for forms and pages. Where the rest of
Facetscope already names the same thing, its labels are reused: levels of
government and sectors from ``organisations.choices``, the innovation-management
actions from that instrument's dimensions, facet names from the reports.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from facetscope.library import records
from facetscope.organisations.choices import GovernmentLevel, Sector

LEVEL_CHOICES = GovernmentLevel.choices
SECTOR_CHOICES = Sector.choices
STAGE_CHOICES = [
    ("identifying_problems", _("Identifying problems")),
    ("generating_ideas", _("Generating ideas")),
    ("developing_proposals", _("Developing proposals")),
    ("implementation", _("Implementation")),
    ("evaluation", _("Evaluation")),
    ("diffusing_lessons", _("Diffusing lessons")),
]
CAPABILITY_CHOICES = [
    ("sense_making", _("Sense-making")),
    ("stewardship", _("Stewardship")),
    ("supportive_structures", _("Supportive structures")),
    ("resource_allocation", _("Resource allocation")),
    ("learning", _("Learning")),
    ("communication", _("Communication")),
]
#: Country codes of the record format that are not countries.
OTHER_COUNTRY_CHOICES = [("EU", _("European Union")), ("INT", _("International"))]

# Free-text fields whose starter-library values are codes; other values show as written.
DISCIPLINE_LABELS = {
    "behavioural_insights": _("Behavioural insights"),
    "design": _("Design"),
    "digital_transformation": _("Digital transformation"),
    "evaluation": _("Evaluation"),
    "futures_foresight": _("Futures and foresight"),
    "innovation_management": _("Innovation management"),
    "open_government": _("Open government"),
    "organisational_design": _("Organisational design"),
    "public_policy": _("Public policy"),
    "service_design": _("Service design"),
    "systems_change": _("Systems change"),
}
TOOLKIT_TYPE_LABELS = {
    "canvas": _("Canvas"),
    "course": _("Course"),
    "framework": _("Framework"),
    "guide": _("Guide"),
    "method": _("Method"),
    "toolkit": _("Toolkit"),
}
FORMAT_LABELS = {
    "book": _("Book"),
    "cards": _("Cards"),
    "online_tool": _("Online tool"),
    "pdf": _("PDF"),
    "website": _("Website"),
    "workbook": _("Workbook"),
}

# The seven actions are the dimensions of the innovation-management instrument.
ACTIONS_INSTRUMENT = "innovation-management"


def _readable(code: str) -> str:
    """``"online_tool"`` → ``"Online tool"``; for codes nobody has labelled."""
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def action_choices() -> list[tuple[str, str]]:
    """The innovation-management actions, named as the instrument names them."""
    from facetscope.instruments.loader import localise
    from facetscope.instruments.selectors import latest_version

    version = latest_version(ACTIONS_INSTRUMENT)
    titles = {}
    if version is not None:
        language = (get_language() or "en").split("-")[0]
        titles = {d.id: localise(d.title, language) for d in version.definition.dimensions}
    return [(code, titles.get(code) or _readable(code)) for code in records.ACTIONS]


def country_choices() -> list[tuple[str, str]]:
    """Every country, by its name in the current language, after EU and International."""
    return [*OTHER_COUNTRY_CHOICES, *((c.code, c.name) for c in countries)]


def country_label(code: str) -> str:
    if not code:
        return ""
    return str(dict(OTHER_COUNTRY_CHOICES).get(code) or countries.name(code) or code)


def language_label(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def labels(choices: Iterable[tuple[str, object]], codes: Iterable[str] | str | None) -> list[str]:
    """The labels of ``codes`` (one code or a list) in their order; unknown codes as written."""
    if not codes:
        return []
    if isinstance(codes, str):
        codes = [codes]
    table = dict(choices)
    return [str(table.get(code) or _readable(code)) for code in codes]


def text_label(table: dict, value: str | None) -> str:
    """A free-text value, with the label of the starter library's codes."""
    if not value:
        return ""
    return str(table[value]) if value in table else value


def item_facts(item) -> list[dict]:
    """``{"label", "value"}`` rows for the item page, in the order the record format lists fields.

    ``value`` is readable text; fields the item does not have are left out.
    """
    record = item.record
    actions = record.get("actions")
    rows = [
        (_("Country"), country_label(item.country)),
        (_("Level of government"), ", ".join(labels(LEVEL_CHOICES, item.level))),
        (_("Kind of organisation"), record.get("organisation_type")),
        (_("Year"), item.year),
        (_("Sectors"), ", ".join(labels(SECTOR_CHOICES, record.get("sectors")))),
        (_("Stage reached"), ", ".join(labels(STAGE_CHOICES, item.stage))),
        (_("Stages it helps with"), ", ".join(labels(STAGE_CHOICES, record.get("stages")))),
        (_("Publisher"), record.get("publisher")),
        (_("Discipline"), text_label(DISCIPLINE_LABELS, record.get("discipline"))),
        (_("Type of toolkit"), text_label(TOOLKIT_TYPE_LABELS, record.get("toolkit_type"))),
        (_("Format"), text_label(FORMAT_LABELS, record.get("format"))),
        (_("Licence"), record.get("licence")),
        (
            _("Innovation-management actions"),
            ", ".join(labels(action_choices(), actions)) if actions else "",
        ),
        (_("Capabilities"), ", ".join(labels(CAPABILITY_CHOICES, record.get("capabilities")))),
        (_("Good for"), record.get("good_for")),
        (_("Results"), record.get("results")),
        (_("Lessons"), record.get("lessons")),
        (_("Themes"), ", ".join(record.get("tags") or [])),
        (_("Language"), language_label(item.language) if item.language else ""),
    ]
    return [{"label": label, "value": value} for label, value in rows if value]
