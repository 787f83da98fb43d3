"""The daily sweep for lost certificate tasks is a periodic job (core.schedule), run by the workers at 02:00 in
Dhaka; `manage.py issue_missing_certificates` runs the same task by hand."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from shikhon.certificates.models import Certificate
from shikhon.certificates.periodic_jobs import CERTIFICATES_ISSUE_MISSING
from shikhon.certificates.tasks import certificates_issue_missing_task
from shikhon.core.clock import DHAKA
from shikhon.core.models import ScheduledJob
from shikhon.core.schedule import DailyAt, jobs_run_due, periodic_jobs
from shikhon.courses.models import Enrolment

pytestmark = pytest.mark.django_db


def test_the_sweep_is_registered_daily_at_two_in_dhaka():
    job = periodic_jobs.get(CERTIFICATES_ISSUE_MISSING)
    assert job.run is certificates_issue_missing_task
    assert job.when == DailyAt(time(2, 0)) and job.late_limit is None


def test_the_scheduled_sweep_issues_a_lost_certificate_once(people, rubi_enrolment,
                                                              django_capture_on_commit_callbacks):
    """Her certificate task was lost two hours ago; at the next check after 02:00 the job queues it again."""
    Enrolment.objects.filter(pk=rubi_enrolment.pk).update(completed_at=timezone.now() - timedelta(hours=2))
    job = periodic_jobs.get(CERTIFICATES_ISSUE_MISSING)
    now = datetime(2026, 12, 4, 2, 1, tzinfo=DHAKA).astimezone(UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_run_due(now=now, jobs=[job], worker_id="w").enqueued == [CERTIFICATES_ISSUE_MISSING]
    certificate = Certificate.objects.get()
    assert certificate.enrolment_id == rubi_enrolment.pk
    assert ScheduledJob.objects.get(name=CERTIFICATES_ISSUE_MISSING).last_slot == datetime(2026, 12, 4, 2, 0,
                                                                                          tzinfo=DHAKA)
    assert jobs_run_due(now=now + timedelta(hours=1), jobs=[job]).enqueued == []  # this slot is done
    assert certificates_issue_missing_task.call() == {"certificates": 0, "pdfs": 0}


def test_the_command_runs_the_same_task_and_leaves_recent_completions(people, rubi_enrolment):
    out = io.StringIO()
    call_command("issue_missing_certificates", stdout=out)  # completed just now: its task is on its way
    assert out.getvalue() == "0 certificate task(s) queued again.\n0 PDF task(s) queued.\n"
    assert not Certificate.objects.exists()
