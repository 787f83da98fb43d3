"""The periodic jobs training runs (TrainingConfig.ready → core.schedule; no cron)."""

from __future__ import annotations

from shikhon.core.schedule import PeriodicJob, daily_at, periodic_jobs

TRAINING_CERTIFICATES_ISSUE_MISSING = "training_certificates_issue_missing"


def register() -> None:
    from shikhon.training.tasks import training_certificates_issue_missing_task

    periodic_jobs.add(PeriodicJob(
        name=TRAINING_CERTIFICATES_ISSUE_MISSING, run=training_certificates_issue_missing_task,
        when=daily_at("02:00"),
        description="queue the training certificate task again for completions still without one (a lost task)"))
