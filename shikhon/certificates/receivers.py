"""Receivers of other apps' events: a completed course enqueues the certificate task (decision 0005)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from shikhon.courses.signals import course_completed


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender: Any, *, enrolment_id: int, **kwargs: Any) -> None:
    from shikhon.certificates.tasks import certificate_issue_task

    certificate_issue_task.enqueue(enrolment_id=enrolment_id)
