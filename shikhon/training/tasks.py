"""Thin task wrappers around training services."""

from __future__ import annotations

from django_tasks import task


@task()
def training_certificate_task(*, invitation_id: int) -> int | None:
    """Issue the training certificate of a completed invitation; safe to run twice (returns its id)."""
    from shikhon.training.services import training_certificate_issue

    certificate = training_certificate_issue(invitation_id=invitation_id)
    return certificate.pk if certificate else None
