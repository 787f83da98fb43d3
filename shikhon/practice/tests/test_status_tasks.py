"""The nightly ongoing-user job (02:30 Dhaka) and the certificate-of-practice job, as periodic jobs of
core.schedule; their tasks are thin and idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from shikhon.certificates.models import Certificate
from shikhon.core.clock import DHAKA
from shikhon.core.schedule import DailyAt, jobs_run_due, periodic_jobs
from shikhon.practice.models import OngoingStatus
from shikhon.practice.periodic_jobs import ONGOING_EVALUATE_ALL, PRACTICE_CERTIFICATES_ISSUE
from shikhon.practice.tasks import (
    ongoing_evaluate_all_task,
    ongoing_evaluate_task,
    practice_certificates_issue_task,
)
from shikhon.practice.tests.test_status_support import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(people, places) -> Practice:
    return Practice(people, places)


def test_the_jobs_are_registered_at_night_in_dhaka():
    job = periodic_jobs.get(ONGOING_EVALUATE_ALL)
    assert job.run is ongoing_evaluate_all_task and job.when == DailyAt(time(2, 30))
    certificates = periodic_jobs.get(PRACTICE_CERTIFICATES_ISSUE)
    assert certificates.run is practice_certificates_issue_task and certificates.when == DailyAt(time(3, 30))


def test_the_nightly_job_runs_once_per_night(people, practice, django_capture_on_commit_callbacks):
    practice.ongoing(people["teacher_rubi"])
    job = periodic_jobs.get(ONGOING_EVALUATE_ALL)
    now = datetime(2026, 12, 4, 2, 31, tzinfo=DHAKA).astimezone(UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_run_due(now=now, jobs=[job], worker_id="w").enqueued == [ONGOING_EVALUATE_ALL]
        assert jobs_run_due(now=now, jobs=[job], worker_id="w2").enqueued == []
    assert OngoingStatus.objects.filter(is_latest=True, is_ongoing=True).count() == 1


def test_the_tasks_are_idempotent(people, practice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    practice.ongoing(people["teacher_rubi"])
    first = ongoing_evaluate_all_task.enqueue().return_value
    second = ongoing_evaluate_all_task.enqueue().return_value
    assert first is not None and second is not None
    assert first["evaluated"] == second["evaluated"] == 1
    assert OngoingStatus.objects.count() == 1
    assert ongoing_evaluate_task.enqueue(teacher_id=people["teacher_rubi"].pk).return_value is True
    assert ongoing_evaluate_task.enqueue(teacher_id=987654321).return_value is None
    assert practice_certificates_issue_task.enqueue().return_value == 0
    assert not Certificate.objects.exists()
