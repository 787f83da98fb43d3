"""Who sees what on the learning pages: hidden answers 404; query counts stay bounded as data grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shikhon.courses import services
from shikhon.courses.models import Course, QuizAttempt
from shikhon.courses.tests.factories import course_with_content, do_activities


@pytest.fixture
def course(db):
    return course_with_content(modules=2, activities=2)


def urls_of(course):
    module = course.modules.all()[0]
    activity = module.activities.all()[0]
    return [reverse("courses:detail", args=[course.slug]), reverse("courses:module", args=[module.pk]),
            reverse("courses:activity", args=[activity.pk]), reverse("courses:quiz", args=[module.quiz.pk]),
            reverse("courses:activity_sheet", args=[activity.pk]),
            reverse("courses:short_code", args=[activity.short_code])]


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "teacher_subarnachar", "mentor_hatia",
                                 "officer_hatia", "national_admin_nasrin", "researcher_tanvir", "no_role_user"])
def test_published_course_is_open_to_everyone_signed_in(client, people, course, who):
    client.force_login(people[who])
    for url in urls_of(course)[:4]:
        assert client.get(url).status_code == 200, url


def test_signed_out_reads_the_catalogue_and_course_and_signs_in_for_the_rest(client, course):
    """The catalogue and the course page are public; its module, activity, quiz, sheet and code pages send a
    visitor to sign in, and so does every write."""
    for url in (reverse("courses:catalogue"), reverse("courses:detail", args=[course.slug])):
        assert client.get(url).status_code == 200, url
    for url in urls_of(course)[1:]:
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response["Location"], url
    quiz = course.modules.all()[0].quiz
    for url in (reverse("courses:enrol", args=[course.slug]), reverse("courses:quiz_start", args=[quiz.pk])):
        response = client.post(url)
        assert response.status_code == 302 and "sign-in" in response["Location"], url


@pytest.mark.parametrize("status", [Course.Status.DRAFT, Course.Status.REVIEW, Course.Status.RETIRED])
def test_unpublished_course_is_404_for_teachers(client, people, status):
    course = course_with_content(modules=1, activities=1, status=status)
    client.force_login(people["teacher_rubi"])
    for url in urls_of(course):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("courses:enrol", args=[course.slug])).status_code == 404
    quiz = course.modules.all()[0].quiz
    assert client.post(reverse("courses:quiz_start", args=[quiz.pk])).status_code == 404


def test_authors_may_preview_drafts(client, people):
    course = course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)
    client.force_login(people["course_author_shirin"])
    for url in urls_of(course)[:4]:
        assert client.get(url).status_code == 200, url


def test_retired_version_stays_open_to_the_one_enrolled(client, people, course):
    rubi = people["teacher_rubi"]
    services.enrolment_create(actor=rubi, course=course)
    course.status = Course.Status.RETIRED
    course.save()
    newer = course_with_content(modules=1, activities=1, family=course.family, version=2, slug=course.slug,
                                title="Newer version")
    client.force_login(rubi)
    for url in urls_of(course)[1:4]:
        assert client.get(url).status_code == 200, url
    detail = client.get(reverse("courses:detail", args=[course.slug])).text
    assert course.title in detail and "A newer version of this course exists" in detail
    # She still records progress in her version.
    activity = course.modules.all()[0].activities.all()[0]
    client.post(reverse("courses:activity_progress", args=[activity.pk]), {"done": "1"})
    assert rubi.enrolments.get().progress.filter(done_at__isnull=False).count() == 1
    # Someone else sees the newer version; the retired one is hidden from her.
    client.force_login(people["teacher_of_other_school"])
    assert "Newer version" in client.get(reverse("courses:detail", args=[course.slug])).text
    assert client.get(urls_of(course)[1]).status_code == 404
    assert client.get(urls_of(newer)[1]).status_code == 200


def test_another_teachers_attempt_is_404(client, people, course):
    rubi = people["teacher_rubi"]
    services.enrolment_create(actor=rubi, course=course)
    do_activities(rubi, course.modules.all()[0])
    attempt = services.quiz_attempt_start(actor=rubi, quiz=course.modules.all()[0].quiz)
    for who in ("teacher_of_other_school", "head_teacher_masuma", "officer_hatia", "national_admin_nasrin"):
        client.force_login(people[who])
        assert client.get(attempt.get_absolute_url()).status_code == 404, who
        assert client.post(reverse("courses:attempt_submit", args=[attempt.pk]), {}).status_code == 404, who
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_get_is_not_allowed_on_writes(client, people, course):
    client.force_login(people["teacher_rubi"])
    activity = course.modules.all()[0].activities.all()[0]
    assert client.get(reverse("courses:activity_progress", args=[activity.pk])).status_code == 405
    assert client.get(reverse("courses:enrol", args=[course.slug])).status_code == 405


# ------------------------------------------------------------------------------------------ query counts

def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_data(client, people, django_assert_max_num_queries):
    rubi = people["teacher_rubi"]
    client.force_login(rubi)
    warm = course_with_content(modules=2, activities=1)
    small = course_with_content(modules=2, activities=1)
    big = course_with_content(modules=6, activities=5)
    for _ in range(25):
        course_with_content(modules=1, activities=1)
    counts = {}
    # The first pages of her session read her person and scope into the cache (people.usercache); the
    # "warm" course takes those reads, so small and big compare like for like.
    for name, course in (("warm", warm), ("small", small), ("big", big)):
        enrolment = services.enrolment_create(actor=rubi, course=course)
        module = course.modules.all()[0]
        for activity in module.activities.all():
            services.activity_progress_record(actor=rubi, activity=activity, done=True)
        attempt = services.quiz_attempt_start(actor=rubi, quiz=module.quiz)
        counts[name] = {
            "detail": count_queries(client, reverse("courses:detail", args=[course.slug])),
            "module": count_queries(client, module.get_absolute_url()),
            "activity": count_queries(client, module.activities.all()[0].get_absolute_url()),
            "attempt": count_queries(client, attempt.get_absolute_url()),
            "quiz": count_queries(client, reverse("courses:quiz", args=[module.quiz.pk])),
        }
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers={})
        counts[name]["result"] = count_queries(client, attempt.get_absolute_url())
        assert enrolment.pk
    assert counts["small"] == counts["big"], counts
    for page, n in counts["big"].items():
        assert n <= 14, (page, n)
    with django_assert_max_num_queries(10):
        client.get(reverse("courses:catalogue"))
    with django_assert_max_num_queries(10):
        client.get(reverse("courses:catalogue"), {"page": "2"})
    assert QuizAttempt.objects.count() == 3  # warm, small, big: reading pages started nothing
