"""Queue the training certificate task again for completions without a certificate. Workers run the same
task daily (the periodic job `training_certificates_issue_missing`, `manage.py schedule`); this runs it now,
in this process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shikhon.training.tasks import training_certificates_issue_missing_task


class Command(BaseCommand):
    help = ("Queue the training certificate task for completed invitations that still have no certificate (a task "
            "lost when its workers died). Issuing is once per invitation, so running it often is safe. Workers "
            "already do this daily (manage.py schedule).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="at most this many at a time (default 500)")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        queued = training_certificates_issue_missing_task.call(limit=limit)
        self.stdout.write(f"{queued} training certificate task(s) queued.")
