"""Queue the training certificate task again for completions without a certificate (run daily from cron,
beside issue_missing_certificates)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shikhon.training.services import training_certificates_queue_missing


class Command(BaseCommand):
    help = ("Queue the training certificate task for completed invitations that still have no certificate (a task "
            "lost when its workers died). Issuing is once per invitation, so running it often is safe.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="at most this many at a time (default 500)")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        queued = training_certificates_queue_missing(limit=limit)
        self.stdout.write(f"{queued} training certificate task(s) queued.")
