"""Thin task wrappers around certificate services."""

from __future__ import annotations

from django_tasks import task


@task()
def certificate_issue_task(*, enrolment_id: int) -> int | None:
    """Issue the certificate of a completed enrolment; safe to run twice (returns its id)."""
    from shikhon.certificates.services import certificate_issue

    certificate = certificate_issue(enrolment_id=enrolment_id)
    return certificate.pk if certificate else None


@task()
def certificate_pdf_task(*, certificate_id: int) -> str:
    """Store the PDF of a certificate issued without one (or whose file went missing); safe to run twice."""
    from shikhon.certificates.services import certificate_pdf_store

    certificate = certificate_pdf_store(certificate_id=certificate_id)
    return (certificate.pdf.name or "") if certificate is not None else ""
