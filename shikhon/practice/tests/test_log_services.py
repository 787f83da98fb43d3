"""The practice log's services: plans and records (idempotent by client id, Dhaka dates, placed where the teacher
works, plan states), acknowledgement and encouragement (permission, once, the teacher told)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shikhon.core.clock import dhaka_today
from shikhon.core.models import AuditEvent
from shikhon.courses.models import Course
from shikhon.courses.tests.factories import course_with_content
from shikhon.notify.models import Notification
from shikhon.practice import audit_actions, notifications
from shikhon.practice.models import Encouragement, PracticePlan, PracticeRecord
from shikhon.practice.services import log as services
from shikhon.practice.tests.factories import MeetingFactory, PracticeRecordFactory, SchoolCircleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity() -> Any:
    course = course_with_content(modules=2, activities=2)
    return course.modules.order_by("position").first().activities.order_by("position").first()


def plan(people: dict[str, Any], activity: Any, **kwargs: Any) -> PracticePlan:
    values: dict[str, Any] = {"actor": people["teacher_rubi"], "activity": activity, "grade": 2, "section": "ক",
                              "planned_on": dhaka_today() + dt.timedelta(days=3), "materials": "নুড়ি"}
    values.update(kwargs)
    return services.plan_create(**values)


def record(people: dict[str, Any], activity: Any, **kwargs: Any) -> PracticeRecord:
    values: dict[str, Any] = {"actor": people["teacher_rubi"], "activity": activity, "taught_on": dhaka_today(),
                              "outcome": "taught", "grade": 2, "section": "ক", "learners_present": 28,
                              "minutes": 35, "rating": 4, "what_worked": "জোড়ায় গোনা", "what_to_change": "আরও নুড়ি",
                              "why_not": ""}
    values.update(kwargs)
    return services.record_create(**values)


# ---------------------------------------------------------------- plans


def test_plan_is_placed_at_her_school(people, places, activity):
    made = plan(people, activity)
    school = places["school_hatia"]
    assert (made.school_id, made.upazila_id, made.district_id, made.division_id) == (
        school.pk, school.upazila_id, school.district_id, school.division_id)
    assert made.teacher == people["teacher_rubi"] and made.created_by == people["teacher_rubi"]
    assert made.state == PracticePlan.State.PLANNED


def test_plan_same_client_id_twice_is_one_row(people, activity):
    key = uuid.uuid4()
    first = plan(people, activity, client_id=key)
    again = plan(people, activity, client_id=str(key), grade=5)
    assert again.pk == first.pk and PracticePlan.objects.count() == 1 and again.grade == 2


def test_plan_client_id_of_someone_else_is_refused(people, activity):
    key = uuid.uuid4()
    plan(people, activity, client_id=key)
    with pytest.raises(ValidationError) as error:
        plan(people, activity, client_id=key, actor=people["teacher_of_other_school"])
    assert error.value.code == "client_id_taken"
    assert PracticePlan.objects.count() == 1


@pytest.mark.parametrize("days, code", [(366, "too_far_ahead"), (-31, "too_far_back")])
def test_plan_dates_bounded_by_dhaka_date(people, activity, days, code):
    with pytest.raises(ValidationError) as error:
        plan(people, activity, planned_on=dhaka_today() + dt.timedelta(days=days))
    assert code in str(error.value.error_dict["planned_on"][0].code)
    assert not PracticePlan.objects.exists()


@pytest.mark.parametrize("days", [365, -30, 0])
def test_plan_dates_at_the_limits_are_fine(people, activity, days):
    assert plan(people, activity, planned_on=dhaka_today() + dt.timedelta(days=days)).pk


def test_plan_dates_in_dhaka_small_hours(people, activity, dhaka_small_hours):
    # At 01:30 in Dhaka the UTC date is still yesterday's: 30 days back counts from Dhaka's today.
    assert plan(people, activity, planned_on=dhaka_today() - dt.timedelta(days=30)).pk


@pytest.mark.parametrize("grade", [0, 13])
def test_plan_grade_is_1_to_12(people, activity, grade):
    with pytest.raises(ValidationError) as error:
        plan(people, activity, grade=grade)
    assert "class must be from" in str(error.value.error_dict["grade"][0].message)


def test_plan_of_a_draft_activity_is_refused(people, activity):
    draft = course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        plan(people, draft.modules.first().activities.first())
    assert "published course" in str(error.value.error_dict["activity"][0].message)


def test_teacher_without_school_gets_a_sentence(people, activity):
    with pytest.raises(ValidationError) as error:
        plan(people, activity, actor=people["no_role_user"])
    assert "no current school role" in " ".join(error.value.messages)


def test_head_teacher_plans_for_her_teacher(people, places, activity):
    made = plan(people, activity, actor=people["head_teacher_masuma"], teacher=people["teacher_rubi"])
    assert made.teacher == people["teacher_rubi"] and made.created_by == people["head_teacher_masuma"]
    assert made.school_id == places["school_hatia"].pk


@pytest.mark.parametrize("who", ["teacher_of_other_school", "head_teacher_subarnachar", "researcher_tanvir"])
def test_others_may_not_plan_for_her(people, activity, who):
    with pytest.raises(PermissionDenied):
        plan(people, activity, actor=people[who], teacher=people["teacher_rubi"])


def test_colleague_may_not_plan_for_her(people, activity, colleague):
    with pytest.raises(PermissionDenied):
        plan(people, activity, actor=colleague, teacher=people["teacher_rubi"])


def test_plan_made_at_a_meeting_tells_her(people, places, activity, django_capture_on_commit_callbacks):
    circle = SchoolCircleFactory(school=places["school_hatia"])
    meeting = MeetingFactory(circle=circle, recorded_by=people["head_teacher_masuma"])
    with django_capture_on_commit_callbacks(execute=True):
        made = plan(people, activity, actor=people["head_teacher_masuma"], teacher=people["teacher_rubi"],
                    meeting=meeting)
    assert made.meeting == meeting
    assert Notification.objects.filter(recipient=people["teacher_rubi"],
                                       kind=notifications.PLAN_MADE_AT_MEETING).count() == 1


def test_plan_drop(people, activity):
    made = plan(people, activity)
    assert services.plan_drop(actor=people["teacher_rubi"], plan=made).state == PracticePlan.State.DROPPED
    with pytest.raises(PermissionDenied):
        services.plan_drop(actor=people["teacher_of_other_school"], plan=made)


# ---------------------------------------------------------------- records


def test_record_copies_module_family_and_placement(people, places, activity):
    made = record(people, activity)
    assert made.module == activity.module and made.family == activity.module.course.family
    assert made.school_id == places["school_hatia"].pk and made.upazila_id == places["hatia"].pk
    assert made.shared_with_circle is True


def test_record_of_a_plan_sets_its_state(people, activity):
    planned = plan(people, activity)
    made = record(people, activity, plan=planned)
    planned.refresh_from_db()
    assert made.plan == planned and planned.state == PracticePlan.State.TAUGHT
    other = plan(people, activity)
    record(people, activity, plan=other, outcome="not_working", rating=None, why_not="বৃষ্টিতে ক্লাস হয়নি")
    other.refresh_from_db()
    assert other.state == PracticePlan.State.NOT_WORKING


def test_plan_recorded_once(people, activity):
    planned = plan(people, activity)
    record(people, activity, plan=planned)
    with pytest.raises(ValidationError):
        record(people, activity, plan=planned)
    assert PracticeRecord.objects.count() == 1


def test_record_of_someone_elses_plan_is_refused(people, activity):
    planned = plan(people, activity)
    with pytest.raises(PermissionDenied):
        record(people, activity, plan=planned, actor=people["head_teacher_masuma"])


def test_record_same_client_id_is_one_row(people, activity):
    key = uuid.uuid4()
    first = record(people, activity, client_id=key)
    assert record(people, activity, client_id=key, grade=3).pk == first.pk
    assert PracticeRecord.objects.count() == 1


def test_record_in_the_future_by_dhaka_date_is_refused(people, activity, dhaka_small_hours):
    # 01:30 in Dhaka: the UTC date is yesterday, but Dhaka's today is what counts.
    assert record(people, activity, taught_on=dhaka_today()).pk
    with pytest.raises(ValidationError) as error:
        record(people, activity, taught_on=dhaka_today() + dt.timedelta(days=1))
    assert error.value.error_dict["taught_on"][0].code == "future"
    assert PracticeRecord.objects.count() == 1


def test_record_older_than_a_year_is_refused(people, activity):
    with pytest.raises(ValidationError) as error:
        record(people, activity, taught_on=dhaka_today() - dt.timedelta(days=366))
    assert "more than a year ago" in str(error.value.error_dict["taught_on"][0].message)


@pytest.mark.parametrize("kwargs, field", [
    ({"outcome": "not_working", "rating": None, "why_not": " "}, "why_not"),
    ({"outcome": "taught", "rating": None}, "rating"),
    ({"outcome": "maybe"}, "outcome"),
    ({"rating": 6}, "rating"),
    ({"learners_present": 201}, "learners_present"),
    ({"minutes": 0}, "minutes"),
    ({"grade": 13}, "grade"),
])
def test_record_bad_input_is_a_sentence_and_nothing_stored(people, activity, kwargs, field):
    with pytest.raises(ValidationError) as error:
        record(people, activity, **kwargs)
    message = str(error.value.error_dict[field][0].message)
    assert message.endswith(".") and len(message) > 20
    assert not PracticeRecord.objects.exists()


# ---------------------------------------------------------------- support


def test_acknowledge_once_audited_and_told(people, activity, django_capture_on_commit_callbacks):
    made = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_acknowledge(actor=people["head_teacher_masuma"], record=made)
        services.record_acknowledge(actor=people["head_teacher_masuma"], record=made)
    made.refresh_from_db()
    assert made.acknowledged_by == people["head_teacher_masuma"] and made.acknowledged_at is not None
    assert AuditEvent.objects.filter(action=audit_actions.RECORD_ACKNOWLEDGED).count() == 1
    told = Notification.objects.filter(recipient=people["teacher_rubi"], kind=notifications.RECORD_ACKNOWLEDGED)
    assert told.count() == 1


@pytest.mark.parametrize("who", ["teacher_rubi", "teacher_of_other_school", "head_teacher_subarnachar",
                                 "researcher_tanvir"])
def test_acknowledge_refused(people, activity, who):
    made = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)
    with pytest.raises(PermissionDenied):
        services.record_acknowledge(actor=people[who], record=made)
    made.refresh_from_db()
    assert made.acknowledged_at is None


def test_encourage_once_per_person(people, activity, colleague, django_capture_on_commit_callbacks):
    made = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)
    with django_capture_on_commit_callbacks(execute=True):
        services.encouragement_add(actor=colleague, record=made, comment="দারুণ!")
        services.encouragement_add(actor=colleague, record=made, comment="খুব ভালো")
    assert list(Encouragement.objects.values_list("comment", flat=True)) == ["খুব ভালো"]
    told = Notification.objects.filter(recipient=people["teacher_rubi"], kind=notifications.RECORD_ENCOURAGED)
    assert told.count() == 1


def test_encourage_unshared_or_other_school_refused(people, activity, colleague):
    made = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity, shared_with_circle=False)
    with pytest.raises(PermissionDenied):
        services.encouragement_add(actor=colleague, record=made)
    with pytest.raises(PermissionDenied):
        services.encouragement_add(actor=people["teacher_of_other_school"], record=made)
    with pytest.raises(PermissionDenied):
        services.encouragement_add(actor=people["teacher_rubi"], record=made)
    assert not Encouragement.objects.exists()


def test_encourage_comment_too_long(people, activity, colleague):
    made = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)
    with pytest.raises(ValidationError):
        services.encouragement_add(actor=colleague, record=made, comment="ক" * 201)
    assert not Encouragement.objects.exists()
