"""The cached activity of a published course (`outline.activity_with_course`): read from the cache with its
module, the course row always fresh; a retired version and an edited activity show what is true now."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.courses import authoring, outline
from shikhon.courses.models import Activity, Course
from shikhon.courses.tests.factories import course_with_content


@pytest.fixture
def course(db):
    return course_with_content(modules=2, activities=2, title="আনন্দে গণিত শিখি", slug="anonde-gonit")


def first_activity(course: Course) -> Activity:
    return Activity.objects.filter(module__course=course).order_by("module__position", "position").first()


def test_a_published_activity_is_cached_and_its_course_read_fresh(course, django_assert_num_queries):
    activity = first_activity(course)
    with django_assert_num_queries(1):
        first = outline.activity_with_course(activity.pk)
    assert first.module.course == course
    with django_assert_num_queries(1):  # the course row only
        again = outline.activity_with_course(activity.pk)
        assert (again.title, again.module.pk, again.module.course.pk) == (activity.title, activity.module_id, course.pk)
        assert again.video is None
    assert outline.activity_with_course(10**9) is None


def test_a_draft_activity_is_not_cached(db, django_assert_num_queries):
    draft = course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)
    activity = first_activity(draft)
    outline.activity_with_course(activity.pk)
    Activity.objects.filter(pk=activity.pk).update(title="নতুন")
    assert outline.activity_with_course(activity.pk).title == "নতুন"


def test_an_edited_activity_or_module_is_read_again(course):
    activity = first_activity(course)
    outline.activity_with_course(activity.pk)
    activity.title = "বদলানো কাজ"
    activity.save()
    assert outline.activity_with_course(activity.pk).title == "বদলানো কাজ"
    module = activity.module
    module.title = "বদলানো মডিউল"
    module.save()
    assert outline.activity_with_course(activity.pk).module.title == "বদলানো মডিউল"


def test_a_retired_version_shows_its_new_status(client, people, course):
    """Publishing the next version retires this one by a bulk update no receiver sees: the cached activity
    still answers with the course as it is now, so a teacher who never enrolled no longer opens it."""
    activity = first_activity(course)
    client.force_login(people["teacher_rubi"])
    url = reverse("courses:activity", kwargs={"pk": activity.pk})
    assert client.get(url).status_code == 200  # cached now
    admin, author = people["national_admin_nasrin"], people["course_author_shirin"]
    course.created_by = author
    course.save(update_fields=["created_by"])
    draft = authoring.course_new_version(actor=author, course=course)
    authoring.course_submit(actor=author, course=draft)
    authoring.course_publish(actor=admin, course=draft)
    assert Course.objects.get(pk=course.pk).status == Course.Status.RETIRED
    assert outline.activity_with_course(activity.pk).module.course.status == Course.Status.RETIRED
    assert client.get(url).status_code == 404
