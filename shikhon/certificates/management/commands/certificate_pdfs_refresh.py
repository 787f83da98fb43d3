"""Draw again the stored certificate PDFs whose printed address and QR code are not SHIKHON_PUBLIC_URL's now
(`make demo` on another port runs it; so does a site that moved)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shikhon.certificates.services import certificate_pdfs_refresh


class Command(BaseCommand):
    help = ("Queue the PDF task for certificates whose stored PDF prints another public address than "
            "SHIKHON_PUBLIC_URL; their old files are removed. Safe to run any time.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="at most this many at a time (default 500)")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        self.stdout.write(f"{certificate_pdfs_refresh(limit=limit)} certificate PDF(s) queued to be drawn again.")
