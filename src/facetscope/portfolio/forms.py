from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from facetscope.organisations.models import Unit
from facetscope.portfolio.choices import DecisionKind, Priority, Stage
from facetscope.portfolio.geometry import FACETS

LIST_HELP = _("Separate several with semicolons (;).")


class ListField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(";") if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "; ".join(str(v) for v in value)
        return value


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("(none)")
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *Priority.choices], required=False
    )
    team = forms.CharField(label=_("Team"), max_length=500, required=False)
    partners = ListField(label=_("Partners"), required=False, help_text=LIST_HELP)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    budget = forms.DecimalField(label=_("Budget"), required=False, min_value=0, decimal_places=2)
    fte = forms.DecimalField(
        label=_("People (full-time equivalent)"), required=False, min_value=0, decimal_places=2
    )
    funding_source = forms.CharField(label=_("Funding source"), max_length=200, required=False)
    policy_goals = ListField(label=_("Policy goals"), required=False, help_text=LIST_HELP)
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=[(n, str(n)) for n in range(1, 18)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "sdg-list"}),
    )
    tags = ListField(label=_("Tags"), required=False, help_text=LIST_HELP)
    links = ListField(label=_("Links"), required=False, help_text=LIST_HELP)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class IntentForm(forms.Form):
    enh = forms.FloatField(label=_("Enhancement (%)"), min_value=0, max_value=100)
    mis = forms.FloatField(label=_("Mission-oriented (%)"), min_value=0, max_value=100)
    ada = forms.FloatField(label=_("Adaptive (%)"), min_value=0, max_value=100)
    ant = forms.FloatField(label=_("Anticipatory (%)"), min_value=0, max_value=100)
    rationale = forms.CharField(
        label=_("Why this mix"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def mix(self) -> dict[str, float]:
        return {f: self.cleaned_data[f] for f in FACETS}


class MapOptionsForm(forms.Form):
    size_by = forms.ChoiceField(
        label=_("Dot size by"),
        choices=[("budget", _("Budget")), ("fte", _("People")), ("priority", _("Priority"))],
        required=False,
    )
    colour_by = forms.ChoiceField(
        label=_("Colour by"), choices=[("stage", _("Stage")), ("unit", _("Unit"))], required=False
    )


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(
        label=_("Held on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    patterns = forms.CharField(
        label=_("Patterns noticed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    gaps = forms.CharField(
        label=_("Gaps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Decisions taken"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
