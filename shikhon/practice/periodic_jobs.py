"""The periodic jobs supported practice runs (PracticeConfig.ready → core.schedule; no cron)."""

from __future__ import annotations

from shikhon.core.schedule import PeriodicJob, daily_at, periodic_jobs

ONGOING_EVALUATE_ALL = "practice_ongoing_evaluate_all"
PRACTICE_CERTIFICATES_ISSUE = "practice_certificates_issue"


def register() -> None:
    from shikhon.practice.tasks import ongoing_evaluate_all_task, practice_certificates_issue_task

    periodic_jobs.add(PeriodicJob(
        name=ONGOING_EVALUATE_ALL, run=ongoing_evaluate_all_task, when=daily_at("02:30"),
        description="evaluate every teacher with practice against the ongoing-user rule in force (a history row "
                    "when her status or counts changed), then queue the certificate-of-practice task"))
    periodic_jobs.add(PeriodicJob(
        name=PRACTICE_CERTIFICATES_ISSUE, run=practice_certificates_issue_task, when=daily_at("03:30"),
        description="issue the certificate of practice, once each, to teachers who meet its rule (a sweep after "
                    "the ongoing-user job, which also queues it)"))
