from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facetscope.assessments.anonymity import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR
from facetscope.assessments.choices import Audience, Level
from facetscope.instruments.selectors import campaign_instrument_versions
from facetscope.organisations.models import Unit

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ja": "日本語"}


class CampaignForm(forms.Form):
    instrument_version = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=campaign_instrument_versions(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    audience = forms.ChoiceField(
        label=_("Who may answer"), choices=Audience.choices, widget=forms.RadioSelect
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units (when only selected units answer)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: store no link between a response and a person"),
        required=False,
        initial=True,
    )
    min_group_size = forms.IntegerField(
        label=_("Minimum group size for any reported result"),
        min_value=MIN_GROUP_SIZE_FLOOR,
        initial=DEFAULT_MIN_GROUP_SIZE,
        help_text=_("Results of smaller groups are never shown or exported (at least 3)."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=list(LANGUAGE_NAMES.items()),
        initial=["en", "fr"],
        widget=forms.CheckboxSelectMultiple,
    )
    ask_unit = forms.BooleanField(
        label=_("Ask respondents which unit they work in"), required=False, initial=True
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(organisation=organisation)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + dt.timedelta(days=21)
        self.fields["audience"].initial = Audience.MEMBERS


class AboutYouForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Which best describes your role?"), choices=Level.choices, widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(
        label=_("Which unit do you work in?"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("I prefer not to say"),
    )
    language = forms.ChoiceField(label=_("Language of the questionnaire"))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign.ask_unit:
            self.fields["unit"].queryset = Unit.objects.filter(
                organisation=campaign.organisation
            ).order_by("name")
        else:
            del self.fields["unit"]
        self.fields["language"].choices = [
            (code, LANGUAGE_NAMES.get(code, code)) for code in campaign.languages
        ]
        if len(campaign.languages) == 1:
            self.fields["language"].widget = forms.HiddenInput()


class PetImportForm(forms.Form):
    file = forms.FileField(label=_("CSV export of OPSI's Portfolio Exploration Tool"))
    level = forms.ChoiceField(
        label=_("Level of the people who answered"),
        choices=Level.choices,
        initial=Level.INDIVIDUAL,
    )
    unit = forms.ModelChoiceField(
        label=_("Their unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(not known)"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)
