"""The ongoing-user status: counted by the rule in force over Dhaka days, one history row per change, one latest
row per teacher, told to her on a change, and evaluated for many teachers in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q

from shikhon.core.clock import dhaka_today
from shikhon.notify.models import Notification
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.practice import notifications
from shikhon.practice.models import OngoingStatus, Rule
from shikhon.practice.services.status import ongoing_evaluate, ongoing_evaluate_all
from shikhon.practice.tests.test_status_support import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(people, places) -> Practice:
    return Practice(people, places)


def test_an_ongoing_user_by_the_default_rule(people, practice):
    rubi = people["teacher_rubi"]
    practice.ongoing(rubi)
    status = ongoing_evaluate(teacher=rubi)
    assert status.is_ongoing and status.is_latest
    assert status.counts == {"records": 3, "activities": 3, "meetings": 1, "observations": 0, "support": 1,
                             "rule_version": 1}
    assert status.rule_version == 1 and status.evaluated_on == dhaka_today()
    assert status.school_id == practice.places["school_hatia"].pk
    assert status.upazila_id == practice.places["hatia"].pk


@pytest.mark.parametrize(("change", "ongoing"), [
    ("none", True),
    ("same_activity", False),        # three records, but on one activity
    ("two_records", False),
    ("no_support", False),
    ("observation_instead", True),   # a recorded observation is support too
    ("observation_not_recorded", False),
])
def test_each_condition(people, practice, change, ongoing):
    rubi = people["teacher_rubi"]
    activities = {"same_activity": (0, 0, 0), "two_records": (0, 1)}.get(change, (0, 1, 2))
    for activity in activities:
        practice.record(rubi, activity=activity)
    if change == "observation_instead":
        practice.observation(rubi)
    elif change == "observation_not_recorded":
        practice.observation(rubi, recorded=False)
    elif change != "no_support":
        practice.meeting(rubi)
    assert ongoing_evaluate(teacher=rubi).is_ongoing is ongoing


@pytest.mark.parametrize(("days_ago", "counted"), [(0, True), (59, True), (60, False), (-1, False)])
def test_the_window_is_the_last_60_dhaka_days(people, practice, days_ago, counted):
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0)
    practice.record(rubi, activity=1)
    practice.meeting(rubi)
    practice.record(rubi, activity=2, days_ago=days_ago)  # -1: dated tomorrow (a phone's wrong date)
    status = ongoing_evaluate(teacher=rubi)
    assert status.counts["records"] == (3 if counted else 2)
    assert status.is_ongoing is counted


@pytest.mark.parametrize("days_ago", [59, 60])
def test_meetings_and_observations_count_in_the_same_window(people, practice, days_ago):
    rubi = people["teacher_rubi"]
    for activity in (0, 1, 2):
        practice.record(rubi, activity=activity)
    practice.meeting(rubi, days_ago=days_ago)
    practice.observation(rubi, days_ago=days_ago)
    status = ongoing_evaluate(teacher=rubi)
    assert status.counts["support"] == (2 if days_ago == 59 else 0)


def test_at_half_past_one_in_dhaka_today_is_dhakas(people, practice, dhaka_small_hours):
    """01:30 Dhaka is 19:30 UTC of the day before: a record dated today (Dhaka) counts, and the window's far
    edge is 59 Dhaka days back, not 59 UTC days."""
    rubi = people["teacher_rubi"]
    today = dhaka_today()
    assert today != dhaka_small_hours().date()  # the UTC date is still yesterday's
    practice.record(rubi, activity=0, on=today)
    practice.record(rubi, activity=1, on=today, days_ago=59)
    practice.record(rubi, activity=2, on=today, days_ago=60)
    practice.meeting(rubi)
    status = ongoing_evaluate(teacher=rubi)
    assert status.evaluated_on == today
    assert status.counts["records"] == 2 and not status.is_ongoing


def test_a_new_rule_version_changes_the_decision_without_code(people, practice):
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0)
    practice.meeting(rubi)
    first = ongoing_evaluate(teacher=rubi)
    assert not first.is_ongoing and first.rule_version == 1
    Rule.objects.create(kind="ongoing", version=2, in_force_from=dhaka_today(),
                        params={"window_days": 30, "min_records": 1, "min_activities": 1, "min_support": 1})
    second = ongoing_evaluate(teacher=rubi)
    assert second.is_ongoing and second.rule_version == 2 and second.counts["rule_version"] == 2
    assert second.pk != first.pk


def test_a_rule_in_force_tomorrow_does_not_decide_today(people, practice):
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0)
    Rule.objects.create(kind="ongoing", version=2, in_force_from=dhaka_today() + dt.timedelta(days=1),
                        params={"window_days": 30, "min_records": 1, "min_activities": 1, "min_support": 0})
    assert ongoing_evaluate(teacher=rubi).rule_version == 1


def test_history_rows_only_for_changes(people, practice):
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0, days_ago=1)
    first = ongoing_evaluate(teacher=rubi, on=dhaka_today() - dt.timedelta(days=1))
    again = ongoing_evaluate(teacher=rubi)  # nothing changed: the same row, checked today
    assert again.pk == first.pk and OngoingStatus.objects.count() == 1
    assert OngoingStatus.objects.get().evaluated_on == dhaka_today()
    practice.record(rubi, activity=1)  # a count changed (status still "not ongoing"): a new row
    changed = ongoing_evaluate(teacher=rubi)
    assert changed.pk != first.pk and OngoingStatus.objects.count() == 2
    assert list(OngoingStatus.objects.filter(is_latest=True).values_list("pk", flat=True)) == [changed.pk]
    practice.record(rubi, activity=2)
    practice.meeting(rubi)
    ongoing_evaluate(teacher=rubi)
    assert OngoingStatus.objects.filter(teacher=rubi).count() == 3
    assert OngoingStatus.objects.filter(teacher=rubi, is_latest=True).count() == 1


def test_moving_school_writes_a_row_placed_at_the_new_school(people, practice):
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0)
    first = ongoing_evaluate(teacher=rubi)
    Role.objects.filter(user=rubi).delete()
    grant(rubi, Role.Kind.TEACHER, school=practice.places["school_subarnachar"])
    rubi.refresh_from_db()
    moved = ongoing_evaluate(teacher=rubi)
    assert moved.pk != first.pk and moved.upazila_id == practice.places["subarnachar"].pk


def test_one_latest_row_per_teacher_is_the_databases_rule(people, practice):
    rubi = people["teacher_rubi"]
    ongoing_evaluate(teacher=rubi)
    with pytest.raises(IntegrityError), transaction.atomic():
        OngoingStatus.objects.create(teacher=rubi, is_ongoing=True, rule_version=1, counts={},
                                     evaluated_on=dhaka_today(), is_latest=True)


def test_she_is_told_when_her_status_changes(people, practice, django_capture_on_commit_callbacks):
    rubi = people["teacher_rubi"]
    told = Notification.objects.filter(recipient=rubi, kind=notifications.ONGOING_STATUS_CHANGED)
    practice.record(rubi, activity=0)
    with django_capture_on_commit_callbacks(execute=True):
        ongoing_evaluate(teacher=rubi)  # a first status that is not "ongoing": nothing to tell
    assert told.count() == 0
    practice.ongoing(rubi)
    with django_capture_on_commit_callbacks(execute=True):
        ongoing_evaluate(teacher=rubi)
    assert told.count() == 1 and told.get().params["ongoing"] is True
    with django_capture_on_commit_callbacks(execute=True):
        ongoing_evaluate(teacher=rubi)  # unchanged: told once
    assert told.count() == 1


def test_evaluate_all_finds_teachers_with_practice_support_or_a_status(people, practice):
    practice.ongoing(people["teacher_rubi"])
    practice.meeting(people["teacher_of_other_school"], school="school_hatia_2")
    practice.observation(people["teacher_subarnachar"])
    result = ongoing_evaluate_all()
    assert result["evaluated"] == 3 and result["ongoing"] == 1
    assert OngoingStatus.objects.filter(is_latest=True).count() == 3
    again = ongoing_evaluate_all()  # idempotent: no new row
    assert again["evaluated"] == 3 and OngoingStatus.objects.count() == 3


def _teachers(n: int, practice: Practice, start: int = 0) -> None:
    school = practice.places["school_hatia"]
    for i in range(start, start + n):
        teacher: Any = UserFactory(phone=f"+88017220{i:05d}")
        grant(teacher, Role.Kind.TEACHER, school=school)
        practice.ongoing(teacher)


@pytest.mark.parametrize("chunk", [1000, 7])
def test_evaluate_all_costs_the_same_for_2_and_20_teachers(people, practice, chunk):
    """Grouped counts per chunk, never a query per teacher: 2 and 20 teachers in one chunk cost the same; in
    chunks of 7, 20 teachers (3 chunks) cost at most three times one chunk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _teachers(2, practice)
    with CaptureQueriesContext(connection) as two:
        ongoing_evaluate_all(chunk=chunk)
    OngoingStatus.objects.all().delete()
    _teachers(18, practice, start=2)
    with CaptureQueriesContext(connection) as twenty:
        result = ongoing_evaluate_all(chunk=chunk)
    assert result["evaluated"] == 20 and result["ongoing"] == 20
    if chunk >= 20:
        assert len(twenty.captured_queries) == len(two.captured_queries)
    else:
        assert len(twenty.captured_queries) <= 3 * len(two.captured_queries)
    assert OngoingStatus.objects.filter(Q(is_latest=True)).count() == 20
