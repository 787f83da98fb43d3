"""Import the national school list: `manage.py import_schools schools.csv [--dry-run]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from shikhon.places.importing import school_import_audited


class Command(BaseCommand):
    help = "Import schools from a CSV (UTF-8) or Excel .xlsx file. Nothing is stored if any row is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV or .xlsx file with the school list.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; store nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        with translation.override("en"):
            if not path.is_file():
                raise CommandError(f"There is no file at {path}. Check the path and try again.")
            with path.open("rb") as handle:
                report = school_import_audited(actor=None, rows_source=handle, file_name=path.name,
                                               dry_run=options["dry_run"], source="command")
            text = report.as_text()
            if not report.ok:
                self.stderr.write(text)
                raise CommandError("Nothing was imported.")
            self.stdout.write(text)
