"""Services of a teacher studying: enrolment, unlocking, progress, continue, her enrolments."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shikhon.courses import selectors, services
from shikhon.courses.models import ActivityProgress, Course, Enrolment, QuizAttempt
from shikhon.courses.tests.factories import course_with_content, do_activities


@pytest.fixture
def course(db):
    return course_with_content(modules=3, activities=2)


def first_activity(course, module_index=0):
    return list(course.modules.all())[module_index].activities.all()[0]


def pass_module(teacher, course, module_index):
    """Finish a module: do its activities (its quiz waits for them), then pass its quiz by answering every
    question correctly."""
    quiz = list(course.modules.all())[module_index].quiz
    do_activities(teacher, quiz.module)
    attempt = services.quiz_attempt_start(actor=teacher, quiz=quiz)
    answers = {}
    for question, choices in selectors.attempt_questions(attempt):
        if question.kind == "numeric":
            answers[str(question.pk)] = [str(question.numeric_answer)]
        else:
            answers[str(question.pk)] = [str(c.pk) for c in choices if c.is_correct]
    return services.quiz_attempt_submit(actor=teacher, attempt=attempt, answers=answers)


def test_enrol_copies_school_places_and_is_idempotent(people, places, course):
    rubi = people["teacher_rubi"]
    first = services.enrolment_create(actor=rubi, course=course)
    school = places["school_hatia"]
    assert first.school_id == school.pk
    assert first.upazila_id == school.upazila_id
    assert first.district_id is not None and first.division_id is not None
    assert first.family == course.family
    again = services.enrolment_create(actor=rubi, course=course)
    assert again.pk == first.pk
    assert Enrolment.objects.filter(user=rubi).count() == 1


def test_enrol_in_another_version_returns_the_existing_enrolment(people, course):
    rubi = people["teacher_rubi"]
    first = services.enrolment_create(actor=rubi, course=course)
    course.status = Course.Status.RETIRED
    course.save()
    newer = course_with_content(modules=1, family=course.family, version=2, slug=course.slug)
    assert services.enrolment_create(actor=rubi, course=newer).pk == first.pk


def test_enrol_without_a_school_role_keeps_places_empty(people, course):
    enrolment = services.enrolment_create(actor=people["no_role_user"], course=course)
    assert enrolment.school_id is None and enrolment.upazila_id is None


@pytest.mark.parametrize("status", [Course.Status.DRAFT, Course.Status.REVIEW, Course.Status.RETIRED])
def test_enrol_refuses_unpublished_courses(people, status):
    course = course_with_content(modules=1, status=status)
    with pytest.raises(ValidationError) as err:
        services.enrolment_create(actor=people["teacher_rubi"], course=course)
    assert err.value.code == "not_published"
    assert not Enrolment.objects.exists()


def test_enrol_requires_prerequisites_completed(people, course):
    rubi = people["teacher_rubi"]
    advanced = course_with_content(modules=1, title="Advanced")
    advanced.prerequisites.add(course)
    with pytest.raises(ValidationError) as err:
        services.enrolment_create(actor=rubi, course=advanced)
    assert err.value.code == "prerequisites"
    assert course.title in err.value.messages[0]
    enrolment = services.enrolment_create(actor=rubi, course=course)
    enrolment.completed_at = enrolment.enrolled_at
    enrolment.save()
    assert services.enrolment_create(actor=rubi, course=advanced).course == advanced


def test_progress_requires_enrolment(people, course):
    with pytest.raises(ValidationError) as err:
        services.activity_progress_record(actor=people["teacher_rubi"], activity=first_activity(course), done=True)
    assert err.value.code == "not_enrolled"
    assert not ActivityProgress.objects.exists()


def test_progress_max_wins_and_done_is_sticky(people, course):
    rubi = people["teacher_rubi"]
    enrolment = services.enrolment_create(actor=rubi, course=course)
    activity = first_activity(course)
    services.activity_progress_record(actor=rubi, activity=activity, watched_percent=50)
    p = services.activity_progress_record(actor=rubi, activity=activity, watched_percent=25)
    assert p.watched_percent == 50
    p = services.activity_progress_record(actor=rubi, activity=activity, done=True)
    done_at = p.done_at
    assert done_at is not None
    p = services.activity_progress_record(actor=rubi, activity=activity, watched_percent=75, done=False)
    assert p.done_at == done_at and p.watched_percent == 75
    enrolment.refresh_from_db()
    assert enrolment.last_activity == activity and enrolment.last_seen_at is not None
    assert ActivityProgress.objects.count() == 1


@pytest.mark.parametrize("bad", [-1, 101, True, "50"])
def test_progress_refuses_bad_percent(people, course, bad):
    rubi = people["teacher_rubi"]
    services.enrolment_create(actor=rubi, course=course)
    with pytest.raises(ValidationError) as err:
        services.activity_progress_record(actor=rubi, activity=first_activity(course), watched_percent=bad)
    assert err.value.code == "invalid_percent"
    assert not ActivityProgress.objects.exists()


def test_modules_unlock_one_after_another(people, course):
    rubi = people["teacher_rubi"]
    enrolment = services.enrolment_create(actor=rubi, course=course)
    states = selectors.module_states(enrolment)
    assert [s.unlocked for s in states] == [True, False, False]
    with pytest.raises(ValidationError) as err:
        services.activity_progress_record(actor=rubi, activity=first_activity(course, 1), done=True)
    assert err.value.code == "locked"
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_start(actor=rubi, quiz=list(course.modules.all())[1].quiz)
    assert err.value.code == "locked"
    with pytest.raises(ValidationError) as err:  # module 1's quiz waits for module 1's activities
        services.quiz_attempt_start(actor=rubi, quiz=list(course.modules.all())[0].quiz)
    assert err.value.code == "activities_not_done"
    assert pass_module(rubi, course, 0).passed
    states = selectors.module_states(enrolment)
    assert [s.unlocked for s in states] == [True, True, False]
    assert [s.passed for s in states] == [True, False, False]
    assert [s.finished for s in states] == [True, False, False]
    services.activity_progress_record(actor=rubi, activity=first_activity(course, 1), done=True)


def test_continue_url_goes_where_she_left_off(people, course):
    rubi = people["teacher_rubi"]
    enrolment = services.enrolment_create(actor=rubi, course=course)
    module = list(course.modules.all())[0]
    a1, a2 = list(module.activities.all())
    assert selectors.continue_url(enrolment) == a1.get_absolute_url()
    services.activity_progress_record(actor=rubi, activity=a2, watched_percent=30)
    enrolment.refresh_from_db()
    assert selectors.continue_url(enrolment) == a2.get_absolute_url()
    services.activity_progress_record(actor=rubi, activity=a2, done=True)
    enrolment.refresh_from_db()
    assert selectors.continue_url(enrolment) == a1.get_absolute_url()
    services.activity_progress_record(actor=rubi, activity=a1, done=True)
    enrolment.refresh_from_db()
    assert selectors.continue_url(enrolment) == module.quiz.get_absolute_url()
    pass_module(rubi, course, 0)
    enrolment.refresh_from_db()
    assert selectors.continue_url(enrolment) == first_activity(course, 1).get_absolute_url()


def test_learner_enrolments_bounded_queries(people, django_assert_max_num_queries):
    rubi = people["teacher_rubi"]
    courses = [course_with_content(modules=2, activities=1) for _ in range(4)]
    for course in courses:
        services.enrolment_create(actor=rubi, course=course)
    pass_module(rubi, courses[0], 0)
    with django_assert_max_num_queries(4):
        rows = selectors.learner_enrolments(rubi)
    assert len(rows) == 4
    row = next(r for r in rows if r.slug == courses[0].slug)
    assert (row.modules_passed, row.modules_total, row.completed) == (1, 2, False)
    assert row.next_url == reverse("courses:continue", kwargs={"slug": courses[0].slug})
    assert row.title == courses[0].title


def test_catalogue_lists_published_versions_and_filters(people):
    maths = course_with_content(modules=1, title="Maths fun", grade_from=1, grade_to=2)
    bangla = course_with_content(modules=1, title="Bangla letters", subject="bangla", grade_from=3, grade_to=5)
    course_with_content(modules=1, title="Draft maths", status=Course.Status.DRAFT)
    assert set(selectors.published_catalogue()) == {maths, bangla}
    assert list(selectors.published_catalogue(query="maths")) == [maths]
    assert list(selectors.published_catalogue(subject="bangla")) == [bangla]
    assert list(selectors.published_catalogue(grade=4)) == [bangla]
    assert QuizAttempt.objects.count() == 0
