"""Nudges: at most one a week per teacher, never at night (the service and the job, with a frozen clock), one per
event, the meeting first, then an overdue plan, then a module without a plan; SMS only when she chose it; bounded
queries for many teachers, in chunks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shikhon.core import sms
from shikhon.core.clock import DHAKA
from shikhon.core.schedule import periodic_jobs
from shikhon.courses.models import Course
from shikhon.courses.outline import course_outline
from shikhon.courses.services import enrolment_create
from shikhon.courses.tests.factories import ActivityFactory, CourseFactory, ModuleFactory, do_activities
from shikhon.notify.models import Notification
from shikhon.notify.services import sms_preferences_set
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.practice import notifications
from shikhon.practice.models import Nudge
from shikhon.practice.periodic_nudges import PRACTICE_NUDGES
from shikhon.practice.services import nudges
from shikhon.practice.tests.factories import PracticePlanFactory, PracticeRecordFactory, SchoolCircleFactory

# "Day 3" is ten days after the real Dhaka date the test runs on (any weekday), so the named people's roles — which
# start on the real date — are current on every day the tests move the clock to, whenever the suite runs.
_DAY_3 = dt.datetime.now(DHAKA).date() + dt.timedelta(days=10)


def dhaka(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A Dhaka moment on "day `day`" of the tests' own fortnight (day 3 is `_DAY_3`)."""
    date = _DAY_3 + dt.timedelta(days=day - 3)
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=DHAKA)


@pytest.fixture
def clock(monkeypatch):
    """Set the clock to a Dhaka moment: `clock(dhaka(3, 10))`."""
    def set_to(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment.astimezone(dt.UTC))
        return moment
    set_to(dhaka(3, 10))
    return set_to


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the job's service as the worker would (after-commit work, the SMS task, included)."""
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return nudges.nudges_send(**kwargs)
    return run


@pytest.fixture
def course(db):
    course = CourseFactory(status=Course.Status.PUBLISHED)
    first = ModuleFactory(course=course, position=0, title="সংখ্যা চেনা")
    for position in range(2):
        ActivityFactory(module=first, position=position)
    ActivityFactory(module=ModuleFactory(course=course, position=1, title="যোগ"), position=0)
    return course


def finish_first_module(teacher, course):
    enrolment_create(actor=teacher, course=course)
    module = course.modules.order_by("position").first()
    do_activities(teacher, module)
    return module


def overdue_plan(teacher, days: int = 2) -> Any:
    return PracticePlanFactory(teacher=teacher, planned_on=dhaka(3, 10).date() - dt.timedelta(days=days))


def circle_tomorrow(places, day: dt.date):
    return SchoolCircleFactory(school=places["school_hatia"], next_meeting_on=day + dt.timedelta(days=1))


def kinds_sent(teacher) -> list[str]:
    return list(Nudge.objects.filter(teacher=teacher).order_by("sent_on", "pk").values_list("kind", flat=True))


# ---------------------------------------------------------------- never at night

@pytest.mark.parametrize(("hour", "minute", "sent"), [
    (1, 30, 0), (21, 0, 0), (7, 59, 0), (20, 0, 0), (8, 0, 1), (10, 0, 1), (19, 59, 1)])
def test_never_at_night(people, clock, send, hour, minute, sent):
    clock(dhaka(3, hour, minute))
    overdue_plan(people["teacher_rubi"])
    assert send() == sent
    assert Nudge.objects.count() == sent
    assert Notification.objects.filter(kind=notifications.NUDGE_PLAN_OVERDUE).count() == sent


def test_the_service_refuses_at_night_whoever_calls_it(people, clock):
    clock(dhaka(4, 1, 30))
    overdue_plan(people["teacher_rubi"])
    assert nudges.nudges_send_to([people["teacher_rubi"].pk]) == 0
    assert not Nudge.objects.exists()


