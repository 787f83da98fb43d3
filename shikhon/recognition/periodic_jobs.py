"""The periodic job recognition runs (RecognitionConfig.ready → core.schedule; no cron)."""

from __future__ import annotations

from shikhon.core.schedule import PeriodicJob, daily_at, periodic_jobs

CHAMPIONS_WEEKLY = "recognition_champions_weekly"


def register() -> None:
    from shikhon.recognition.tasks import champions_weekly_task

    periodic_jobs.add(PeriodicJob(
        name=CHAMPIONS_WEEKLY, run=champions_weekly_task, when=daily_at("01:15"),
        description="compute the last finished week's three content champions if not computed yet (on Sunday), "
                    "and announce a computed week two days after it was computed (Tuesday), confirmed or not"))
