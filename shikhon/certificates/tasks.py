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


@task()
def certificates_issue_missing_task(*, minutes: int = 60, limit: int = 500) -> dict[str, int]:
    """The daily sweep for lost tasks (a periodic job, certificates/periodic_jobs.py; by hand
    `manage.py issue_missing_certificates`): queue the certificate task again for enrolments completed more
    than `minutes` ago that still have no certificate, and the PDF task for certificates without a stored PDF.
    Issuing is once, so running it often is safe."""
    from datetime import timedelta

    from django.utils import timezone

    from shikhon.certificates.services import certificate_pdfs_queue_missing, certificates_issue_missing

    certificates = certificates_issue_missing(completed_before=timezone.now() - timedelta(minutes=minutes),
                                              limit=limit)
    pdfs = certificate_pdfs_queue_missing(limit=limit)
    return {"certificates": certificates, "pdfs": pdfs}
