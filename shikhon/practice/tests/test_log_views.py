"""The practice log's pages: who sees what (hidden answers 404), the forms without JavaScript, bad input as
sentences, the history page's queries bounded, and the courses side (what an activity needs in class, "Try it in
your class", the next step after a module)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shikhon.core.clock import dhaka_today
from shikhon.courses import services as learning
from shikhon.courses.tests.factories import course_with_content
from shikhon.practice.models import Encouragement, PracticePlan, PracticeRecord
from shikhon.practice.tests.factories import PracticePlanFactory, PracticeRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course() -> Any:
    return course_with_content(modules=2, activities=2)


@pytest.fixture
def activity(course: Any) -> Any:
    return course.modules.order_by("position").first().activities.order_by("position").first()


@pytest.fixture
def rubi_record(people, activity) -> PracticeRecord:
    return PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)


@pytest.fixture
def rubi_plan(people, activity) -> PracticePlan:
    return PracticePlanFactory(teacher=people["teacher_rubi"], activity=activity)


def as_(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


ROLES = [("teacher_rubi", 200), ("head_teacher_masuma", 200), ("teacher_of_other_school", 404),
         ("officer_hatia", 200), ("mentor_hatia", 200), ("officer_other_upazila", 404), ("researcher_tanvir", 404),
         ("national_admin_nasrin", 200), ("no_role_user", 404)]


@pytest.mark.parametrize("who, status", ROLES)
def test_record_page(client, people, rubi_record, who, status):
    assert as_(client, people[who]).get(rubi_record.get_absolute_url()).status_code == status


@pytest.mark.parametrize("who, status", ROLES)
def test_plan_page(client, people, rubi_plan, who, status):
    assert as_(client, people[who]).get(rubi_plan.get_absolute_url()).status_code == status


def test_colleague_sees_shared_record_only(client, people, activity, colleague, rubi_record):
    hidden = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity, shared_with_circle=False)
    as_(client, colleague)
    page = client.get(rubi_record.get_absolute_url())
    assert page.status_code == 200 and "👍" in page.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("raw", ["0", "99999999", "abc"])
def test_missing_rows_are_404(client, people, raw):
    as_(client, people["teacher_rubi"])
    assert client.get(f"/practice/records/{raw}/").status_code == 404
    assert client.get(f"/practice/plans/{raw}/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, rubi_record):
    assert client.get(rubi_record.get_absolute_url()).status_code == 302


# ---------------------------------------------------------------- plan form


def test_plan_form_prefilled_from_the_activity(client, people, activity):
    page = as_(client, people["teacher_rubi"]).get(reverse("practice:plan_new") + f"?activity={activity.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and "পাথর" in html and 'data-outbox-kind="practice_plan"' in html
    assert len(page.content) < 14 * 1024


@pytest.mark.parametrize("query", ["", "?activity=0", "?activity=abc", "?activity=99999999"])
def test_plan_form_without_an_activity_says_what_to_do(client, people, query):
    page = as_(client, people["teacher_rubi"]).get(reverse("practice:plan_new") + query)
    assert page.status_code == 200 and "Choose an activity" in page.content.decode()


def plan_post(activity: Any, /, **changes: str) -> dict[str, str]:
    data = {"client_id": str(uuid.uuid4()), "activity": str(activity.pk), "grade": "2", "section": "ক",
            "planned_on": (dhaka_today() + dt.timedelta(days=2)).strftime("%d/%m/%Y"), "materials": "নুড়ি"}
    data.update(changes)
    return data


def test_plan_form_saves_once(client, people, activity):
    as_(client, people["teacher_rubi"])
    data = plan_post(activity, planned_on="০৫/১২/২০২৬" if dhaka_today() <= dt.date(2026, 12, 5) else
                     (dhaka_today() + dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    first = client.post(reverse("practice:plan_new"), data)
    second = client.post(reverse("practice:plan_new"), data)
    plan = PracticePlan.objects.get()
    assert first.status_code == 302 and first["Location"] == plan.get_absolute_url()
    assert second["Location"] == plan.get_absolute_url()


@pytest.mark.parametrize("changes, sentence", [
    ({"planned_on": "99/99/9999"}, "This is not a date"),
    ({"planned_on": (dhaka_today() + dt.timedelta(days=400)).strftime("%d/%m/%Y")}, "at most a year ahead"),
    ({"grade": "13"}, "Choose the class"),
    ({"grade": ""}, "Choose the class"),
    ({"activity": "0"}, "Choose an activity to try"),
    ({"activity": "99999999"}, "Choose an activity to try"),
    ({"client_id": "x"}, "could not be read"),
    ({"materials": "ক" * 1001}, "1000"),
])
def test_plan_form_bad_input(client, people, activity, changes, sentence):
    page = as_(client, people["teacher_rubi"]).post(reverse("practice:plan_new"), plan_post(activity, **changes))
    assert page.status_code == 200
    assert sentence in page.content.decode().replace("১০০০", "1000")
    assert not PracticePlan.objects.exists()


# ---------------------------------------------------------------- record form


def record_post(activity: Any, /, **changes: str) -> dict[str, str]:
    data = {"client_id": str(uuid.uuid4()), "activity": str(activity.pk), "outcome": "taught",
            "taught_on": dhaka_today().strftime("%d/%m/%Y"), "grade": "2", "section": "ক",
            "learners_present": "২৮", "minutes": "35", "rating": "4", "what_worked": "জোড়ায় গোনা",
            "what_to_change": "", "why_not": "", "shared_with_circle": "on"}
    data.update(changes)
    return data


def test_record_from_a_plan(client, people, rubi_plan):
    as_(client, people["teacher_rubi"])
    page = client.get(reverse("practice:record_new") + f"?plan={rubi_plan.pk}")
    assert page.status_code == 200 and 'data-outbox-kind="practice_record"' in page.content.decode()
    assert len(page.content) < 14 * 1024
    answer = client.post(reverse("practice:record_new"), record_post(rubi_plan.activity, plan=str(rubi_plan.pk)))
    record = PracticeRecord.objects.get()
    assert answer["Location"] == record.get_absolute_url() and record.learners_present == 28
    rubi_plan.refresh_from_db()
    assert rubi_plan.state == PracticePlan.State.TAUGHT and record.plan == rubi_plan


def test_record_standalone_and_a_second_tap(client, people, activity):
    as_(client, people["teacher_rubi"])
    data = record_post(activity)
    client.post(reverse("practice:record_new"), data)
    again = client.post(reverse("practice:record_new"), data)
    assert PracticeRecord.objects.count() == 1 and again["Location"] == PracticeRecord.objects.get().get_absolute_url()


def test_someone_elses_plan_is_not_recorded(client, people, rubi_plan):
    as_(client, people["head_teacher_masuma"])
    page = client.post(reverse("practice:record_new"), record_post(rubi_plan.activity, plan=str(rubi_plan.pk)))
    assert page.status_code == 200 and "This plan was not found" in page.content.decode()
    assert not PracticeRecord.objects.exists()


@pytest.mark.parametrize("changes, sentence", [
    ({"taught_on": (dhaka_today() + dt.timedelta(days=1)).strftime("%d/%m/%Y")}, "in the future"),
    ({"outcome": "not_working", "rating": "", "why_not": ""}, "Write why it did not work"),
    ({"outcome": "taught", "rating": ""}, "Choose how it went"),
    ({"outcome": "other"}, "Choose what happened"),
    ({"rating": "9"}, "Choose how it went"),
    ({"learners_present": "-99999999"}, "0"),
    ({"minutes": "abc"}, "whole number"),
    ({"taught_on": "31/02/2026"}, "This is not a date"),
])
def test_record_form_bad_input(client, people, activity, changes, sentence):
    page = as_(client, people["teacher_rubi"]).post(reverse("practice:record_new"), record_post(activity, **changes))
    assert page.status_code == 200 and sentence in page.content.decode()
    assert not PracticeRecord.objects.exists()


def test_record_without_school_role_gets_a_sentence(client, people, activity):
    page = as_(client, people["no_role_user"]).post(reverse("practice:record_new"), record_post(activity))
    assert page.status_code == 200 and "no current school role" in page.content.decode()


# ---------------------------------------------------------------- acknowledge, encourage


def test_head_teacher_acknowledges(client, people, rubi_record):
    as_(client, people["head_teacher_masuma"])
    page = client.get(rubi_record.get_absolute_url())
    assert "Acknowledge this practice" in page.content.decode()
    assert client.post(reverse("practice:acknowledge", args=[rubi_record.pk])).status_code == 302
    rubi_record.refresh_from_db()
    assert rubi_record.acknowledged_by == people["head_teacher_masuma"]


@pytest.mark.parametrize("who, status", [("teacher_rubi", 403), ("teacher_of_other_school", 404),
                                         ("officer_other_upazila", 404), ("researcher_tanvir", 404)])
def test_acknowledge_refused(client, people, rubi_record, who, status):
    assert as_(client, people[who]).post(reverse("practice:acknowledge", args=[rubi_record.pk])).status_code == status
    rubi_record.refresh_from_db()
    assert rubi_record.acknowledged_at is None


def test_colleague_encourages(client, people, colleague, rubi_record):
    as_(client, colleague)
    client.post(reverse("practice:encourage", args=[rubi_record.pk]), {"comment": "দারুণ!"})
    page = client.get(rubi_record.get_absolute_url())
    assert Encouragement.objects.get().comment == "দারুণ!" and "দারুণ!" in page.content.decode()


def test_encourage_refused(client, people, rubi_record):
    assert as_(client, people["teacher_rubi"]).post(reverse("practice:encourage", args=[rubi_record.pk]),
                                                    {"comment": "x"}).status_code == 403
    assert as_(client, people["teacher_of_other_school"]).post(
        reverse("practice:encourage", args=[rubi_record.pk]), {"comment": "x"}).status_code == 404
    assert not Encouragement.objects.exists()


def test_encourage_too_long_is_a_sentence(client, people, colleague, rubi_record):
    as_(client, colleague)
    page = client.post(reverse("practice:encourage", args=[rubi_record.pk]), {"comment": "ক" * 300}, follow=True)
    assert page.status_code == 200 and not Encouragement.objects.exists()


# ---------------------------------------------------------------- history


def correct_fields(attempt: Any) -> dict[str, list[str]]:
    from shikhon.courses.models import Question

    fields: dict[str, list[str]] = {}
    for question in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices"):
        if question.kind == Question.Kind.NUMERIC:
            fields[f"q{question.pk}"] = ["১২"]
        else:
            fields[f"q{question.pk}"] = [str(c.pk) for c in question.choices.all() if c.is_correct]
    return fields


def test_history_and_continue(client, people, course):
    rubi = people["teacher_rubi"]
    enrolment = learning.enrolment_create(actor=rubi, course=course)
    first = course.modules.order_by("position").first()
    from shikhon.courses.tests.factories import do_activities

    do_activities(rubi, first)
    quiz = first.quiz
    attempt = learning.quiz_attempt_start(actor=rubi, quiz=quiz)
    learning.quiz_attempt_submit(actor=rubi, attempt=attempt,
                                 answers=learning.answers_from_fields(correct_fields(attempt)))
    assert enrolment.pk
    activities = list(first.activities.order_by("position"))
    PracticeRecordFactory(teacher=rubi, activity=activities[0])
    page = as_(client, rubi).get(reverse("practice:history"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"?activity={activities[1].pk}" in html  # the first activity of a finished module not tried yet
    assert "You finished the module" in html


def test_history_queries_bounded(client, people, course, django_assert_max_num_queries):
    rubi = people["teacher_rubi"]
    learning.enrolment_create(actor=rubi, course=course)
    as_(client, rubi)
    client.get(reverse("practice:history"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("practice:history"))
    activities = [a for m in course.modules.all() for a in m.activities.all()]
    for activity in activities:
        for _ in range(3):
            PracticeRecordFactory(teacher=rubi, activity=activity)
        PracticePlanFactory(teacher=rubi, activity=activity)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = client.get(reverse("practice:history"))
    assert page.status_code == 200 and len(many.captured_queries) <= len(few.captured_queries)


# ---------------------------------------------------------------- courses side


def test_activity_page_says_what_it_needs_and_links_to_plan(client, people, activity):
    html = as_(client, people["teacher_rubi"]).get(activity.get_absolute_url()).content.decode()
    assert "What it needs in class" in html and "No computer or projector needed." in html
    assert reverse("practice:plan_new") + f"?activity={activity.pk}" in html


def test_activity_needing_a_projector_does_not_say_none(client, people, activity):
    activity.materials = "প্রজেক্টর\nচক"
    activity.save()
    html = as_(client, people["teacher_rubi"]).get(activity.get_absolute_url()).content.decode()
    assert "No computer or projector needed." not in html and "প্রজেক্টর" in html


def test_support_page_linked_for_head_teachers(client, people, course):
    html = as_(client, people["head_teacher_masuma"]).get(course.get_absolute_url()).content.decode()
    support = reverse("practice:support", args=[course.slug])
    assert support in html
    page = client.get(support)
    assert page.status_code == 200 and "monthly meeting" in page.content.decode()
    assert support not in as_(client, people["teacher_rubi"]).get(course.get_absolute_url()).content.decode()
    assert client.get(reverse("practice:support", args=["no-such-course"])).status_code == 404
