"""The authoring pages: who may open them, the flows through them (without JavaScript), bad input and
query counts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shikhon.core.tests import hostile
from shikhon.courses import authoring
from shikhon.courses.models import Activity, Course, Module, Question, Quiz
from shikhon.courses.tests.factories import course_with_content

PDF = hostile.pdf()


@pytest.fixture(autouse=True)
def _media_in_tmp(media_root: Path) -> None:
    """Every test of this file stores media in its own temporary folder (the root conftest's media_root)."""


@pytest.fixture
def author(people):
    return people["course_author_shirin"]


@pytest.fixture
def published():
    return course_with_content(modules=2, activities=2, slug="anonde-gonit-shikhi")


@pytest.fixture
def draft(author, published):
    return authoring.course_new_version(actor=author, course=published)


def pages(course: Course) -> list[str]:
    module = course.modules.order_by("position").first()
    activity = module.activities.first()
    question = module.quiz.questions.first()
    return [
        reverse("author:course", args=[course.pk]),
        reverse("author:module", args=[module.pk]),
        reverse("author:activity", args=[activity.pk]),
        reverse("author:activity_new", args=[module.pk]),
        reverse("author:quiz", args=[module.pk]),
        reverse("author:question_new", args=[module.pk]),
        reverse("author:question", args=[question.pk]),
    ]


# ---------------------------------------------------------------- who may open the pages


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia", "officer_noakhali",
                                 "mentor_hatia", "researcher_tanvir", "no_role_user"])
