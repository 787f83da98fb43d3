"""Courses for everyone: the public catalogue and course page (visitors, teachers, 404s, query counts), the
sample video, grades as read, and web address names made from Bangla titles."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from shikhon.courses import authoring, slugs
from shikhon.courses.grades import grades_label
from shikhon.courses.models import Course
from shikhon.courses.tests.factories import CourseFactory, course_with_content


@pytest.fixture
def course(db):
    return course_with_content(modules=2, activities=2, title="আনন্দে গণিত শিখি", slug="anonde-gonit-shikhi",
                               grade_from=3, grade_to=3, estimated_hours=6)


def test_a_visitor_reads_the_catalogue_and_the_course(client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        catalogue = client.get(reverse("courses:catalogue")).text
    assert course.title in catalogue and course.get_absolute_url() in catalogue
    client.get(course.get_absolute_url())  # the public outline into the cache
    with django_assert_max_num_queries(3):
        page = client.get(course.get_absolute_url()).text
    for title in ("কাজ 1.1", "কাজ 2.2", "মডিউল 1", "মডিউল 2"):
        assert title in page
    assert "eligible for the face-to-face training" in page
    assert f"{reverse('people:sign_in')}?next=%2Fcourses%2Fanonde-gonit-shikhi%2F" in page
    assert f"{reverse('people:register')}?next=%2Fcourses%2Fanonde-gonit-shikhi%2F" in page
    assert 'name="enrol"' not in page  # no form: the button leads to sign-in
    assert "sessionid" not in client.cookies


@pytest.mark.parametrize("slug", ["missing", "x" * 200, "bad slug", "%00"])
def test_a_visitor_gets_404_for_missing_or_malformed(client, course, slug):
    assert client.get(f"/courses/{slug}/").status_code == 404


@pytest.mark.parametrize("status", [Course.Status.DRAFT, Course.Status.REVIEW, Course.Status.RETIRED])
def test_a_visitor_gets_404_for_an_unpublished_version(client, db, status):
    hidden = course_with_content(modules=1, activities=1, status=status)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_a_teacher_sees_the_same_page_with_her_progress(client, people, course):
    client.force_login(people["teacher_rubi"])
    page = client.get(course.get_absolute_url()).text
    assert 'name="enrol"' in page and "কাজ 1.1" in page
    from shikhon.courses import services

    services.enrolment_create(actor=people["teacher_rubi"], course=course)
    page = client.get(course.get_absolute_url()).text
    assert 'name="enrol"' not in page and "activities done" in page


def _video(name):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from shikhon.media.models import Video

    stored = default_storage.save(f"videos/{name}/low.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"0" * 100))
    return Video.objects.create(status=Video.Status.READY, low=stored, width=426, height=240)


def test_the_sample_is_the_first_activitys_video_and_only_it_is_public(client, course, media_root):
    ready_video, other = _video("first"), _video("other")
    first = course.modules.order_by("position").first().activities.order_by("position").first()
    first.video = ready_video
    first.save()
    second = course.modules.order_by("position").last().activities.first()
    second.video = other
    second.save()
    page = client.get(course.get_absolute_url()).text
    assert ready_video.low_url in page
    assert client.get(ready_video.low_url).status_code == 200
    assert client.get(other.low_url).status_code == 404
    # A draft's first video is not public either.
    draft = course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)
    lone = draft.modules.get().activities.get()
    lone.video = other
    lone.save()
    assert client.get(other.low_url).status_code == 404


@pytest.mark.parametrize("first, last, bn, en", [
    (3, 3, "Grade ৩য়", "Grade 3"), (1, 2, "Grades ১ম–২য়", "Grades 1–2"), (4, 6, "Grades ৪র্থ–৬ষ্ঠ", "Grades 4–6"),
])
def test_grades_read_as_people_say_them(first, last, bn, en):
    with translation.override("bn"):
        assert grades_label(first, last) == bn
    with translation.override("en"):
        assert grades_label(first, last) == en


def test_one_grade_is_not_a_range_on_the_pages(client, course):
    page = client.get(course.get_absolute_url()).text
    assert "Grade ৩য়" in page and "৩–৩" not in page


# ------------------------------------------------------------------------------- web address names

@pytest.mark.parametrize("title, slug", [
    ("আনন্দে গণিত শিখি", "anonde-gonit-shikhi"), ("বাংলা ব্যাকরণ", "bangla-byakoron"), ("বই পড়ি", "boi-pori"),
    ("খেলায় খেলায় বিজ্ঞান", "khelay-khelay-bijnan"), ("শ্রেণি ৩ এর গণিত", "shreni-3-er-gonit"),
    ("Fun English ১", "fun-english-1"), ("???", "course"), ("", "course"),
])
def test_slug_base(title, slug):
    assert slugs.slug_base(title) == slug


BANGLA_TEXT = st.text(alphabet=st.characters(min_codepoint=0x0980, max_codepoint=0x09FF)
                      | st.sampled_from(" -_.,!?\u200c\u200d"), max_size=300)


@settings(max_examples=200, deadline=None)
@given(BANGLA_TEXT)
def test_any_bangla_title_gives_a_valid_slug(title):
    slug = slugs.slug_base(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= slugs.MAX_LENGTH


def test_a_new_course_gets_its_slug_from_the_title_numbered_when_taken(people):
    author = people["course_author_shirin"]
    first = authoring.course_create(actor=author, title="আনন্দে গণিত শিখি")
    second = authoring.course_create(actor=author, title="আনন্দে  গণিত শিখি!")
    nothing = authoring.course_create(actor=author, title="।।।")
    assert (first.slug, second.slug, nothing.slug) == ("anonde-gonit-shikhi", "anonde-gonit-shikhi-2", "course")
    # An emptied field keeps the address; a typed one is kept as typed and checked.
    assert authoring.course_update(actor=author, course=first, slug="").slug == "anonde-gonit-shikhi"
    assert authoring.course_update(actor=author, course=first, slug="gonit").slug == "gonit"


def test_existing_slugs_are_unchanged(db):
    old = CourseFactory(slug="old-english-name", title="নতুন বাংলা নাম")
    old.refresh_from_db()
    assert old.slug == "old-english-name"
