from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from facetscope.organisations.choices import GovernmentLevel, Role, Sector, SizeBand
from facetscope.organisations.models import Unit


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name for web addresses"),
        max_length=60,
        required=False,
        help_text=_(
            "Lower-case letters, digits and hyphens. Left empty, one is made from the name."
        ),
    )
    country = LazyTypedChoiceField(label=_("Country"), choices=[("", "—"), *list(countries)])
    government_level = forms.ChoiceField(
        label=_("Level of government"), choices=GovernmentLevel.choices
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    size_band = forms.ChoiceField(label=_("Size"), choices=SizeBand.choices)
    benchmarking_opt_in = forms.BooleanField(
        label=_("Take part in anonymous benchmarking across organisations"),
        required=False,
        help_text=_(
            "Your organisation's results are then counted, without its name, in comparisons "
            "that always combine at least five organisations."
        ),
    )


class OrganisationSettingsForm(OrganisationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["slug"]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(top level)"),
    )

    def __init__(self, *args, organisation, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Unit.objects.filter(organisation=organisation)
        if exclude is not None:
            qs = qs.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = qs


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)


class JoinLinkForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role for people who join"),
        choices=[(Role.MEMBER, Role.MEMBER.label), (Role.VIEWER, Role.VIEWER.label)],
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
