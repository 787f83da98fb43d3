"""The rubric as data (library.rubric): the seeded version parses, reads in the page's language, refuses a definition
that does not fit, checks scores and averages them."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.utils import translation
from pydantic import ValidationError

from shikhon.library.models import Rubric
from shikhon.library.rubric import (
    RubricError,
    average,
    current_rubric,
    definition_of,
    parse_criteria,
    score_lines,
    validate_scores,
)

pytestmark = pytest.mark.django_db


def test_the_seeded_rubric_has_five_criteria_in_both_languages():
    definition = definition_of(current_rubric())
    assert definition.keys == ["curriculum_fit", "accuracy", "pedagogy", "media", "accessibility"]
    accuracy = definition.criteria[1]
    with translation.override("bn"):
        assert accuracy.name == "তথ্যের নির্ভুলতা" and accuracy.level(1).text == "গুরুতর ভুল আছে"
    with translation.override("en"):
        assert accuracy.name == "Accuracy" and accuracy.level(4).text == "Accurate, with sources and examples"


def test_the_newest_rubric_in_force_is_used():
    import datetime as dt

    criteria = copy.deepcopy(Rubric.objects.get(version=1).criteria)
    Rubric.objects.create(version=2, criteria=criteria, in_force_from=dt.date(2099, 1, 1))
    assert current_rubric().version == 1
    Rubric.objects.create(version=3, criteria=criteria[:3], in_force_from=dt.date(2026, 12, 2))
    assert current_rubric().version == 3 and len(definition_of(current_rubric()).criteria) == 3


@pytest.mark.parametrize("change", ["three_levels", "duplicate_key", "bad_key", "empty_name", "extra_field"])
def test_a_definition_that_does_not_fit_is_refused(change):
    criteria = copy.deepcopy(Rubric.objects.get(version=1).criteria)
    if change == "three_levels":
        criteria[0]["levels"].pop()
    elif change == "duplicate_key":
        criteria[1]["key"] = criteria[0]["key"]
    elif change == "bad_key":
        criteria[0]["key"] = "Curriculum Fit"
    elif change == "empty_name":
        criteria[0]["name_bn"] = " "
    else:
        criteria[0]["weight"] = 2
    with pytest.raises(ValidationError):
        parse_criteria(criteria)


@pytest.mark.parametrize(("scores", "code"), [
    ({"curriculum_fit": 1}, "missing"), ({"curriculum_fit": 5}, "out_of_range"), ("1,2,3", "not_a_mapping"),
])
def test_scores_are_checked(scores, code):
    definition = parse_criteria([Rubric.objects.get(version=1).criteria[0]])
    with pytest.raises(RubricError) as caught:
        validate_scores(definition, {"curriculum_fit": None} if code == "missing" else scores)
    assert caught.value.code == code


def test_scores_from_a_form_and_the_average():
    definition = definition_of(current_rubric())
    clean = validate_scores(definition, dict.fromkeys(definition.keys, "3") | {"accuracy": 4})
    assert clean["accuracy"] == 4 and clean["media"] == 3
    assert average(clean) == Decimal("3.20")
    assert average({"a": 1, "b": 2, "c": 2}) == Decimal("1.67")
    with translation.override("en"):
        lines = score_lines(current_rubric(), clean)
    assert [line.score for line in lines] == [3, 4, 3, 3, 3] and lines[1].descriptor.startswith("Accurate")
