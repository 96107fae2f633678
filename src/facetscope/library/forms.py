from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

FACET_CHOICES = [
    ("", _("Any")),
    ("enh", _("Enhancement")),
    ("mis", _("Mission-oriented")),
    ("ada", _("Adaptive")),
    ("ant", _("Anticipatory")),
]
LEVELS = [
    ("", _("Any")),
    ("national", _("National")),
    ("regional", _("Regional")),
    ("local", _("Local")),
    ("supranational", _("Supranational")),
]
STAGES = [
    ("", _("Any")),
    ("identifying_problems", _("Identifying problems")),
    ("generating_ideas", _("Generating ideas")),
    ("developing_proposals", _("Developing proposals")),
    ("implementation", _("Implementation")),
    ("evaluation", _("Evaluation")),
    ("diffusing_lessons", _("Diffusing lessons")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Cases and toolkits")), ("case", _("Cases")), ("toolkit", _("Toolkits"))],
    )
    facet = forms.ChoiceField(label=_("Facet"), required=False, choices=FACET_CHOICES)
    country = forms.CharField(label=_("Country code"), required=False, max_length=3)
    level = forms.ChoiceField(label=_("Level of government"), required=False, choices=LEVELS)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=STAGES)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1900)
    year_to = forms.IntegerField(label=_("To year"), required=False, max_value=2100)

    FILTERS = ("type", "facet", "country", "level", "stage", "year_from", "year_to")

    def filters(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.FILTERS if self.cleaned_data.get(k)}

    def has_filters(self) -> bool:
        return bool(self.filters())


class PrivateCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("What was done, and why"), widget=forms.Textarea(attrs={"rows": 4})
    )
    results = forms.CharField(
        label=_("Results"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lessons = forms.CharField(
        label=_("Lessons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    facets = forms.ChoiceField(label=_("Main facet"), required=False, choices=FACET_CHOICES)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=STAGES)
