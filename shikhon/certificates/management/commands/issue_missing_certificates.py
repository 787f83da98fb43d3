"""Queue the certificate task again for completed enrolments without a certificate, and the PDF task for
certificates without a stored PDF. Workers run the same task daily (the periodic job
`certificates_issue_missing`, `manage.py schedule`); this runs it now, in this process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shikhon.certificates.tasks import certificates_issue_missing_task


class Command(BaseCommand):
    help = ("Queue the certificate task again for enrolments completed more than --minutes ago that still have no "
            "certificate (a task lost when its workers died), and the PDF task for certificates without a stored PDF. "
            "Issuing is once, so running it often is safe. Workers already do this daily (manage.py schedule).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=60, help="leave completions newer than this (default 60)")
        parser.add_argument("--limit", type=int, default=500, help="at most this many at a time (default 500)")

    def handle(self, *args: Any, minutes: int, limit: int, **options: Any) -> None:
        queued = certificates_issue_missing_task.call(minutes=minutes, limit=limit)
        self.stdout.write(f"{queued['certificates']} certificate task(s) queued again.")
        self.stdout.write(f"{queued['pdfs']} PDF task(s) queued.")