def test_the_job_runs_at_ten_and_skips_a_slot_that_would_be_at_night():
    job = periodic_jobs.find(PRACTICE_NUDGES)
    assert job is not None
    yesterday = dhaka(2, 10).astimezone(dt.UTC)
    assert job.is_due(now=dhaka(3, 10, 1).astimezone(dt.UTC), last_slot=yesterday)
    assert job.is_due(now=dhaka(3, 15, 30).astimezone(dt.UTC), last_slot=yesterday)  # a late worker, still day
    assert not job.is_due(now=dhaka(3, 21, 0).astimezone(dt.UTC), last_slot=yesterday)  # too late: skipped
    assert not job.is_due(now=dhaka(4, 1, 30).astimezone(dt.UTC), last_slot=yesterday)
    assert not job.is_due(now=dhaka(3, 9, 59).astimezone(dt.UTC), last_slot=dhaka(2, 10).astimezone(dt.UTC))
    assert job.when.slot_at(dhaka(3, 12).astimezone(dt.UTC)) == dhaka(3, 10).astimezone(dt.UTC)


def test_the_task_sends_nothing_at_night(people, clock):
    from shikhon.practice.tasks_nudges import practice_nudges_task

    clock(dhaka(3, 23, 0))
    overdue_plan(people["teacher_rubi"])
    practice_nudges_task.call()
    assert not Nudge.objects.exists()


# ---------------------------------------------------------------- once a week, once per event

def test_at_most_one_a_week(people, places, clock, send):
    rubi = people["teacher_rubi"]
    overdue_plan(rubi)
    send()
    assert kinds_sent(rubi) == [Nudge.Kind.PLAN_OVERDUE]
    clock(dhaka(5, 10))  # two days later her circle meets tomorrow: too soon for her (her head teacher is told)
    circle = circle_tomorrow(places, dhaka(5, 10).date())
    send()
    assert kinds_sent(rubi) == [Nudge.Kind.PLAN_OVERDUE]
    assert kinds_sent(people["head_teacher_masuma"]) == [Nudge.Kind.MEETING_TOMORROW]
    clock(dhaka(9, 10))  # six days later: still the same week
    circle.next_meeting_on = dhaka(10, 10).date()
    circle.save()
    send()
    assert kinds_sent(rubi) == [Nudge.Kind.PLAN_OVERDUE]
    clock(dhaka(10, 10))  # seven Dhaka days later
    circle.next_meeting_on = dhaka(11, 10).date()
    circle.save()
    send()
    assert kinds_sent(rubi) == [Nudge.Kind.PLAN_OVERDUE, Nudge.Kind.MEETING_TOMORROW]


def test_the_week_is_counted_in_dhaka_days(people, clock, send):
    rubi = people["teacher_rubi"]
    clock(dhaka(3, 19, 30))
    overdue_plan(rubi)
    assert send() == 1
    PracticePlanFactory(teacher=rubi, planned_on=dhaka(5, 10).date())
    clock(dhaka(9, 8, 0))  # day 6 in Dhaka: no
    assert send() == 0
    clock(dhaka(10, 8, 0))  # day 7: yes
    assert send() == 1


def test_the_same_event_never_nudges_twice(people, clock, send):
    rubi = people["teacher_rubi"]
    plan = overdue_plan(rubi)
    assert send() == 1
    assert send() == 0  # the job run twice the same day
    clock(dhaka(12, 10))  # the plan is still overdue a week later: not again
    assert send() == 0
    assert list(Nudge.objects.values_list("key", flat=True)) == [f"plan:{plan.pk}"]
    assert Notification.objects.filter(recipient=rubi).count() == 1


def test_a_recorded_or_old_plan_does_not_nudge(people, clock, send):
    rubi = people["teacher_rubi"]
    plan = overdue_plan(rubi)
    PracticeRecordFactory(teacher=rubi, plan=plan, activity=plan.activity)
    overdue_plan(rubi, days=31)
    PracticePlanFactory(teacher=rubi, planned_on=dhaka(3, 10).date())  # today: not passed yet
    assert send() == 0


# ---------------------------------------------------------------- which event

