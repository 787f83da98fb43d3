"""The periodic jobs certificates runs (CertificatesConfig.ready → core.schedule; no cron)."""

from __future__ import annotations

from shikhon.core.schedule import PeriodicJob, daily_at, periodic_jobs

CERTIFICATES_ISSUE_MISSING = "certificates_issue_missing"


def register() -> None:
    from shikhon.certificates.tasks import certificates_issue_missing_task

    periodic_jobs.add(PeriodicJob(
        name=CERTIFICATES_ISSUE_MISSING, run=certificates_issue_missing_task, when=daily_at("02:00"),
        description="queue the certificate task again for completions still without a certificate (a lost "
                    "task), and the PDF task for certificates without a stored PDF"))
