"""The bench course part of `manage.py bench_dataset` (issue 4): a published course, enrolments with
progress, quiz attempts and certificates, at a tiny scale; and `bench_prepare`'s course targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from shikhon.certificates.codes import normalize_code
from shikhon.certificates.models import Certificate
from shikhon.courses.models import ActivityProgress, Course, Enrolment, QuizAttempt
from shikhon.demo import bench_data

SCALE = 0.001  # 1,000 teachers → 200 enrolments


def load(scale: float = SCALE, **options) -> None:
    call_command("bench_dataset", scale=scale, verbosity=0, **options)


@pytest.mark.django_db
def test_course_enrolments_progress_attempts_and_certificates():
    load()
    course = Course.objects.get(slug=bench_data.BENCH_COURSE_SLUG)
    assert course.status == Course.Status.PUBLISHED
    assert course.modules.count() == 9
    enrolments = Enrolment.objects.filter(course=course)
    assert enrolments.count() == 200
    assert not enrolments.filter(school_id__isnull=True).exists()
    assert not enrolments.exclude(family=course.family).exists()
    completed = enrolments.filter(completed_at__isnull=False)
    assert 10 <= completed.count() <= 80
    progress = ActivityProgress.objects.filter(enrolment__course=course)
    # every completed enrolment has done all 36 activities
    assert progress.filter(enrolment__in=completed, done_at__isnull=False).count() == completed.count() * 36
    assert progress.count() > enrolments.count()
    attempts = QuizAttempt.objects.filter(enrolment__course=course)
    assert attempts.filter(passed=True, enrolment__in=completed).count() == completed.count() * 9
    assert attempts.filter(passed=False).exists()
    first = attempts.filter(passed=True).first()
    assert sorted(first.question_ids) == sorted(int(k) for k in first.answers)
    certificates = Certificate.objects.filter(course=course)
    assert certificates.count() == completed.count()
    codes = list(certificates.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) and all(normalize_code(c) == c for c in codes)
    cert = certificates.select_related("enrolment").first()
    assert cert.user_id == cert.enrolment.user_id and cert.school_id == cert.enrolment.school_id
    assert cert.holder_name_bn and cert.school_name


@pytest.mark.django_db
def test_the_course_part_is_added_to_an_older_dataset_and_reloads_cleanly():
    load()
    users = set(bench_data.bench_users().values_list("id", flat=True))
    bench_data.drop_bench_course()
    assert not Course.objects.filter(slug=bench_data.BENCH_COURSE_SLUG).exists()
    load()  # people are there: only the course part is loaded
    assert set(bench_data.bench_users().values_list("id", flat=True)) == users
    assert Enrolment.objects.filter(course__slug=bench_data.BENCH_COURSE_SLUG).count() == 200
    load(reload=True)
    assert Course.objects.filter(slug=bench_data.BENCH_COURSE_SLUG).count() == 1
    assert Enrolment.objects.filter(course__slug=bench_data.BENCH_COURSE_SLUG).count() == 200


@pytest.mark.django_db
def test_dataset_counts_include_the_course(tmp_path):
    out = tmp_path / "dataset.json"
    load(json_path=str(out))
    counts = json.loads(out.read_text())["counts"]
    assert counts["course_enrolments"] == 200 and counts["course_certificates"] >= 1


@pytest.fixture
def bench_urls(monkeypatch):
    from shikhon.demo.tests.test_bench_dataset import _reload_urls

    monkeypatch.setenv("SHIKHON_BENCH", "1")
    _reload_urls()
    yield
    monkeypatch.undo()
    _reload_urls()


@pytest.mark.django_db
def test_prepare_writes_the_course_targets_and_their_request_files(tmp_path, bench_urls):
    load()
    out = tmp_path / "targets.json"
    call_command("bench_prepare", out=str(out), verbosity=0, learners=20, submit_attempts=200)
    data = json.loads(out.read_text())
    targets = {t["name"]: t for t in data["targets"]}
    activity, submit, verify = targets["activity_teacher"], targets["quiz_submit"], targets["verify_public"]
    assert activity["probe_cold"]["status"] == activity["probe_warm"]["status"] == 200
    assert verify["probe_cold"]["status"] == verify["probe_warm"]["status"] == 200
    # A real submission each probe: it answers 302 to the result and the attempt is scored and passed.
    assert submit["probe_cold"]["status"] == submit["probe_warm"]["status"] == 302
    assert submit["ok_status"] == [302] and submit["method"] == "POST"
    base = QuizAttempt.objects.filter(number__gte=1000)
    assert base.filter(submitted_at__isnull=False, passed=True).count() == 6
    lines = [line.split("\t") for line in Path(submit["cycle"]).read_text().splitlines()]
    assert len(lines) == 200
    assert len({line[1] for line in lines}) == 200  # every attempt once
    assert all(line[0] == "POST" and "csrftoken=" in line[2] and "csrfmiddlewaretoken=" in line[3] for line in lines)
    # Consecutive requests belong to different teachers.
    assert lines[0][2] != lines[1][2]
    assert base.filter(submitted_at__isnull=True).count() == 200
    verify_lines = Path(verify["cycle"]).read_text().splitlines()
    assert len(verify_lines) == Certificate.objects.filter(course__slug=bench_data.BENCH_COURSE_SLUG).count()
    assert data["course"]["learners"] == 20
    # Running again replaces the earlier run's attempts (no pile-up over runs).
    call_command("bench_prepare", out=str(out), verbosity=0, learners=20, submit_attempts=200)
    assert QuizAttempt.objects.filter(number__gte=1000).count() == 200 + 6


@pytest.mark.django_db
def test_a_submission_with_the_bench_csrf_cookie_passes_the_csrf_check(tmp_path, bench_urls):
    """What wrk sends (cookie + form token, no Referer on plain HTTP) passes Django's CSRF check."""
    from django.test import Client

    load()
    out = tmp_path / "targets.json"
    call_command("bench_prepare", out=str(out), verbosity=0, learners=5, submit_attempts=10)
    submit = {t["name"]: t for t in json.loads(out.read_text())["targets"]}["quiz_submit"]
    method, path, cookie, body = Path(submit["cycle"]).read_text().splitlines()[0].split("\t")
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    for part in cookie.split("; "):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert QuizAttempt.objects.get(pk=int(path.strip("/").split("/")[1])).submitted_at is not None
