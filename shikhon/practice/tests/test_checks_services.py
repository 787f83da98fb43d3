"""Learner checks: the default check as data, recording a round (codes only, her own class, dates, items, a
follow-up needs a baseline, idempotent by client id) and the change since the baseline."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from shikhon.core.bangla import to_western_digits
from shikhon.core.clock import dhaka_today
from shikhon.practice import checks
from shikhon.practice.models import CheckResult, CheckRound, LearnerCheck
from shikhon.practice.selectors import checks as selectors
from shikhon.practice.services.checks import check_round_record

TODAY = dhaka_today


def said(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    """The sentences, digit-blind (a Bangla page says its numbers in Bangla digits)."""
    return [to_western_digits(m) for m in error.value.messages]


@pytest.fixture
def numeracy(db):
    return LearnerCheck.objects.get(code="numeracy-g1-2", version=1)


def answers(right: set[str], codes: list[str]) -> dict[str, bool]:
    return {code: code in right for code in codes}


def record(teacher, check, *, kind="baseline", results=None, held_on=None, grade=1, section="ক", client_id=None):
    codes = checks.definition_of(check).codes
    results = results if results is not None else {"L01": answers(set(codes[:6]), codes),
                                                    "L02": answers(set(codes[:3]), codes)}
    return check_round_record(actor=teacher, learner_check=check, kind=kind, grade=grade, section=section,
                              held_on=held_on or TODAY(), results=results, client_id=client_id)


def test_the_default_check_is_stored_as_valid_data(numeracy):
    definition = checks.definition_of(numeracy)
    assert 10 <= len(definition.items) <= 12
    assert {item.skill for item in definition.items} == {"recognition", "counting", "addition", "subtraction"}
    assert (numeracy.grade_from, numeracy.grade_to) == (1, 2)
    assert numeracy.definition == checks.NUMERACY_G1_2_V1["definition"]
    assert all(item.prompt_bn and item.prompt_en for item in definition.items)
    assert selectors.default_check() == numeracy


def test_a_bad_definition_is_refused():
    assert not checks.is_valid_definition({"items": []})
    assert not checks.is_valid_definition({"items": [checks.NUMERACY_G1_2_V1["definition"]["items"][0]] * 2})
    assert not checks.is_valid_definition({"items": [{"code": "X1", "skill": "reading"}]})


@pytest.mark.parametrize("code", ["L01", "l01", "12", "2B07", "L০১", " L01 "])
def test_codes_are_accepted_and_stored_plainly(people, numeracy, code):
    check_round = record(people["teacher_rubi"], numeracy, results={code: {"R1": True}})
    stored = set(CheckResult.objects.filter(round=check_round).values_list("learner_code", flat=True))
    assert stored == {checks_code(code)}


def checks_code(code: str) -> str:
    return code.strip().upper().replace("০১", "01")


@pytest.mark.parametrize("name", ["Rahim", "RAHIM", "Rahim1", "রহিম", "L 01", "Fatema Begum", "1234567890123", ""])
def test_a_name_is_refused_with_a_sentence_and_nothing_stored(people, numeracy, name):
    with pytest.raises(ValidationError) as error:
        record(people["teacher_rubi"], numeracy, results={name: {"R1": True}})
    assert "Use a code for each learner, not a name (for example L01)." in said(error)
    assert not CheckRound.objects.exists()
    assert not CheckResult.objects.exists()


def test_every_item_is_stored_unmarked_is_wrong(people, numeracy):
    check_round = record(people["teacher_rubi"], numeracy, results={"L01": {"R1": True}})
    rows = dict(CheckResult.objects.filter(round=check_round).values_list("item", "correct"))
    assert len(rows) == len(checks.definition_of(numeracy).items)
    assert rows["R1"] is True
    assert sum(rows.values()) == 1


def test_the_round_is_placed_at_her_school(people, places, numeracy):
    check_round = record(people["teacher_rubi"], numeracy)
    assert check_round.school_id == places["school_hatia"].pk
    assert check_round.upazila_id == places["hatia"].pk


@pytest.mark.parametrize(("results", "sentence"), [
    ({}, "Mark the answers of at least one learner."),
    ({"L01": {"Z9": True}}, "An answer is for a question that is not in this check."),
    ({"L01": {"R1": "yes"}}, "The answers could not be read."),
    ({"L01": {"R1": True}, "l01": {"R1": False}}, "The code L01 is used for two learners. Give each learner their own "
                                                  "code."),
    ({f"L{n:02d}": {"R1": True} for n in range(81)}, "A round has at most 80 learners."),
])
def test_bad_results_get_a_sentence(people, numeracy, results, sentence):
    with pytest.raises(ValidationError) as error:
        record(people["teacher_rubi"], numeracy, results=results)
    assert sentence in said(error)
    assert not CheckRound.objects.exists()


def test_eighty_learners_are_fine(people, numeracy):
    check_round = record(people["teacher_rubi"], numeracy, results={f"L{n:02d}": {"R1": True} for n in range(80)})
    assert selectors.round_results(check_round).learner_count == 80


@pytest.mark.parametrize(("days", "sentence"), [
    (-1, "The date of the check cannot be in the future."),
    (367, "The date of the check cannot be more than a year ago."),
])
def test_dates_outside_the_year_are_refused(people, numeracy, days, sentence):
    with pytest.raises(ValidationError) as error:
        record(people["teacher_rubi"], numeracy, held_on=TODAY() - dt.timedelta(days=days))
    assert sentence in said(error)


def test_the_date_is_dhakas(people, numeracy, monkeypatch):
    # 19:00 UTC on 3 December is 01:00 on 4 December in Dhaka: the 4th is today, not the future.
    monkeypatch.setattr("django.utils.timezone.now", lambda: dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC))
    check_round = record(people["teacher_rubi"], numeracy, held_on=dt.date(2026, 12, 4))
    assert check_round.held_on == dt.date(2026, 12, 4)
    with pytest.raises(ValidationError):
        record(people["teacher_rubi"], numeracy, held_on=dt.date(2026, 12, 5))


@pytest.mark.parametrize("grade", [0, 3, 12])
def test_the_class_must_be_one_the_check_is_for(people, numeracy, grade):
    with pytest.raises(ValidationError) as error:
        record(people["teacher_rubi"], numeracy, grade=grade)
    assert "This check is for classes 1 to 2." in said(error)


def test_only_a_teacher_placed_at_a_school_records(people, numeracy):
    for key in ("officer_hatia", "researcher_tanvir", "no_role_user"):
        with pytest.raises(ValidationError):
            record(people[key], numeracy)
    assert not CheckRound.objects.exists()


def test_a_follow_up_needs_an_earlier_baseline_of_the_same_class(people, numeracy):
    rubi = people["teacher_rubi"]
    with pytest.raises(ValidationError) as error:
        record(rubi, numeracy, kind="follow_up")
    assert any("needs an earlier baseline" in m for m in said(error))
    record(rubi, numeracy, kind="baseline", held_on=TODAY() - dt.timedelta(days=30), section="খ")
    with pytest.raises(ValidationError):  # another section
        record(rubi, numeracy, kind="follow_up")
    with pytest.raises(ValidationError):  # another teacher's class
        record(people["head_teacher_masuma"], numeracy, kind="follow_up", section="খ")
    with pytest.raises(ValidationError):  # the baseline must be earlier, not later
        record(rubi, numeracy, kind="follow_up", section="খ", held_on=TODAY() - dt.timedelta(days=40))
    follow_up = record(rubi, numeracy, kind="follow_up", section="খ")
    assert follow_up.kind == CheckRound.Kind.FOLLOW_UP


def test_the_same_client_id_makes_one_round(people, numeracy):
    client_id = uuid.uuid4()
    first = record(people["teacher_rubi"], numeracy, client_id=client_id)
    again = record(people["teacher_rubi"], numeracy, client_id=client_id)
    assert first.pk == again.pk
    assert CheckRound.objects.count() == 1
    assert CheckResult.objects.count() == 2 * len(checks.definition_of(numeracy).items)
    with pytest.raises(ValidationError):  # someone else's id is not hers to replay
        record(people["head_teacher_masuma"], numeracy, client_id=client_id)


def test_the_change_since_the_baseline(people, numeracy):
    rubi = people["teacher_rubi"]
    codes = checks.definition_of(numeracy).codes
    learners = [f"L{n:02d}" for n in range(1, 11)]
    # R1: 2 of 10 right at baseline, 7 of 10 at follow-up (+50); S3: 5 of 10, then 4 of 10 (-10).
    base = {code: {"R1": i < 2, "S3": i < 5} for i, code in enumerate(learners)}
    after = {code: {"R1": i < 7, "S3": i < 4} for i, code in enumerate(learners)}
    baseline = record(rubi, numeracy, results=base, held_on=TODAY() - dt.timedelta(days=60))
    follow_up = record(rubi, numeracy, kind="follow_up", results=after)
    comparison = selectors.comparison_for(follow_up)
    assert comparison is not None
    assert comparison.baseline.round == baseline
    by_item = {c.item.code: c for c in comparison.items}
    assert [c.item.code for c in comparison.items] == codes
    assert (by_item["R1"].baseline.percent, by_item["R1"].follow_up.percent, by_item["R1"].change) == (20, 70, 50)
    assert (by_item["S3"].baseline.percent, by_item["S3"].follow_up.percent, by_item["S3"].change) == (50, 40, -10)
    assert by_item["A1"].change == 0
    # From the baseline's page, the same pair.
    pair = selectors.comparison_for(baseline)
    assert pair is not None
    assert pair.follow_up.round == follow_up
    totals = {t.code: t.right for t in selectors.round_results(follow_up).learners}
    assert totals["L01"] == 2 and totals["L05"] == 1 and totals["L10"] == 0


def test_the_latest_follow_up_and_the_baseline_before_it(people, numeracy):
    rubi = people["teacher_rubi"]
    record(rubi, numeracy, held_on=TODAY() - dt.timedelta(days=90))
    newer_baseline = record(rubi, numeracy, held_on=TODAY() - dt.timedelta(days=60))
    record(rubi, numeracy, kind="follow_up", held_on=TODAY() - dt.timedelta(days=30))
    latest = record(rubi, numeracy, kind="follow_up", held_on=TODAY())
    from_baseline, from_follow_up = selectors.comparison_for(newer_baseline), selectors.comparison_for(latest)
    assert from_baseline is not None and from_follow_up is not None
    assert from_baseline.follow_up.round == latest
    assert from_follow_up.baseline.round == newer_baseline


def test_percent_rounds_half_up():
    assert selectors.percent(1, 3) == 33
    assert selectors.percent(2, 3) == 67
    assert selectors.percent(1, 8) == 13
    assert selectors.percent(0, 0) == 0
