"""Authoring services: courses, modules, activities (video, captions, sheet), quizzes and questions."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shikhon.core.tests import hostile
from shikhon.courses import authoring
from shikhon.courses.models import Activity, Course, Module, Question, Quiz
from shikhon.courses.tests.factories import CourseFactory, course_with_content
from shikhon.media.models import Video

PDF = hostile.pdf()


@pytest.fixture(autouse=True)
def _media_in_tmp(media_root: Path) -> None:
    """Every test of this file stores media in its own temporary folder (the root conftest's media_root)."""


def picture(fmt: str = "PNG", size: tuple[int, int] = (20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def author(people):
    return people["course_author_shirin"]


@pytest.fixture
def draft(author):
    return authoring.course_create(actor=author, title="আনন্দে গণিত শিখি", slug="anonde-gonit-shikhi",
                                   summary="খেলায় খেলায় গণিত", subject="maths", grade_from=1, grade_to=2,
                                   estimated_hours=6)


@pytest.fixture
def module(author, draft):
    return authoring.module_create(actor=author, course=draft, title="সংখ্যা চিনি")


@pytest.fixture
def activity(author, module):
    return authoring.activity_create(actor=author, module=module, title="পাথর গুনি", steps="গোল করে বসান\nগুনুন")


# ---------------------------------------------------------------- courses


def test_course_create_makes_a_draft_by_the_author(author, draft):
    assert draft.status == Course.Status.DRAFT
    assert draft.version == 1
    assert draft.created_by == author
    assert draft.grade_to == 2


def test_course_create_refused_to_a_teacher(people):
    with pytest.raises(PermissionDenied):
        authoring.course_create(actor=people["teacher_rubi"], title="x", slug="x")


def test_course_create_empty_title_stores_nothing(author):
    with pytest.raises(ValidationError) as err:
        authoring.course_create(actor=author, title="  ", slug="empty")
    assert "title" in err.value.error_dict
    assert not Course.objects.exists()


def test_slug_unique_across_families(author, draft):
    with pytest.raises(ValidationError) as err:
        authoring.course_create(actor=author, title="অন্য", slug=draft.slug)
    assert "slug" in err.value.error_dict
    assert Course.objects.count() == 1


def test_slug_may_repeat_within_its_own_family(people, author):
    published = course_with_content(modules=1, activities=1, slug="same-slug")
    draft = authoring.course_new_version(actor=author, course=published)
    updated = authoring.course_update(actor=author, course=draft, title="নতুন নাম", slug="same-slug")
    assert updated.slug == "same-slug" and updated.title == "নতুন নাম"


def test_course_update_grades_in_order(author, draft):
    with pytest.raises(ValidationError):
        authoring.course_update(actor=author, course=draft, grade_from=3, grade_to=1)
    draft.refresh_from_db()
    assert (draft.grade_from, draft.grade_to) == (1, 2)


def test_prerequisites_must_be_other_published_courses(author, draft):
    other = CourseFactory(status=Course.Status.PUBLISHED)
    waiting = CourseFactory(status=Course.Status.DRAFT, published_at=None)
    authoring.course_update(actor=author, course=draft, prerequisites=[other])
    assert list(draft.prerequisites.all()) == [other]
    with pytest.raises(ValidationError):
        authoring.course_update(actor=author, course=draft, prerequisites=[waiting])
    assert list(draft.prerequisites.all()) == [other]


# ---------------------------------------------------------------- modules


def positions(queryset) -> list[tuple[str, int]]:
    return list(queryset.order_by("position").values_list("title", "position"))


def test_modules_stay_dense_through_create_move_delete(author, draft):
    for title in ("এক", "দুই", "তিন"):
        authoring.module_create(actor=author, course=draft, title=title)
    modules = Module.objects.filter(course=draft)
    assert positions(modules) == [("এক", 0), ("দুই", 1), ("তিন", 2)]
    authoring.module_move(actor=author, module=modules.get(title="তিন"), direction="up")
    assert positions(modules) == [("এক", 0), ("তিন", 1), ("দুই", 2)]
    authoring.module_move(actor=author, module=modules.get(title="এক"), direction="up")  # already first
    assert positions(modules) == [("এক", 0), ("তিন", 1), ("দুই", 2)]
    authoring.module_move(actor=author, module=modules.get(title="এক"), direction="down")
    assert positions(modules) == [("তিন", 0), ("এক", 1), ("দুই", 2)]
    authoring.module_delete(actor=author, module=modules.get(title="তিন"))
    assert positions(modules) == [("এক", 0), ("দুই", 1)]


def test_module_move_bad_direction(author, module):
    with pytest.raises(ValidationError):
        authoring.module_move(actor=author, module=module, direction="sideways")


def test_module_update_and_empty_title(author, module):
    authoring.module_update(actor=author, module=module, title="নতুন", summary="সারাংশ")
    module.refresh_from_db()
    assert module.title == "নতুন"
    with pytest.raises(ValidationError):
        authoring.module_update(actor=author, module=module, title="")
    module.refresh_from_db()
    assert module.title == "নতুন"


# ---------------------------------------------------------------- activities


def test_activities_create_update_move_delete(author, module, activity):
    second = authoring.activity_create(actor=author, module=module, title="দ্বিতীয়", duration_minutes=15)
    assert (activity.position, second.position) == (0, 1)
    authoring.activity_update(actor=author, activity=second, title="দ্বিতীয় কাজ", materials="খাতা\nপেন্সিল",
                              duration_minutes=25)
    second.refresh_from_db()
    assert second.material_list == ["খাতা", "পেন্সিল"] and second.duration_minutes == 25
    authoring.activity_move(actor=author, activity=second, direction="up")
    assert positions(Activity.objects.filter(module=module)) == [("দ্বিতীয় কাজ", 0), ("পাথর গুনি", 1)]
    authoring.activity_delete(actor=author, activity=second)
    assert positions(Activity.objects.filter(module=module)) == [("পাথর গুনি", 0)]


def test_activity_empty_title_refused(author, module):
    with pytest.raises(ValidationError):
        authoring.activity_create(actor=author, module=module, title="")
    assert not Activity.objects.exists()


def test_activity_video_upload_links_the_video(monkeypatch, author, activity):
    calls = {}

    def fake_upload(*, actor, file, title=""):
        calls.update(actor=actor, title=title)
        return Video.objects.create(title=title, uploaded_by=actor)

    monkeypatch.setattr("shikhon.media.services.video_upload", fake_upload)
    authoring.activity_video_upload(actor=author, activity=activity,
                                    file=SimpleUploadedFile("a.mp4", b"x", content_type="video/mp4"))
    activity.refresh_from_db()
    assert activity.video is not None and calls == {"actor": author, "title": "পাথর গুনি"}


def test_activity_video_upload_bad_file_links_nothing(author, activity, media_root):
    with pytest.raises(ValidationError):
        authoring.activity_video_upload(actor=author, activity=activity,
                                        file=SimpleUploadedFile("a.mp4", b"not a video" * 10))
    activity.refresh_from_db()
    assert activity.video is None and not Video.objects.exists() and hostile.stored_files(media_root) == []


def test_activity_captions_need_a_video_then_are_set(author, activity):
    captions = SimpleUploadedFile("c.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nগুনি\n".encode())
    with pytest.raises(ValidationError):
        authoring.activity_captions_upload(actor=author, activity=activity, file=captions)
    activity.video = Video.objects.create(title="v", uploaded_by=author)
    activity.save()
    captions.seek(0)
    video = authoring.activity_captions_upload(actor=author, activity=activity, file=captions)
    video.refresh_from_db()
    assert video.captions.name.endswith(".vtt")


@pytest.mark.parametrize("name, content", [("sheet.pdf", PDF), ("sheet.png", None), ("sheet.jpg", "JPEG")])
def test_activity_sheet_accepts_pdf_png_jpeg(author, activity, name, content):
    data = PDF if content == PDF else picture("JPEG" if content == "JPEG" else "PNG")
    authoring.activity_sheet_set(actor=author, activity=activity, file=SimpleUploadedFile(name, data))
    activity.refresh_from_db()
    assert activity.sheet.name.endswith({"sheet.pdf": ".pdf", "sheet.png": ".png", "sheet.jpg": ".jpg"}[name])
    stored_bytes = activity.sheet.read()
    if name.endswith(".pdf"):
        assert stored_bytes.startswith(b"%PDF-")  # rewritten by PDFium
    else:
        assert Image.open(io.BytesIO(stored_bytes)).size == (20, 20)  # re-encoded by Pillow


def test_activity_sheet_wrong_type_stores_nothing(author, activity, media_root):
    fake = SimpleUploadedFile("sheet.pdf", b"MZ\x90\x00 this is an exe pretending", content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        authoring.activity_sheet_set(actor=author, activity=activity, file=fake)
    assert "PDF, PNG or JPEG" in str(err.value)
    activity.refresh_from_db()
    assert not activity.sheet and hostile.stored_files(media_root) == []


def test_activity_sheet_oversized_stores_nothing(author, activity, media_root):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as err:
        authoring.activity_sheet_set(actor=author, activity=activity, file=big)
    assert "larger than ১০ MB" in str(err.value)
    assert hostile.stored_files(media_root) == []


def test_activity_sheet_removed(author, activity):
    authoring.activity_sheet_set(actor=author, activity=activity, file=SimpleUploadedFile("s.pdf", PDF))
    authoring.activity_sheet_set(actor=author, activity=activity, file=None)
    activity.refresh_from_db()
    assert not activity.sheet


# ---------------------------------------------------------------- quizzes and questions


def test_quiz_settings_create_the_quiz_on_demand(author, module):
    quiz = authoring.quiz_settings_update(actor=author, module=module, pass_percent=80, questions_per_attempt=5,
                                          max_attempts=3, retake_wait_minutes=30, time_limit_minutes=10)
    assert Quiz.objects.get(module=module) == quiz
    assert (quiz.pass_percent, quiz.max_attempts, quiz.retake_wait_minutes) == (80, 3, 30)


@pytest.mark.parametrize("pass_percent", [0, 101])
def test_quiz_pass_mark_between_1_and_100(author, module, pass_percent):
    with pytest.raises(ValidationError) as err:
        authoring.quiz_settings_update(actor=author, module=module, pass_percent=pass_percent)
    assert "pass_percent" in err.value.error_dict
    assert not Quiz.objects.exists()


def test_question_single_exactly_one_correct(author, module):
    question = authoring.question_create(actor=author, module=module, kind="single", text="৩ + ৪ = ?",
                                         choices=[("৬", False), ("৭", True), ("", False), ("৮", False)])
    assert [(c.text, c.is_correct, c.position) for c in question.choices.all()] == [
        ("৬", False, 0), ("৭", True, 1), ("৮", False, 2)]
    with pytest.raises(ValidationError) as err:
        authoring.question_create(actor=author, module=module, kind="single", text="দুটি ঠিক?",
                                  choices=[("ক", True), ("খ", True)])
    assert "exactly one" in str(err.value)
    assert Question.objects.count() == 1


def test_question_multiple_needs_a_correct_answer(author, module):
    with pytest.raises(ValidationError):
        authoring.question_create(actor=author, module=module, kind="multiple", text="জোড় কোনগুলো?",
                                  choices=[("১", False), ("৩", False)])
    question = authoring.question_create(actor=author, module=module, kind="multiple", text="জোড় কোনগুলো?",
                                         choices=[("১", False), ("২", True), ("৪", True)])
    assert question.choices.filter(is_correct=True).count() == 2


def test_question_true_false_two_answers_one_correct(author, module):
    with pytest.raises(ValidationError):
        authoring.question_create(actor=author, module=module, kind="true_false", text="২ > ৩",
                                  choices=[("সত্য", False), ("মিথ্যা", False)])
    with pytest.raises(ValidationError):
        authoring.question_create(actor=author, module=module, kind="true_false", text="২ > ৩",
                                  choices=[("সত্য", False), ("মিথ্যা", True), ("জানি না", False)])
    question = authoring.question_create(actor=author, module=module, kind="true_false", text="২ > ৩",
                                         choices=[("সত্য", False), ("মিথ্যা", True)])
    assert question.choices.count() == 2


def test_question_numeric_needs_an_answer_and_a_tolerance_of_zero_or_more(author, module):
    with pytest.raises(ValidationError) as err:
        authoring.question_create(actor=author, module=module, kind="numeric", text="৫ + ৭ = ?")
    assert "numeric_answer" in err.value.error_dict
    with pytest.raises(ValidationError):
        authoring.question_create(actor=author, module=module, kind="numeric", text="৫ + ৭ = ?",
                                  numeric_answer=Decimal(12), numeric_tolerance=Decimal(-1))
    question = authoring.question_create(actor=author, module=module, kind="numeric", text="২৫ ÷ ২ = ?",
                                         numeric_answer=Decimal("12.5"), choices=[("ignored", True)])
    assert question.numeric_answer == Decimal("12.5") and question.choices.count() == 0


def test_question_update_replaces_choices_and_kind(author, module):
    question = authoring.question_create(actor=author, module=module, kind="single", text="?",
                                         choices=[("ক", True), ("খ", False)])
    authoring.question_update(actor=author, question=question, kind="numeric", text="৫ + ৭ = ?",
                              numeric_answer=Decimal(12), feedback="গুনে দেখুন")
    question.refresh_from_db()
    assert question.kind == "numeric" and question.choices.count() == 0 and question.feedback == "গুনে দেখুন"


def test_question_delete_keeps_positions_dense(author, module):
    first = authoring.question_create(actor=author, module=module, kind="numeric", text="এক", numeric_answer=1)
    authoring.question_create(actor=author, module=module, kind="numeric", text="দুই", numeric_answer=2)
    authoring.question_delete(actor=author, question=first)
    assert list(Question.objects.values_list("text", "position")) == [("দুই", 0)]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_question_image_accepted(author, module, fmt):
    question = authoring.question_create(actor=author, module=module, kind="numeric", text="ছবিতে কয়টি?",
                                         numeric_answer=3, image=SimpleUploadedFile("p", picture(fmt)))
    assert question.image.name.endswith((".png", ".jpg", ".webp"))


def test_question_image_not_a_picture_or_too_big(author, module, media_root):
    with pytest.raises(ValidationError) as err:
        authoring.question_create(actor=author, module=module, kind="numeric", text="?", numeric_answer=3,
                                  image=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\nbroken"))
    assert "image" in err.value.error_dict
    big = SimpleUploadedFile("big.png", picture("PNG") + b"\0" * (2 * 1024 * 1024))
    with pytest.raises(ValidationError) as err:
        authoring.question_create(actor=author, module=module, kind="numeric", text="?", numeric_answer=3,
                                  image=big)
    assert "larger than ২ MB" in str(err.value)
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    with pytest.raises(ValidationError):
        authoring.question_create(actor=author, module=module, kind="numeric", text="?", numeric_answer=3,
                                  image=SimpleUploadedFile("p.gif", gif.getvalue()))
    assert not Question.objects.exists() and hostile.stored_files(media_root) == []


# ---------------------------------------------------------------- who may write


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_hatia",
                                 "researcher_tanvir", "no_role_user"])
def test_only_authors_write(people, who, draft, module, activity):
    actor = people[who]
    with pytest.raises(PermissionDenied):
        authoring.course_update(actor=actor, course=draft, title="x")
    with pytest.raises(PermissionDenied):
        authoring.module_create(actor=actor, course=draft, title="x")
    with pytest.raises(PermissionDenied):
        authoring.activity_update(actor=actor, activity=activity, title="x")
    with pytest.raises(PermissionDenied):
        authoring.question_create(actor=actor, module=module, kind="numeric", text="x", numeric_answer=1)


def test_national_admin_may_write(people, draft):
    module = authoring.module_create(actor=people["national_admin_nasrin"], course=draft, title="অ্যাডমিনের")
    assert module.position == 0


def test_non_draft_is_never_edited(author):
    course = course_with_content(modules=1, activities=1)
    module = course.modules.get()
    activity = module.activities.get()
    question = module.quiz.questions.first()
    for call in (
        lambda: authoring.course_update(actor=author, course=course, title="x"),
        lambda: authoring.module_create(actor=author, course=course, title="x"),
        lambda: authoring.module_move(actor=author, module=module, direction="down"),
        lambda: authoring.activity_update(actor=author, activity=activity, title="x"),
        lambda: authoring.activity_sheet_set(actor=author, activity=activity, file=SimpleUploadedFile("s", PDF)),
        lambda: authoring.quiz_settings_update(actor=author, module=module, pass_percent=50),
        lambda: authoring.question_delete(actor=author, question=question),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert Activity.objects.get().title == activity.title

