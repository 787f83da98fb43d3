"""The certificate task is safe to run twice, and after a worker died part-way: one certificate, one
notification, one SMS."""

from __future__ import annotations

import io
from unittest import mock

import pytest

from shikhon.certificates.codes import format_code
from shikhon.certificates.models import Certificate
from shikhon.certificates.tasks import certificate_issue_task
from shikhon.core import sms
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db


def _one_effect(people) -> Certificate:
    certificate = Certificate.objects.get()
    assert Notification.objects.filter(recipient=people["teacher_rubi"], kind="certificate_issued").count() == 1
    assert len([m for m in sms.outbox if format_code(certificate.code) in m.body]) == 1
    return certificate


def test_task_twice_issues_once_and_tells_once(people, rubi_enrolment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = certificate_issue_task.enqueue(enrolment_id=rubi_enrolment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        second = certificate_issue_task.enqueue(enrolment_id=rubi_enrolment.pk)
    certificate = _one_effect(people)
    assert first.return_value == second.return_value == certificate.pk


def test_a_worker_killed_while_issuing_then_the_retry_issues_once(people, rubi_enrolment,
                                                                    django_capture_on_commit_callbacks):
    # The worker dies while telling her (inside the issuing transaction): nothing of that run stays.
    with mock.patch("shikhon.certificates.services._notify_issued", side_effect=SystemExit(1)), \
            pytest.raises(SystemExit):
        certificate_issue_task.call(enrolment_id=rubi_enrolment.pk)
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue_task.enqueue(enrolment_id=rubi_enrolment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue_task.enqueue(enrolment_id=rubi_enrolment.pk)
    _one_effect(people)


def test_a_lost_task_is_queued_again_by_the_sweep_and_issues_once(people, rubi_enrolment,
                                                                 django_capture_on_commit_callbacks):
    """The reaper gave up on her task (its workers kept dying): the sweep queues it again, and only for
    completions older than the limit; a second sweep finds nothing to do."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from shikhon.certificates.services import certificates_issue_missing

    assert not Certificate.objects.exists()
    recent = timezone.now() - timedelta(minutes=5)
    assert certificates_issue_missing(completed_before=recent - timedelta(hours=1)) == 0  # still on its way
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_missing_certificates", "--minutes", "0", stdout=io.StringIO())
    _one_effect(people)
    assert certificates_issue_missing(completed_before=timezone.now()) == 0
