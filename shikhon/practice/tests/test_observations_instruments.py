"""The instruments as data: the two version-1 definitions, their schema, ratings against them, the Teach-shaped
element scores."""

from __future__ import annotations

import copy

import pytest

from shikhon.practice.instruments import (
    DEFAULT_INSTRUMENTS,
    PRIMARY_MATHS,
    TEACH_SHAPED,
    InstrumentError,
    element_score,
    element_scores,
    parse_definition,
    validate_ratings,
    validate_snapshots,
)
from shikhon.practice.models import Instrument


@pytest.mark.django_db
def test_migration_stored_both_with_primary_maths_as_default():
    rows = {row.code: row for row in Instrument.objects.all()}
    assert set(rows) >= {"primary-maths", "teach-primary-shaped"}
    assert rows["primary-maths"].is_default and not rows["teach-primary-shaped"].is_default
    assert "CC BY 4.0" in rows["teach-primary-shaped"].attribution
    assert "wording our own" in rows["teach-primary-shaped"].attribution
    for row in rows.values():
        parse_definition(row.definition)


def test_both_definitions_fit_the_schema_and_teach_has_9_elements_of_28_behaviours():
    assert len(parse_definition(PRIMARY_MATHS["definition"]).items()) >= 5
    teach = parse_definition(TEACH_SHAPED["definition"])
    assert [len(s.elements) for s in teach.sections] == [2, 4, 3]
    assert len(teach.elements()) == 9 and len(teach.items()) == 28
    assert teach.snapshots is not None and teach.snapshots.count == 3
    for item in teach.items():
        assert [level.value for level in item.levels] == ["low", "medium", "high"]
        assert all(level.descriptor_bn and level.descriptor_en for level in item.levels)
    for spec in DEFAULT_INSTRUMENTS:
        for item in parse_definition(spec["definition"]).items():
            assert item.text_bn and item.text_en and 3 <= len(item.levels) <= 4


def test_attribution_names_the_source_and_says_the_wording_is_ours():
    expected = "Structure after Teach Primary, World Bank, CC BY 4.0; wording our own"
    assert TEACH_SHAPED["attribution"].startswith(expected)


@pytest.mark.parametrize("levels, score", [
    (["low", "low", "low"], 1), (["medium", "medium", "medium"], 3), (["high", "high", "high"], 5),
    (["low", "medium", "high"], 3), (["low", "low", "medium"], 2), (["medium", "high", "high"], 4),
    (["low", "high"], 3), (["low", "medium"], 2), (["medium", "high"], 4), (["low", "low", "low", "medium"], 2),
    (["low", "low", "low", "high"], 2), (["high", "high", "high", "medium"], 5), (["high"], 5), (["low"], 1),
    (["medium"], 3), (["low", "low", "medium", "medium"], 2), (["medium", "medium", "high", "high"], 4),
])
def test_element_score(levels, score):
    assert element_score(levels) == score


@pytest.mark.parametrize("levels", [[], ["low", ""], ["low", "excellent"], ["high", "3"]])
def test_element_score_needs_every_behaviour_rated(levels):
    assert element_score(levels) is None


def test_element_score_is_monotonic_and_within_1_to_5():
    import itertools

    for n in range(1, 5):
        for combo in itertools.product(["low", "medium", "high"], repeat=n):
            score = element_score(list(combo))
            assert score is not None and 1 <= score <= 5
            better = ["high" if i == 0 else v for i, v in enumerate(combo)]
            assert element_score(better) >= score


def test_element_scores_over_the_instrument():
    teach = parse_definition(TEACH_SHAPED["definition"])
    ratings = {item.code: "high" for item in teach.elements()[0].items}
    scores = element_scores(teach, ratings)
    assert scores[teach.elements()[0].code] == 5
    assert all(score is None for code, score in scores.items() if code != teach.elements()[0].code)


def test_ratings_and_snapshots_checked():
    maths = parse_definition(PRIMARY_MATHS["definition"])
    assert validate_ratings(maths, {"materials": "4"}) == {"materials": "4"}
    for bad, code in (({"x": "1"}, "unknown_item"), ({"materials": "low"}, "unknown_level"),
                      ({"materials": 4}, "ratings_shape"), ([], "ratings_shape")):
        with pytest.raises(InstrumentError) as exc:
            validate_ratings(maths, bad)
        assert exc.value.code == code
    with pytest.raises(InstrumentError):
        validate_ratings(maths, {}, require_all=True)
    with pytest.raises(InstrumentError):
        validate_snapshots(maths, ["high"])
    assert validate_snapshots(maths, ["", None]) == []
    teach = parse_definition(TEACH_SHAPED["definition"])
    assert validate_snapshots(teach, ["high", "", "low"]) == ["high", "low"]
    with pytest.raises(InstrumentError):
        validate_snapshots(teach, ["high"] * 4)
    with pytest.raises(InstrumentError):
        validate_snapshots(teach, ["all"])


@pytest.mark.parametrize("breakage", [
    lambda d: d.update(sections=[]),
    lambda d: d["sections"][0]["items"].append(d["sections"][0]["items"][0]),  # a code twice
    lambda d: d["sections"][0]["items"][0]["levels"].pop() and d["sections"][0]["items"][0]["levels"].pop()
    and d["sections"][0]["items"][0]["levels"].pop(),
    lambda d: d["sections"][0].update(elements=[{"code": "x", "title_bn": "x", "title_en": "x",
                                                 "items": d["sections"][0]["items"]}]),
    lambda d: d.update(scoring="teach_elements"),
    lambda d: d.update(unknown=1),
    lambda d: d["sections"][0]["items"][0].update(code="Not A Code"),
])
def test_broken_definitions_refused(breakage):
    definition = copy.deepcopy(PRIMARY_MATHS["definition"])
    breakage(definition)
    with pytest.raises(InstrumentError):
        parse_definition(definition)


def test_texts_follow_the_page_language():
    from django.utils import translation

    item = parse_definition(PRIMARY_MATHS["definition"]).items()[0]
    with translation.override("en"):
        assert item.text == item.text_en and item.levels[0].label == "Not yet"
    with translation.override("bn"):
        assert item.text == item.text_bn and item.levels[0].descriptor == item.levels[0].descriptor_bn
