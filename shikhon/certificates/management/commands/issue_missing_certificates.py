"""Queue the certificate task again for completed enrolments without a certificate, and the PDF task for
certificates without a stored PDF (run daily from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from shikhon.certificates.services import certificate_pdfs_queue_missing, certificates_issue_missing


class Command(BaseCommand):
    help = ("Queue the certificate task again for enrolments completed more than --minutes ago that still have no "
            "certificate (a task lost when its workers died), and the PDF task for certificates without a stored PDF. "
            "Issuing is once, so running it often is safe.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=60, help="leave completions newer than this (default 60)")
        parser.add_argument("--limit", type=int, default=500, help="at most this many at a time (default 500)")

    def handle(self, *args: Any, minutes: int, limit: int, **options: Any) -> None:
        queued = certificates_issue_missing(completed_before=timezone.now() - timedelta(minutes=minutes),
                                            limit=limit)
        self.stdout.write(f"{queued} certificate task(s) queued again.")
        pdfs = certificate_pdfs_queue_missing(limit=limit)
        self.stdout.write(f"{pdfs} PDF task(s) queued.")
