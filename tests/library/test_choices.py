"""Every code of the record format has a readable label."""

import pytest
from django.utils import translation

from facetscope.library import choices, records


def test_every_choice_of_the_record_format_has_a_label():
    assert [code for code, _label in choices.STAGE_CHOICES] == list(records.STAGES)
    assert [code for code, _label in choices.CAPABILITY_CHOICES] == list(records.CAPABILITIES)
    assert sorted(code for code, _label in choices.SECTOR_CHOICES) == sorted(records.SECTORS)
    assert sorted(code for code, _label in choices.LEVEL_CHOICES) == sorted(records.LEVELS)
    codes = [code for code, _name in choices.country_choices()]
    assert set(codes) == set(records.COUNTRY_CODES) and len(codes) == len(set(codes))


@pytest.mark.django_db
def test_the_actions_are_named_as_the_instrument_names_them():
    assert dict(choices.action_choices())["authorising_environment"] == "Authorising environment"
    with translation.override("fr"):
        assert dict(choices.action_choices())["articulate"] == "Formuler"


def test_labels_keep_the_order_and_show_unknown_codes_readably():
    assert choices.labels(choices.SECTOR_CHOICES, ["health", "digital"]) == [
        "Health",
        "Digital and ICT",
    ]
    assert choices.labels(choices.STAGE_CHOICES, "evaluation") == ["Evaluation"]
    assert choices.text_label(choices.FORMAT_LABELS, "online_tool") == "Online tool"
    assert choices.text_label(choices.FORMAT_LABELS, "a poster") == "a poster"
    assert choices.country_label("INT") == "International"
    assert choices.country_label("SE") == "Sweden"