def test_others_get_404(client, people, draft, who):
    client.force_login(people[who])
    for url in [reverse("author:courses"), reverse("author:course_new"), reverse("author:review"), *pages(draft)]:
        assert client.get(url).status_code == 404, url
    module = draft.modules.first()
    assert client.post(reverse("author:module_add", args=[draft.pk]), {"module-title": "x"}).status_code == 404
    assert client.post(reverse("author:course_submit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("author:course_publish", args=[draft.pk])).status_code == 404
    assert client.post(reverse("author:module_delete", args=[module.pk])).status_code == 404
    assert Module.objects.filter(pk=module.pk).exists()


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get(reverse("author:courses"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.parametrize("who", ["course_author_shirin", "national_admin_nasrin"])
def test_authors_and_admins_open_every_page(client, people, draft, published, who):
    client.force_login(people[who])
    for url in [reverse("author:courses"), reverse("author:course_new"), *pages(draft), *pages(published)]:
        expected = 200
        if "/new/" in url and url in pages(published):
            expected = 302  # a published version gets no new parts: back to the course with a sentence
        assert client.get(url).status_code == expected, url


def test_review_queue_only_for_reviewers(client, people, author, draft):
    client.force_login(author)
    assert client.get(reverse("author:review")).status_code == 404
    client.force_login(people["national_admin_nasrin"])
    assert client.get(reverse("author:review")).status_code == 200


def test_reviewer_actions_refused_to_course_authors(client, author, draft):
    authoring.course_submit(actor=author, course=draft)
    client.force_login(author)
    assert client.post(reverse("author:course_publish", args=[draft.pk])).status_code == 403
    assert client.post(reverse("author:course_return", args=[draft.pk]), {"note": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Course.Status.REVIEW


def test_missing_objects_404(client, author):
    client.force_login(author)
    for name in ("author:course", "author:module", "author:activity", "author:quiz", "author:question"):
        assert client.get(reverse(name, args=[999999])).status_code == 404


# ---------------------------------------------------------------- flows


def test_create_course_module_activity_quiz_and_question_through_pages(client, author, people,
                                                                       django_capture_on_commit_callbacks):
    client.force_login(author)
    response = client.post(reverse("author:course_new"), {
        "title": "আনন্দে ভাষা শিখি", "slug": "anonde-bhasha", "summary": "", "subject": "bangla",
        "grade_from": "১", "grade_to": "২", "estimated_hours": "৬"})
    course = Course.objects.get(slug="anonde-bhasha")
    assert response.status_code == 302 and response["Location"] == reverse("author:course", args=[course.pk])
    assert (course.grade_from, course.grade_to, course.estimated_hours) == (1, 2, 6)

    response = client.post(reverse("author:module_add", args=[course.pk]), {"module-title": "বর্ণ চিনি"})
    module = Module.objects.get(course=course)
    assert response["Location"] == reverse("author:module", args=[module.pk])

    response = client.post(reverse("author:activity_new", args=[module.pk]), {
        "title": "বর্ণের খেলা", "duration_minutes": "২০", "steps": "কার্ড দেখান\nবলতে বলুন"})
    activity = Activity.objects.get(module=module)
    assert response["Location"] == reverse("author:activity", args=[activity.pk])
    assert activity.step_list == ["কার্ড দেখান", "বলতে বলুন"]

    response = client.post(reverse("author:activity_sheet", args=[activity.pk]),
                           {"file": SimpleUploadedFile("sheet.pdf", PDF)})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.sheet.name.endswith(".pdf")

    response = client.post(reverse("author:quiz", args=[module.pk]), {
        "pass_percent": "৭০", "questions_per_attempt": "", "max_attempts": "৩", "retake_wait_minutes": "০",
        "time_limit_minutes": ""})
    assert response.status_code == 302 and Quiz.objects.get(module=module).pass_percent == 70

    response = client.post(reverse("author:question_new", args=[module.pk]), {
        "kind": "true_false", "text": "‘অ’ একটি স্বরবর্ণ।", "correct_1": "on"})
    question = Question.objects.get()
    assert response["Location"] == reverse("author:quiz", args=[module.pk])
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [("সত্য", True), ("মিথ্যা", False)]

    response = client.post(reverse("author:question_new", args=[module.pk]), {
        "kind": "numeric", "text": "২৫ ÷ ২ = ?", "numeric_answer": "১২.৫", "then": "another"})
    assert response["Location"] == reverse("author:question_new", args=[module.pk])
    assert str(Question.objects.get(kind="numeric").numeric_answer) == "12.500"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("author:course_submit", args=[course.pk]), follow=True)
    assert "The course was sent for review." in response.content.decode()
    course.refresh_from_db()
    assert course.status == Course.Status.REVIEW

    client.force_login(people["national_admin_nasrin"])
    queue = client.get(reverse("author:review")).content.decode()
    assert "আনন্দে ভাষা শিখি" in queue
    response = client.post(reverse("author:course_return", args=[course.pk]), {"note": "ছবি যোগ করুন"})
    course.refresh_from_db()
    assert response.status_code == 302 and course.status == Course.Status.DRAFT

    client.force_login(author)
    page = client.get(reverse("author:course", args=[course.pk])).content.decode()
    assert "ছবি যোগ করুন" in page
    client.post(reverse("author:course_submit", args=[course.pk]))
    client.force_login(people["national_admin_nasrin"])
    client.post(reverse("author:course_publish", args=[course.pk]))
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED

    client.force_login(author)
    response = client.post(reverse("author:course_new_version", args=[course.pk]))
    new = Course.objects.get(family=course.family, version=2)
    assert response["Location"] == reverse("author:course", args=[new.pk]) and new.status == Course.Status.DRAFT


def test_reorder_buttons_move_modules(client, author, draft):
    client.force_login(author)
    first, second = draft.modules.order_by("position")
    client.post(reverse("author:module_move", args=[second.pk]), {"direction": "up"})
    assert list(draft.modules.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    activity = first.activities.order_by("position").last()
    client.post(reverse("author:activity_move", args=[activity.pk]), {"direction": "up"})
    assert first.activities.order_by("position").first() == activity


def test_published_version_is_shown_read_only_and_posts_are_refused(client, author, published):
    client.force_login(author)
    page = client.get(reverse("author:course", args=[published.pk])).content.decode()
    assert "Make a new version" in page and "Save details" not in page
    module = published.modules.first()
    response = client.post(reverse("author:module", args=[module.pk]), {"title": "বদল"}, follow=True)
    assert "Only a draft can be changed." in response.content.decode()
    module.refresh_from_db()
    assert module.title != "বদল"


# ---------------------------------------------------------------- bad input: a sentence, nothing stored


def test_wrong_sheet_type_and_oversized(client, author, draft):
    client.force_login(author)
    activity = Activity.objects.filter(module__course=draft).first()
    response = client.post(reverse("author:activity_sheet", args=[activity.pk]),
                           {"file": SimpleUploadedFile("sheet.pdf", b"GIF89a not really a pdf")})
    assert response.status_code == 200
    assert "The sheet must be a PDF, PNG or JPEG file." in response.content.decode()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(reverse("author:activity_sheet", args=[activity.pk]), {"file": big})
    assert "The sheet is larger than ১০ MB." in response.content.decode()
    activity.refresh_from_db()
    assert not activity.sheet


def test_incomplete_submit_says_what_is_missing(client, author):
    client.force_login(author)
    course = authoring.course_create(actor=author, title="খালি", slug="khali")
    response = client.post(reverse("author:course_submit", args=[course.pk]), follow=True)
    assert "The course is not complete yet: the course has no module yet." in response.content.decode()
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT


def test_numeric_answer_not_a_number(client, author, draft):
    client.force_login(author)
    module = draft.modules.first()
    before = Question.objects.count()
    response = client.post(reverse("author:question_new", args=[module.pk]),
                           {"kind": "numeric", "text": "কত?", "numeric_answer": "বারো"})
    assert response.status_code == 200
    assert "Type a number, for example ১২ or ১২.৫." in response.content.decode()  # errors: page digits
    response = client.post(reverse("author:question_new", args=[module.pk]), {"kind": "numeric", "text": "কত?"})
    assert "Give the correct number." in response.content.decode()
    assert Question.objects.count() == before


def test_single_choice_with_two_correct(client, author, draft):
    client.force_login(author)
    module = draft.modules.first()
    before = Question.objects.count()
    response = client.post(reverse("author:question_new", args=[module.pk]), {
        "kind": "single", "text": "৩ + ৪ = ?", "choice_1": "৭", "correct_1": "on", "choice_2": "সাত",
        "correct_2": "on"})
    assert response.status_code == 200
    assert "Mark exactly one answer as correct" in response.content.decode()
    assert Question.objects.count() == before


def test_question_image_must_be_a_picture(client, author, draft):
    client.force_login(author)
    module = draft.modules.first()
    response = client.post(reverse("author:question_new", args=[module.pk]), {
        "kind": "numeric", "text": "কয়টি?", "numeric_answer": "3",
        "image": SimpleUploadedFile("p.png", b"not a picture")})
    assert "This file is not a picture we can show." in response.content.decode()
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    response = client.post(reverse("author:question_new", args=[module.pk]), {
        "kind": "numeric", "text": "কয়টি?", "numeric_answer": "3",
        "image": SimpleUploadedFile("p.png", out.getvalue())})
    assert response.status_code == 302


def test_empty_titles(client, author, draft):
    client.force_login(author)
    response = client.post(reverse("author:course_new"), {"title": "", "slug": "x", "subject": "maths",
                                                          "grade_from": "1", "grade_to": "1",
                                                          "estimated_hours": "1"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    count = Module.objects.filter(course=draft).count()
    response = client.post(reverse("author:module_add", args=[draft.pk]), {"module-title": ""})
    assert response.status_code == 200 and Module.objects.filter(course=draft).count() == count
    module = draft.modules.first()
    response = client.post(reverse("author:activity_new", args=[module.pk]), {"title": "", "duration_minutes": "5"})
    assert response.status_code == 200


def test_taken_slug_is_a_field_error(client, author, published):
    client.force_login(author)
    response = client.post(reverse("author:course_new"), {"title": "নতুন", "slug": published.slug,
                                                          "subject": "maths", "grade_from": "1", "grade_to": "1",
                                                          "estimated_hours": "1"})
    assert "Another course already uses this web address name." in response.content.decode()


# ---------------------------------------------------------------- query counts


def test_course_list_queries_are_bounded(client, author, django_assert_max_num_queries):
    for n in range(6):
        course = course_with_content(modules=1, activities=1, slug=f"c-{n}")
        if n % 2:
            authoring.course_new_version(actor=author, course=course)
    client.force_login(author)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("author:courses"))
    assert response.status_code == 200


def test_course_edit_page_queries_do_not_grow_with_modules(client, author, django_assert_max_num_queries):
    small = authoring.course_new_version(actor=author, course=course_with_content(modules=1, activities=1))
    big = authoring.course_new_version(actor=author, course=course_with_content(modules=9, activities=4))
    client.force_login(author)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("author:course", args=[small.pk]))  # her person and scope into the cache (people.usercache)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("author:course", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("author:course", args=[big.pk]))
    assert len(many) == len(few)
    with django_assert_max_num_queries(16):
        client.get(reverse("author:course", args=[big.pk]))


def test_module_and_quiz_pages_queries_bounded(client, author, django_assert_max_num_queries):
    course = authoring.course_new_version(actor=author, course=course_with_content(
        modules=1, activities=6, kinds=("single", "multiple", "true_false", "numeric")))
    module = course.modules.get()
    client.force_login(author)
    with django_assert_max_num_queries(10):
        client.get(reverse("author:module", args=[module.pk]))
    with django_assert_max_num_queries(10):
        client.get(reverse("author:quiz", args=[module.pk]))


def test_activity_page_shows_the_video_status(client, author, draft):
    from shikhon.media.models import Video

    activity = Activity.objects.filter(module__course=draft).first()
    activity.video = Video.objects.create(title="গুনি", uploaded_by=author)
    activity.save()
    client.force_login(author)
    page = client.get(reverse("author:activity", args=[activity.pk])).content.decode()
    assert "video-status processing" in page and "Upload captions" in page


def test_video_upload_through_the_page_links_the_video(client, author, draft, monkeypatch):
    from shikhon.media.models import Video

    def fake_upload(*, actor, file, title=""):
        return Video.objects.create(title=title, uploaded_by=actor)

    monkeypatch.setattr("shikhon.media.services.video_upload", fake_upload)
    activity = Activity.objects.filter(module__course=draft).first()
    client.force_login(author)
    response = client.post(reverse("author:activity_video", args=[activity.pk]),
                           {"file": SimpleUploadedFile("a.mp4", b"video", content_type="video/mp4")})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.video is not None


def test_not_a_video_is_a_sentence(client, author, draft):
    activity = Activity.objects.filter(module__course=draft).first()
    client.force_login(author)
    response = client.post(reverse("author:activity_video", args=[activity.pk]),
                           {"file": SimpleUploadedFile("a.mp4", b"just text " * 20, content_type="video/mp4")})
    assert response.status_code == 200 and 'class="msg error"' in response.content.decode()
    activity.refresh_from_db()
    assert activity.video is None


def test_prerequisites_are_chosen_with_checkboxes(client, author, published):
    client.force_login(author)
    page = client.get(reverse("author:course_new")).content.decode()
    assert f'value="{published.pk}"' in page and "<legend>Prerequisites</legend>" in page
    client.post(reverse("author:course_new"), {"title": "দ্বিতীয় ধাপ", "slug": "ditiyo-dhap", "subject": "maths",
                                               "grade_from": "2", "grade_to": "3", "estimated_hours": "4",
                                               "prerequisites": [str(published.pk)]})
    assert list(Course.objects.get(slug="ditiyo-dhap").prerequisites.all()) == [published]


def test_authoring_pages_are_valid_html_with_three_file_forms_on_one_page(client, author, draft):
    """The activity page shows the video, captions and sheet forms: each field has its own id."""
    from shikhon.core.tests.html_checks import html_problems
    from shikhon.media.models import Video

    activity = Activity.objects.filter(module__course=draft).order_by("position").first()
    activity.video = Video.objects.create(title="গুনি", uploaded_by=author)
    activity.save()
    client.force_login(author)
    for url in pages(draft):
        page = client.get(url).content.decode()
        assert not html_problems(page), (url, html_problems(page))
