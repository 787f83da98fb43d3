"""Thin task wrappers around certificate services."""

from __future__ import annotations

from django_tasks import task


@task()
def certificate_issue_task(*, enrolment_id: int) -> int | None:
    """Issue the certificate of a completed enrolment; safe to run twice (returns its id)."""
    from shikhon.certificates.services import certificate_issue

    certificate = certificate_issue(enrolment_id=enrolment_id)
    return certificate.pk if certificate else None
