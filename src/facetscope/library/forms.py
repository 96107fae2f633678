from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from facetscope.library import choices
from facetscope.library.records import FACETS, YEARS
from facetscope.reports.templatetags.charts import facet_labels

ANY = [("", _("Any"))]
NONE = [("", "—")]
LEVELS = ANY + choices.LEVEL_CHOICES
SECTORS = ANY + choices.SECTOR_CHOICES
STAGES = ANY + choices.STAGE_CHOICES


def _facet_choices() -> list[tuple[str, str]]:
    """The facets as the reports name them, in the reader's language."""
    return [*ANY, *facet_labels().items()]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Cases and toolkits")), ("case", _("Cases")), ("toolkit", _("Toolkits"))],
    )
    facet = forms.ChoiceField(label=_("Facet"), required=False, choices=_facet_choices)
    country = forms.CharField(label=_("Country code"), required=False, max_length=3)
    level = forms.ChoiceField(label=_("Level of government"), required=False, choices=LEVELS)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=SECTORS)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=STAGES)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1900)
    year_to = forms.IntegerField(label=_("To year"), required=False, max_value=2100)

    FILTERS = ("type", "facet", "country", "level", "sector", "stage", "year_from", "year_to")

    def filters(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.FILTERS if self.cleaned_data.get(k)}

    def has_filters(self) -> bool:
        return bool(self.filters())


# --------------------------------------------------------------------------- items


