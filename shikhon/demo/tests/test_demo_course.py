"""The demo course "আনন্দে গণিত শিখি": its committed package holds complete, correct content and loads
through `course_import`; loading it twice changes nothing; the demo teachers are at their stages; one video
can be made and then copied from the cache."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps

from shikhon.certificates.models import Certificate
from shikhon.core.models import AuditEvent
from shikhon.courses.models import Activity, Course, Enrolment, Question, QuizAttempt
from shikhon.demo.course import (
    NEXT_BATCH_TITLE,
    PACKAGE,
    PAST_BATCH_TITLE,
    PROGRAMME_TITLE,
    attach_videos,
    demo_family,
    load_demo_course,
    load_demo_stages,
    package_manifest,
    video_slides,
    video_tools_missing,
)
from shikhon.demo.data import PEOPLE, load_demo
from shikhon.media.models import Video
from shikhon.people.models import User
from shikhon.people.phone import normalize_phone
from shikhon.training.models import Attendance, Batch, CourseCost, Invitation

KINDS = {"single", "multiple", "true_false", "numeric"}


# ------------------------------------------------------------------------------------- the package

def _course() -> dict:
    return package_manifest()["course"]


def test_the_package_is_a_course_export_without_media():
    with zipfile.ZipFile(PACKAGE) as package:
        assert package.namelist() == ["manifest.json"]
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["schema"] == "shikhon.course" and manifest["schema_version"] == 1
    assert manifest["files"] == {}
    assert PACKAGE.stat().st_size < 100_000


def test_course_has_nine_modules_of_complete_activities():
    course = _course()
    assert course["slug"] == "anonde-gonit-shikhi"
    assert (course["grade_from"], course["grade_to"], course["subject"]) == (1, 2, "maths")
    assert len(course["modules"]) == 9
    activities = [a for m in course["modules"] for a in m["activities"]]
    titles = [a["title"] for a in activities]
    assert len(titles) == len(set(titles)), "activity titles are unique"
    slides = video_slides()
    assert set(slides) == {a["key"] for a in activities}, "every activity has the slides of its video"
    for module in course["modules"]:
        assert module["title"] and module["summary"]
        assert len(module["activities"]) >= 3
        for activity in module["activities"]:
            assert activity["title"] and activity["summary"] and activity["learner_actions"]
            assert activity["try_prompt"], activity["title"]
            assert 5 <= len(activity["steps"].splitlines()) <= 7, activity["title"]
            assert len(activity["materials"].splitlines()) >= 1, activity["title"]
            assert 3 <= len(slides[activity["key"]]) <= 5, activity["title"]
            assert 10 <= activity["duration_minutes"] <= 40


def test_every_quiz_mixes_all_kinds_with_correct_answers_marked():
    for module in _course()["modules"]:
        quiz = module["quiz"]
        assert quiz["pass_percent"] == 60 and quiz["questions_per_attempt"] == 4
        assert 5 <= len(quiz["questions"]) <= 6, module["title"]
        assert {q["kind"] for q in quiz["questions"]} == KINDS, module["title"]
        for q in quiz["questions"]:
            assert q["text"] and q["feedback"], q["text"]
            choices = [(c["text"], c["is_correct"]) for c in q["choices"]]
            correct = [text for text, ok in choices if ok]
            if q["kind"] == "numeric":
                assert not choices
                number = Decimal(q["numeric_answer"])
                assert number == int(number) >= 0
            elif q["kind"] == "single":
                assert len(choices) >= 3 and len(correct) == 1, q["text"]
            elif q["kind"] == "multiple":
                assert len(choices) >= 3 and 1 <= len(correct) < len(choices), q["text"]
            else:
                assert [text for text, _ok in choices] == ["সত্য", "মিথ্যা"] and len(correct) == 1
            assert len({text for text, _ok in choices}) == len(choices), q["text"]


# ------------------------------------------------------------------------------------- loading

def _counts() -> dict[str, int]:
    names = ["courses.Course", "courses.Module", "courses.Activity", "courses.Quiz", "courses.Question",
             "courses.Choice", "courses.Enrolment", "courses.ActivityProgress", "courses.QuizAttempt",
             "certificates.Certificate", "training.Programme", "training.Batch", "training.Invitation",
             "training.Attendance", "training.CourseCost", "media.Video", "people.User", "people.Role"]
    return {name: apps.get_model(name).objects.count() for name in names}


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    course = load_demo_course(videos=False)
    stages = load_demo_stages(course)
    return course, stages


def _teacher(phone: str) -> User:
    return User.objects.get(phone=normalize_phone(phone))


def test_course_is_published_with_all_content(demo):
    course, _stages = demo
    assert course.status == Course.Status.PUBLISHED and course.version == 1 and course.published_at
    assert course.family == demo_family() and course.slug == "anonde-gonit-shikhi"
    assert course.created_by == _teacher("01711000012") and course.published_by == _teacher("01711000001")
    # It came in through the exchange format and the authoring services, like any course.
    assert set(AuditEvent.objects.filter(target_id=str(course.pk)).values_list("action", flat=True)) >= {
        "course_imported", "course_submitted", "course_published"}
    assert course.modules.count() == 9
    activities = Activity.objects.filter(module__course=course)
    assert activities.count() == 27
    assert all(len(a.step_list) >= 5 and a.material_list for a in activities)
    assert Question.objects.filter(quiz__module__course=course).count() == sum(
        len(m["quiz"]["questions"]) for m in _course()["modules"])
    for question in Question.objects.filter(quiz__module__course=course, kind=Question.Kind.SINGLE):
        assert question.choices.filter(is_correct=True).count() == 1
    assert set(Question.objects.filter(quiz__module__course=course, kind=Question.Kind.NUMERIC)
               .values_list("numeric_answer", flat=True)) >= {15, 11, 58}


def test_loading_twice_changes_nothing(demo):
    course, _stages = demo
    before = _counts()
    again = load_demo_course(videos=False)
    load_demo_stages(again)
    load_demo()
    assert again.pk == course.pk
    assert _counts() == before


def test_teachers_are_at_their_stages(demo):
    course, stages = demo
    assert [user.phone for _stage, user in stages][:2] == [normalize_phone("01711000007"),
                                                           normalize_phone("01711000011")]
    # Rubi finds and takes the course herself (browser tests, the "new teacher" story).
    assert not Enrolment.objects.filter(user=_teacher("01711000007")).exists()

    kamrun = Enrolment.objects.get(user=_teacher("01711000011"), course=course)
    assert list(kamrun.progress.values_list("watched_percent", "done_at")) == [(100, None)]
    assert kamrun.last_activity.position == 0 and kamrun.last_activity.module.position == 0
    assert not kamrun.attempts.exists() and kamrun.completed_at is None

    nasima = Enrolment.objects.get(user=_teacher("01711000013"), course=course)
    passed = set(nasima.attempts.filter(passed=True).values_list("quiz__module__position", flat=True))
    assert passed == {0, 1, 2, 3}
    assert nasima.attempts.filter(passed=False).count() == 1
    assert nasima.completed_at is None and nasima.progress.filter(done_at__isnull=False).count() == 13

    for phone in ("01711000014", "01711000015", "01711000016"):
        enrolment = Enrolment.objects.get(user=_teacher(phone), course=course)
        assert enrolment.completed_at is not None
        assert enrolment.attempts.filter(passed=True).count() == 9
        assert Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).exists()
        for attempt in enrolment.attempts.all():
            assert len(attempt.question_ids) == 4 and attempt.submitted_at and attempt.score_percent is not None
    assert not QuizAttempt.objects.filter(submitted_at__isnull=True).exists()


def test_training_stages_and_costs(demo):
    course, _stages = demo
    past = Batch.objects.get(title=PAST_BATCH_TITLE, programme__title=PROGRAMME_TITLE)
    coming = Batch.objects.get(title=NEXT_BATCH_TITLE)
    assert past.programme.required_family == course.family
    assert past.status == Batch.Status.COMPLETED and coming.status == Batch.Status.PLANNED
    jasim = Invitation.objects.get(batch=past, teacher=_teacher("01711000016"))
    assert jasim.status == Invitation.Status.ACCEPTED and jasim.completed_at is not None
    days = list(Attendance.objects.filter(invitation=jasim).values_list("present", flat=True))
    assert len(days) == 5 and sum(days) == 4
    roksana = Invitation.objects.get(batch=coming, teacher=_teacher("01711000015"))
    assert roksana.status == Invitation.Status.INVITED
    # Shahnaz is certified and not invited: the officer can invite her in a demo.
    assert not Invitation.objects.filter(teacher=_teacher("01711000014")).exists()
    cost = CourseCost.objects.get(family=course.family)
    assert cost.development > 0 and cost.hosting > 0 and cost.sms > 0
    assert past.cost_venue > 0 and past.cost_trainers > 0


def test_new_stage_people_are_hatia_teachers():
    new = [p for p in PEOPLE if p.phone >= "01711000013"]
    assert len(new) == 4
    assert all(p.kind == "teacher" and p.place in {f"school:{e}" for e in ("100001", "100002", "100003", "100004")}
               for p in new)


def test_a_teacher_can_open_the_demo_course(demo, client):
    course, _stages = demo
    client.force_login(_teacher("01711000007"))
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    assert _course()["modules"][0]["title"] in response.content.decode()
    first = Activity.objects.filter(module__course=course).order_by("module__position", "position").first()
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200 and first.title in response.content.decode()


# ------------------------------------------------------------------------------------- videos

@pytest.mark.slow
@pytest.mark.django_db
def test_one_video_is_made_then_copied_from_the_cache(settings, tmp_path):
    if missing := video_tools_missing():
        pytest.skip(f"video tools missing: {missing}")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHIKHON_DEMO_MEDIA_CACHE = str(tmp_path / "cache")
    load_demo()
    course = load_demo_course(videos=False)
    assert attach_videos(course, only=1) == 1
    first = Activity.objects.filter(module__course=course).order_by("module__position", "position").first()
    video = first.video
    assert video.status == Video.Status.READY and video.low and video.poster and video.captions
    assert 12 <= video.duration_seconds <= 21
    assert video.uploaded_by == _teacher("01711000012")
    assert list((tmp_path / "cache").iterdir())[0].joinpath("meta.json").exists()

    # A fresh storage (as in the browser tests): the files are copied from the cache, not made again.
    settings.MEDIA_ROOT = tmp_path / "media2"
    first.video = None
    first.save(update_fields=["video"])
    said: list[str] = []
    assert attach_videos(course, only=1, say=said.append) == 1
    first.refresh_from_db()
    assert first.video.is_ready and first.video.pk != video.pk
    assert any("0 made, 1 copied" in line for line in said)
    assert (tmp_path / "media2" / first.video.low.name).exists()


def test_a_backdated_certificate_prints_the_date_its_page_shows(demo):
    from django.utils import translation

    from shikhon.certificates.models import Certificate
    from shikhon.certificates.tests.pdftext import text_runs
    from shikhon.core.bangla import format_date
    from shikhon.core.clock import dhaka_today

    backdated = [c for c in Certificate.objects.exclude(pdf="") if c.issued_on < dhaka_today()]
    assert backdated, "the demo has no certificate issued before today"
    for certificate in backdated:
        with certificate.pdf.open("rb") as handle:
            text = " ".join(text_runs(handle.read()))
        with translation.override("en"):
            printed = f"Date: {format_date(certificate.issued_on, 'en')}"
        assert printed in text, (printed, text[-400:])
