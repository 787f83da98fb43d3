"""A teacher at each stage of a published course, made through the real services (enrol, mark done, pass quizzes,
issue the certificate, invite to a batch), so the home page is tested against what courses, certificates and
training themselves say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from shikhon.certificates.services import certificate_issue
from shikhon.core.clock import dhaka_today
from shikhon.courses import selectors as course_selectors
from shikhon.courses import services as course_services
from shikhon.courses.models import Course, Enrolment
from shikhon.courses.tests.factories import course_with_content, do_activities
from shikhon.people.models import User
from shikhon.training import services as training_services
from shikhon.training.models import Batch, Invitation, Programme


@pytest.fixture(autouse=True)
def _quick_certificates(settings, tmp_path, monkeypatch):
    """Certificates' PDFs go to a temporary folder, and are drawn as a stub (their rendering is tested in
    certificates; here it would only cost half a second per certificate)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("shikhon.certificates.services.certificate_pdf_render", lambda certificate: b"%PDF-1.4 stub",
                        raising=False)


@pytest.fixture
def course(db) -> Course:
    return course_with_content(modules=3, activities=2, title="আনন্দে গণিত শিখি", slug="anonde-gonit")


def pass_quiz(user: User, module: Any) -> None:
    attempt = course_services.quiz_attempt_start(actor=user, quiz=module.quiz)
    answers = {}
    for question, choices in course_selectors.attempt_questions(attempt):
        if question.kind == "numeric":
            answers[str(question.pk)] = [str(question.numeric_answer)]
        else:
            answers[str(question.pk)] = [str(c.pk) for c in choices if c.is_correct]
    course_services.quiz_attempt_submit(actor=user, attempt=attempt, answers=answers)


@pytest.fixture
def study(course) -> Callable[..., Enrolment]:
    """Enrol her, then: `passed` modules done and passed, then `done` activities of the next module done."""

    def make(user: User, *, passed: int = 0, done: int = 0, on: Course | None = None) -> Enrolment:
        target = on or course
        enrolment = course_services.enrolment_create(actor=user, course=target)
        modules = list(target.modules.order_by("position", "pk"))
        for module in modules[:passed]:
            do_activities(user, module)
            pass_quiz(user, module)
        if passed < len(modules):
            for activity in list(modules[passed].activities.order_by("position", "pk"))[:done]:
                course_services.activity_progress_record(actor=user, activity=activity, done=True)
        enrolment.refresh_from_db()
        return enrolment

    return make


@pytest.fixture
def certify(study, course) -> Callable[..., Any]:
    """She finishes the whole course and her certificate is issued (by the certificates service)."""

    def make(user: User) -> Any:
        enrolment = study(user, passed=course.modules.count())
        assert enrolment.completed_at is not None
        return certificate_issue(enrolment_id=enrolment.pk)

    return make


@pytest.fixture
def programme(people, course) -> Programme:
    return training_services.programme_save(actor=people["national_admin_nasrin"],
                                            title="আনন্দে গণিত: মুখোমুখি প্রশিক্ষণ", description="ছয় দিন",
                                            required_course=course, days=6)


@pytest.fixture
def make_batch(people, places, programme) -> Callable[..., Batch]:
    def make(*, starts_in: int = 10, days: int = 6, title: str = "হাতিয়া ব্যাচ ২") -> Batch:
        starts = dhaka_today() + dt.timedelta(days=starts_in)
        return training_services.batch_save(
            actor=people["officer_hatia"], programme=programme, title=title, upazila=places["hatia"],
            venue="উপজেলা রিসোর্স সেন্টার, হাতিয়া", starts_on=starts, ends_on=starts + dt.timedelta(days=days - 1),
            capacity=25)

    return make


@pytest.fixture
def invite(people, make_batch) -> Callable[..., Invitation]:
    def make(user: User, batch: Batch | None = None) -> Invitation:
        batch = batch or make_batch()
        return training_services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                                  teacher_ids=[user.pk])[0]

    return make


@pytest.fixture
def train(people, make_batch) -> Callable[..., Invitation]:
    """She attended a batch that ended yesterday and completed it (placed at her school, as the demo does)."""

    def make(user: User) -> Invitation:
        batch = make_batch(starts_in=-6, title="হাতিয়া ব্যাচ ১")
        role = user.roles.filter(school__isnull=False).first()
        place = {f"{level}_id": getattr(role, f"{level}_id", None)
                 for level in ("school", "upazila", "district", "division")}
        invitation = Invitation.objects.create(batch=batch, teacher=user, invited_by=people["officer_hatia"],
                                               status=Invitation.Status.ACCEPTED, completed_at=timezone.now(),
                                               **place)
        Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.COMPLETED)
        return invitation

    return make