class FacetSharesWidget(forms.MultiWidget):
    """Four number inputs, one per facet, each with its own label, in a fieldset."""

    template_name = "library/widgets/facet_shares.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        number = {"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}
        super().__init__({code: forms.NumberInput(attrs=number) for code in FACETS}, attrs)

    def decompress(self, value):
        if not value:
            return [None] * len(FACETS)
        return [round(float(value.get(code, 0)) * 100) for code in FACETS]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = facet_labels()
        for code, subwidget in zip(FACETS, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = labels[code]
        return context


class FacetSharesField(forms.MultiValueField):
    """The facet mix in percent: ``{"enh": 0.6, "mis": 0.4, …}``, or ``None`` when left empty.

    Whether the shares add up is checked by ``records.clean_record``, as for an import.
    """

    widget = FacetSharesWidget

    def __init__(self, **kwargs):
        fields = [forms.IntegerField(min_value=0, max_value=100, required=False) for _ in FACETS]
        super().__init__(fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(value is None for value in data_list):
            return None
        return {code: (value or 0) / 100 for code, value in zip(FACETS, data_list, strict=True)}


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _checkboxes(label, choice_list) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choice_list, widget=forms.CheckboxSelectMultiple
    )


class LibraryItemForm(forms.Form):
    """Every field of a library record, for adding and editing a case or a toolkit.

    The form only collects the values; ``records.clean_record`` (through the
    services) checks them, with the same rules as an import. ``record()``
    gives the raw record to save.
    """

    COMMON = ("key", "title", "summary", "facets", "tags", "url", "language")
    CASE = (
        "country",
        "level",
        "organisation_type",
        "year",
        "sectors",
        "stage",
        "results",
        "lessons",
    )
    TOOLKIT = (
        "publisher",
        "discipline",
        "toolkit_type",
        "format",
        "licence",
        "stages",
        "actions",
        "capabilities",
        "good_for",
    )
    LISTS = ("sectors", "stages", "actions", "capabilities")

    key = forms.CharField(
        label=_("Key"),
        max_length=100,
        required=False,
        help_text=_(
            "The item's address in the library: lowercase letters, digits and hyphens. "
            "Left empty, one is made from the title. It cannot be changed later."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=_textarea(5))
    facets = FacetSharesField(
        label=_("Facet mix"),
        help_text=_(
            "The share of each innovation facet, in percent, adding up to 100 "
            "(for example 100 for a single facet). Leave all four empty if unknown."
        ),
    )
    tags = forms.CharField(
        label=_("Themes"),
        required=False,
        help_text=_("Keywords, separated by semicolons: open data; procurement"),
    )
    url = forms.CharField(
        label=_("Source web address"),
        required=False,
        max_length=500,
        widget=forms.URLInput,
        help_text=_("Starting with https:// or http://"),
    )
    language = forms.CharField(
        label=_("Language of the text"),
        max_length=2,
        required=False,
        initial="en",
        help_text=_("Two-letter code, for example en or fr; en if left empty."),
    )
    # cases
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=lambda: NONE + choices.country_choices()
    )
    level = forms.ChoiceField(
        label=_("Level of government"), required=False, choices=NONE + choices.LEVEL_CHOICES
    )
    organisation_type = forms.CharField(
        label=_("Kind of organisation"),
        required=False,
        help_text=_("For example: city government, finance ministry."),
    )
    year = forms.IntegerField(
        label=_("Year it started"), required=False, min_value=YEARS[0], max_value=YEARS[1]
    )
    sectors = _checkboxes(_("Sectors"), choices.SECTOR_CHOICES)
    stage = forms.ChoiceField(
        label=_("Stage reached"), required=False, choices=NONE + choices.STAGE_CHOICES
    )
    results = forms.CharField(label=_("Results"), required=False, widget=_textarea(3))
    lessons = forms.CharField(label=_("Lessons"), required=False, widget=_textarea(3))
    # toolkits and methods
    publisher = forms.CharField(label=_("Publisher"), required=False)
    discipline = forms.CharField(label=_("Discipline"), required=False)
    toolkit_type = forms.CharField(
        label=_("Type of toolkit"),
        required=False,
        help_text=_("For example: guide, framework, method."),
    )
    format = forms.CharField(
        label=_("Format"), required=False, help_text=_("For example: website, PDF, online tool.")
    )
    licence = forms.CharField(label=_("Licence"), required=False)
    stages = _checkboxes(_("Stages it helps with"), choices.STAGE_CHOICES)
    actions = _checkboxes(_("Innovation-management actions it supports"), choices.action_choices)
    capabilities = _checkboxes(_("Capabilities it builds"), choices.CAPABILITY_CHOICES)
    good_for = forms.CharField(label=_("Good for"), required=False, widget=_textarea(2))

    def __init__(
        self,
        *args,
        kind: str,
        with_key: bool = False,
        other_kind: bool = True,
        **kwargs,
    ) -> None:
        """``kind``: ``case`` or ``toolkit``; ``with_key``: the key may be chosen (a new
        item); ``other_kind``: also offer the fields of the other kind of item."""
        super().__init__(*args, **kwargs)
        self.kind = kind
        if not with_key:
            del self.fields["key"]
        if not other_kind:
            for name in self.TOOLKIT if kind == "case" else self.CASE:
                del self.fields[name]

    @classmethod
    def initial_from(cls, record: Mapping[str, Any]) -> dict[str, Any]:
        """The form's initial values for an existing record."""
        initial = dict(record)
        if record.get("tags"):
            initial["tags"] = "; ".join(record["tags"])
        return initial

    @property
    def fieldsets(self) -> list[dict]:
        """The fields in groups, each shown as a fieldset with a legend (see core/_form.html)."""
        groups = {
            "common": (_("Description"), "", self.COMMON),
            "case": (_("About the case"), _("Usually left empty for a toolkit."), self.CASE),
            "toolkit": (
                _("About the toolkit or method"),
                _("Usually left empty for a case."),
                self.TOOLKIT,
            ),
        }
        order = ["common", "case", "toolkit"] if self.kind == "case" else ["common", "toolkit"]
        if self.kind == "toolkit":
            order.append("case")
        out = []
        for name in order:
            legend, help_text, names = groups[name]
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                out.append(
                    {
                        "legend": legend,
                        "help": help_text if name not in ("common", self.kind) else "",
                        "fields": fields,
                    }
                )
        return out

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        # Checkboxes come back in the order of the choices: keep the record's order.
        for name in self.LISTS:
            if name in cleaned:
                chosen = cleaned[name] or []
                before = [code for code in self.initial.get(name) or [] if code in chosen]
                cleaned[name] = before + [code for code in chosen if code not in before]
        return cleaned

    def record(self, *, key: str, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The raw record: ``base`` (the item's current record, when editing) with every
        field of the form put in; empty fields are left out when the record is cleaned."""
        raw = dict(base or {})
        for name in self.fields:
            if name != "key":
                raw[name] = self.cleaned_data.get(name)
        raw["key"] = key
        raw["type"] = self.kind
        return raw


class LibraryImportForm(forms.Form):
    MAX_BYTES = 20_000_000

    file = forms.FileField(
        label=_("File"),
        help_text=_("JSON Lines (.jsonl) or CSV (.csv), up to 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".jsonl,.json,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB; split it into smaller files.")
            )
        return upload
