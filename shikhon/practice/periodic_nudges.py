"""The nudge job (PracticeConfig.ready → core.schedule): daily at 10:00 Dhaka; a slot more than 6 hours late is
skipped (the next day's runs), so a worker that comes back at night sends nothing. The service refuses to send
outside 08:00–20:00 Dhaka too."""

from __future__ import annotations

import datetime as dt

from shikhon.core.schedule import PeriodicJob, daily_at, periodic_jobs

PRACTICE_NUDGES = "practice_nudges"
NUDGE_TIME = "10:00"
LATE_LIMIT = dt.timedelta(hours=6)  # 10:00 + 6 h = 16:00 Dhaka at the latest, well before night


def register() -> None:
    from shikhon.practice.tasks_nudges import practice_nudges_task

    periodic_jobs.add(PeriodicJob(
        name=PRACTICE_NUDGES, run=practice_nudges_task, when=daily_at(NUDGE_TIME), late_limit=LATE_LIMIT,
        description="nudge teachers to practise (at most one a week each, daytime only)"))
