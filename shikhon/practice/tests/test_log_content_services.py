"""Plans and records of a library content (decision 0012: "used in class" comes from practice records): the
services take a content instead of an activity (exactly one, in the database too), refuse one the teacher may not
use with a sentence, count a content taught in class once (a replay counts nothing, "did not work" is not a use),
the ongoing-user rule counts a content as a thing practised, the certificate of practice does not, and
`library_use.content_uses_between` answers the champions in one query."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import course_with_content
from shikhon.library.models import Content
from shikhon.library.services.usage import content_use_recorded, content_use_removed
from shikhon.library.tests.factories import ContentFactory
from shikhon.people.selectors import placement_of
from shikhon.practice.models import PracticePlan, PracticeRecord
from shikhon.practice.selectors import log as log_selectors
from shikhon.practice.selectors.library_use import content_uses_between, uses_of_content
from shikhon.practice.services import log as services
from shikhon.practice.services.status import _counts_for, ongoing_evaluate, practice_families_of
from shikhon.practice.tests.factories import PracticeRecordFactory
from shikhon.practice.tests.test_status_support import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(people) -> Any:
    """A published content by Masuma (Rubi's head teacher): any teacher may use it."""
    return ContentFactory(author=people["head_teacher_masuma"], published=True, title="কাঠি গুনে যোগ")


@pytest.fixture
def activity() -> Any:
    return course_with_content(modules=1, activities=2).modules.first().activities.order_by("position").first()


def used(content: Any) -> int:
    return Content.objects.values_list("used_in_class", flat=True).get(pk=content.pk)


def record(actor: Any, content: Any, **changes: Any) -> PracticeRecord:
    fields: dict[str, Any] = {"taught_on": dhaka_today(), "outcome": "taught", "grade": 1, "rating": 4}
    fields.update(changes)
    return services.record_create(actor=actor, content=content, **fields)


# ---------------------------------------------------------------- plans


def test_a_plan_of_a_library_content(people, content):
    rubi = people["teacher_rubi"]
    plan = services.plan_create(actor=rubi, content=content, grade=2, section="খ",
                                planned_on=dhaka_today() + dt.timedelta(days=2))
    plan.refresh_from_db()
    assert plan.content_id == content.pk and plan.activity_id is None
    assert plan.practised == content and plan.teacher == rubi
    assert plan.school_id == placement_of(rubi).school_id
    assert used(content) == 0  # a plan is not a use


def test_a_plan_names_exactly_one_thing(people, content, activity):
    rubi = people["teacher_rubi"]
    day = dhaka_today()
    for given in ({}, {"activity": activity, "content": content}):
        with pytest.raises(ValidationError) as error:
            services.plan_create(actor=rubi, grade=1, planned_on=day, **given)
        assert error.value.code == "activity_or_content"
        assert "one thing" in " ".join(error.value.messages)
    assert PracticePlan.objects.count() == 0


@pytest.mark.parametrize("case", ["draft_of_another", "own_draft", "hidden"])
def test_a_content_she_may_not_use_is_refused_with_a_sentence(people, case):
    rubi = people["teacher_rubi"]
    if case == "draft_of_another":
        content = ContentFactory(author=people["teacher_of_other_school"])
    elif case == "own_draft":
        content = ContentFactory(author=rubi)
    else:
        content = ContentFactory(author=rubi, published=True, hidden_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=rubi, content=content, grade=1, planned_on=dhaka_today())
    assert error.value.error_dict["content"][0].code == "content_unpublished"
    with pytest.raises(ValidationError):
        record(rubi, content)
    assert PracticePlan.objects.count() == 0 and PracticeRecord.objects.count() == 0
    assert used(content) == 0


def test_the_database_holds_exactly_one(people, content, activity):
    rubi = people["teacher_rubi"]
    base = {"teacher": rubi, "grade": 1, "planned_on": dhaka_today(), "created_by": rubi}
    for wrong in ({}, {"activity": activity, "content": content}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PracticePlan.objects.create(**base, **wrong)
    kept = {"teacher": rubi, "grade": 1, "taught_on": dhaka_today()}
    for wrong in ({"content": content, "module": activity.module},  # a content's record carries no module
                  {"activity": activity, "module": activity.module},  # an activity's needs its family
                  {"content": content, "activity": activity, "module": activity.module,
                   "family": activity.module.course.family}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PracticeRecord.objects.create(**kept, **wrong)
    PracticeRecord.objects.create(**kept, content=content)
    assert PracticeRecord.objects.count() == 1


# ---------------------------------------------------------------- records and the count


def test_a_record_counts_once_after_commit_and_a_replay_counts_nothing(people, content,
                                                                        django_capture_on_commit_callbacks):
    rubi = people["teacher_rubi"]
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        made = record(rubi, content, client_id=key)
    assert len(callbacks) == 1
    assert made.content_id == content.pk and made.activity_id is None
    assert made.module_id is None and made.family is None
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert record(rubi, content, client_id=key).pk == made.pk
        assert record(rubi, content, client_id=str(key)).pk == made.pk
    assert again == []
    assert used(content) == 1 and PracticeRecord.objects.count() == 1


def test_nothing_is_counted_before_commit(people, content):
    record(people["teacher_rubi"], content)
    assert used(content) == 0  # the test's transaction never commits: the count waits for the commit


def test_tried_and_it_did_not_work_is_practice_but_not_a_use(people, content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = record(people["teacher_rubi"], content, outcome="not_working", rating=None,
                      why_not="শিশুরা কাঠি পায়নি")
    assert made.outcome == "not_working"
    assert used(content) == 0


def test_a_refused_record_counts_nothing(people, content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        record(people["teacher_rubi"], content, taught_on=dhaka_today() + dt.timedelta(days=1))
    assert used(content) == 0


def test_a_record_of_a_plan_takes_the_plans_content(people, content, django_capture_on_commit_callbacks):
    rubi = people["teacher_rubi"]
    plan = services.plan_create(actor=rubi, content=content, grade=3, planned_on=dhaka_today())
    with django_capture_on_commit_callbacks(execute=True):
        made = services.record_create(actor=rubi, plan=plan, taught_on=dhaka_today(), outcome="taught", grade=3,
                                      rating=5)
    plan.refresh_from_db()
    assert made.content_id == content.pk and made.plan == plan
    assert plan.state == PracticePlan.State.TAUGHT
    assert used(content) == 1


def test_acknowledging_and_encouraging_a_content_record_name_the_content(people, content, colleague,
                                                                          django_capture_on_commit_callbacks):
    from shikhon.notify.models import Notification

    made = record(people["teacher_rubi"], content)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_acknowledge(actor=people["head_teacher_masuma"], record=made)
        services.encouragement_add(actor=colleague, record=made, comment="ভালো")
    texts = " ".join(str(n.params) for n in Notification.objects.filter(recipient=people["teacher_rubi"]))
    assert "কাঠি গুনে যোগ" in texts


def test_the_usage_counter_goes_up_and_down_but_never_below_zero(people, content):
    content_use_recorded(content_id=content.pk)
    content_use_recorded(content_id=content.pk)
    assert used(content) == 2
    content_use_removed(content_id=content.pk)
    content_use_removed(content_id=content.pk)
    content_use_removed(content_id=content.pk)
    assert used(content) == 0
    content_use_recorded(content_id=10**9)  # a content that is gone: nothing happens


# ---------------------------------------------------------------- the rules


def test_the_ongoing_rule_counts_a_content_as_a_thing_practised(people, places, content):
    practice = Practice(people, places)
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0)
    practice.record(rubi, activity=0)
    PracticeRecordFactory(teacher=rubi, activity=None, module=None, family=None, content=content)
    practice.meeting(rubi)
    status = ongoing_evaluate(teacher=rubi)
    assert status.counts["records"] == 3 and status.counts["activities"] == 2
    assert status.is_ongoing and status.rule_version == 1


def test_two_records_of_one_content_are_one_thing_practised(people, places, content):
    rubi = people["teacher_rubi"]
    for _n in range(3):
        PracticeRecordFactory(teacher=rubi, activity=None, module=None, family=None, content=content)
    today = dhaka_today()
    numbers = _counts_for([rubi.pk], start=today - dt.timedelta(days=59), end=today)[rubi.pk]
    assert numbers["records"] == 3 and numbers["activities"] == 1


def test_the_rule_sentence_names_library_contents(people):
    from shikhon.practice.rules import ongoing_rule

    assert "library contents" in ongoing_rule().sentence()


def test_the_certificate_of_practice_counts_only_course_records(people, places, content):
    practice = Practice(people, places)
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0)
    PracticeRecordFactory(teacher=rubi, activity=None, module=None, family=None, content=content)
    assert practice_families_of(rubi) == [practice.course.family]


# ---------------------------------------------------------------- history and the champions' read


def test_her_history_has_a_library_contents_group(people, content, activity, django_assert_num_queries):
    rubi = people["teacher_rubi"]
    record(rubi, content)
    other = ContentFactory(author=people["head_teacher_masuma"], published=True, title="ক খেলা")
    services.plan_create(actor=rubi, content=other, grade=1, planned_on=dhaka_today() + dt.timedelta(days=3))
    services.plan_create(actor=rubi, activity=activity, grade=1, planned_on=dhaka_today())
    with django_assert_num_queries(2):
        history = log_selectors.history_of(rubi)
    # By title, as Python orders code points: "ক খেলা" (a space after ক) before "কাঠি গুনে যোগ".
    assert [c.content.title for c in history.contents] == ["ক খেলা", "কাঠি গুনে যোগ"]
    assert len(history.contents[0].plans) == 1 and len(history.contents[1].records) == 1
    assert len(history.courses) == 1


def test_content_uses_between_counts_distinct_teachers_in_one_query(people, content, colleague,
                                                                    django_assert_num_queries):
    rubi = people["teacher_rubi"]
    today = dhaka_today()
    other = ContentFactory(author=people["head_teacher_masuma"], published=True)
    for _n in range(2):  # the same teacher twice: one teacher
        PracticeRecordFactory(teacher=rubi, activity=None, module=None, family=None, content=content)
    PracticeRecordFactory(teacher=colleague, activity=None, module=None, family=None, content=content,
                          taught_on=today - dt.timedelta(days=3))
    PracticeRecordFactory(teacher=colleague, activity=None, module=None, family=None, content=other,
                          taught_on=today - dt.timedelta(days=10))  # before the window
    PracticeRecordFactory(teacher=rubi, activity=None, module=None, family=None, content=other,
                          outcome="not_working", rating=None, why_not="সময় কম")  # not a use
    PracticeRecordFactory(teacher=rubi)  # an activity's record
    with django_assert_num_queries(1):
        uses = content_uses_between(start=today - dt.timedelta(days=6), end=today)
    assert uses == {content.pk: 2}
    assert content_uses_between(start=today - dt.timedelta(days=13), end=today) == {content.pk: 2, other.pk: 1}
    assert content_uses_between(start=today + dt.timedelta(days=1), end=today + dt.timedelta(days=7)) == {}
    assert uses_of_content(content) == 3 and uses_of_content(other) == 1


def test_content_uses_between_includes_both_ends_of_the_week(people, content, colleague):
    """The champions ask for a week as `start=<Sunday>, end=<Saturday>`: a use on the Sunday and one on the
    Saturday both count; the Saturday before and the Sunday after do not."""
    sunday = dt.date(2026, 11, 22)
    saturday = sunday + dt.timedelta(days=6)
    assert sunday.weekday() == 6 and saturday.weekday() == 5
    other = ContentFactory(author=people["head_teacher_masuma"], published=True)
    PracticeRecordFactory(teacher=people["teacher_rubi"], activity=None, module=None, family=None, content=content,
                          taught_on=sunday)
    PracticeRecordFactory(teacher=colleague, activity=None, module=None, family=None, content=other,
                          taught_on=saturday)
    PracticeRecordFactory(teacher=colleague, activity=None, module=None, family=None, content=content,
                          taught_on=sunday - dt.timedelta(days=1))
    PracticeRecordFactory(teacher=people["teacher_rubi"], activity=None, module=None, family=None, content=other,
                          taught_on=saturday + dt.timedelta(days=1))
    assert content_uses_between(start=sunday, end=saturday) == {content.pk: 1, other.pk: 1}
    assert content_uses_between(start=sunday, end=sunday) == {content.pk: 1}
    assert content_uses_between(start=saturday, end=saturday) == {other.pk: 1}
