"""Thin task wrappers around training services."""

from __future__ import annotations

from django_tasks import task


@task()
def training_certificate_task(*, invitation_id: int) -> int | None:
    """Issue the training certificate of a completed invitation; safe to run twice (returns its id)."""
    from shikhon.training.services import training_certificate_issue

    certificate = training_certificate_issue(invitation_id=invitation_id)
    return certificate.pk if certificate else None


@task()
def training_certificates_issue_missing_task(*, limit: int = 500) -> int:
    """The daily sweep for lost tasks (a periodic job, training/periodic_jobs.py; by hand
    `manage.py issue_missing_training_certificates`): queue the training certificate task again for completed
    invitations still without a certificate. Issuing is once per invitation, so running it often is safe."""
    from shikhon.training.services import training_certificates_queue_missing

    return training_certificates_queue_missing(limit=limit)
