"""The periodic jobs (shikhon.core.schedule): when each runs, when it last ran and when it runs next, in
Dhaka time. Every `run_worker` enqueues them; `--run-due` does one round of that now, in this process."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from shikhon.core.clock import DHAKA
from shikhon.core.schedule import JobState, jobs_overview, jobs_run_due


def _dhaka(moment: datetime | None) -> str:
    return moment.astimezone(DHAKA).strftime("%Y-%m-%d %H:%M") if moment is not None else "never"


def _task_status(task_id: str) -> str:
    if not task_id:
        return ""
    from django_tasks import default_task_backend

    if not default_task_backend.supports_get_result:  # the immediate backend keeps no results
        return ""
    try:
        return str(default_task_backend.get_result(task_id).status)
    except Exception:  # another backend, or a result already cleaned away
        return "unknown"


def describe(state: JobState) -> list[str]:
    job = state.job
    lines = [f"{job.name}: {job.when}" + (f" (skipped when over {job.late_limit} late)" if job.late_limit else "")]
    if job.description:
        lines.append(f"  {job.description}")
    if state.last_slot is None:
        lines.append("  last: never")
    else:
        status = _task_status(state.last_task_id)
        task = f", task {state.last_task_id}" + (f" {status}" if status else "") if state.last_task_id else ""
        worker = f" by {state.last_worker}" if state.last_worker else ""
        lines.append(f"  last: the {_dhaka(state.last_slot)} run, enqueued {_dhaka(state.last_run_at)}{worker}{task}")
    lines.append("  next: due now" if state.due else f"  next: {_dhaka(state.next_run)}")
    return lines


class Command(BaseCommand):
    help = ("List the periodic jobs with their last and next runs in Dhaka time. Every `run_worker` enqueues them "
            "when due (each slot once, whatever the number of workers); --run-due does one such round now.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run-due", action="store_true", help="enqueue the jobs that are due now, then list")

    def handle(self, *args: Any, run_due: bool, **options: Any) -> None:
        now = timezone.now()
        if run_due:
            report = jobs_run_due(now=now, worker_id="manage.py schedule")
            self.stdout.write(f"Enqueued: {', '.join(report.enqueued) or 'nothing'}.")
            if report.failed:
                self.stderr.write(f"Could not enqueue (see the log): {', '.join(report.failed)}.")
        self.stdout.write(f"Now: {_dhaka(now)} Dhaka")
        states = jobs_overview(now=now)
        if not states:
            self.stdout.write("No periodic jobs are registered.")
        for state in states:
            self.stdout.write("\n".join(describe(state)))