def test_the_meeting_comes_first_then_the_plan_then_the_module(people, places, course, clock, send):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    for teacher in (rubi, masuma):
        finish_first_module(teacher, course)
    overdue_plan(rubi)
    circle_tomorrow(places, dhaka(3, 10).date())
    other = people["teacher_of_other_school"]  # another school's teacher: her circle does not meet
    finish_first_module(other, course)
    overdue_plan(other)
    send()
    assert kinds_sent(rubi) == [Nudge.Kind.MEETING_TOMORROW]
    assert kinds_sent(masuma) == [Nudge.Kind.MEETING_TOMORROW]
    assert kinds_sent(other) == [Nudge.Kind.PLAN_OVERDUE]
    clock(dhaka(10, 10))  # a week later the meeting is past: the next best event of each
    send()
    assert kinds_sent(rubi) == [Nudge.Kind.MEETING_TOMORROW, Nudge.Kind.PLAN_OVERDUE]
    assert kinds_sent(masuma) == [Nudge.Kind.MEETING_TOMORROW, Nudge.Kind.MODULE_WITHOUT_PLAN]
    assert kinds_sent(other) == [Nudge.Kind.PLAN_OVERDUE, Nudge.Kind.MODULE_WITHOUT_PLAN]
    clock(dhaka(17, 10))
    send()
    assert kinds_sent(rubi)[-1] == Nudge.Kind.MODULE_WITHOUT_PLAN
    note = Notification.objects.filter(recipient=rubi, kind=notifications.NUDGE_MODULE_WITHOUT_PLAN).get()
    assert note.params == {"module": "সংখ্যা চেনা"}


def test_a_module_with_a_plan_or_record_does_not_nudge(people, course, clock, send):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    module = finish_first_module(rubi, course)
    finish_first_module(masuma, course)
    activities = list(module.activities.order_by("position"))
    PracticePlanFactory(teacher=rubi, activity=activities[1], planned_on=dhaka(5, 10).date())
    PracticeRecordFactory(teacher=masuma, activity=activities[0])
    enrolment_create(actor=people["teacher_of_other_school"], course=course)  # nothing finished
    assert send() == 0


# ---------------------------------------------------------------- SMS by her choice

def test_sms_only_when_she_chose_it(people, clock, send):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    sms_preferences_set(actor=rubi, choices={notifications.NUDGE_PLAN_OVERDUE: True})
    overdue_plan(rubi)
    overdue_plan(masuma)
    assert send() == 2
    assert [m.to for m in sms.outbox] == [rubi.phone]
    assert Notification.objects.filter(recipient=masuma, kind=notifications.NUDGE_PLAN_OVERDUE).count() == 1


# ---------------------------------------------------------------- many teachers

def teachers(places, n: int, course, *, first: int = 0) -> list[Any]:
    out: list[Any] = []
    for i in range(first, first + n):
        user: Any = UserFactory(phone=f"+88017120{i:05d}")
        grant(user, Role.Kind.TEACHER, school=places["school_hatia" if i % 2 else "school_hatia_2"])
        finish_first_module(user, course)
        if i % 3 == 0:
            overdue_plan(user)
        out.append(user)
    return out


def test_many_teachers_cost_the_same_queries(people, places, course, clock):
    circle_tomorrow(places, dhaka(3, 10).date())
    few = teachers(places, 2, course)
    many = teachers(places, 20, course, first=100)
    course_outline(course)  # a published course's outline is cached by whoever reads it first
    with CaptureQueriesContext(connection) as two:
        assert nudges.nudges_send_to([u.pk for u in few]) == 2
    with CaptureQueriesContext(connection) as twenty:
        assert nudges.nudges_send_to([u.pk for u in many]) == 20
    assert len(twenty.captured_queries) == len(two.captured_queries)
    assert len(two.captured_queries) <= 20  # 15 queries and 4 savepoints today


def test_the_job_goes_through_every_teacher_in_chunks(people, places, course, clock, send):
    many = teachers(places, 7, course)
    assert send(chunk=3) == 7
    assert set(Nudge.objects.values_list("teacher_id", flat=True)) == {u.pk for u in many}
