"""Import a course package written by `course_export` (or the export page) as a new draft course."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shikhon.courses import portability
from shikhon.people.phone import normalize_phone
from shikhon.people.selectors import user_with_phone


class Command(BaseCommand):
    help = "Check a course package and import it as a draft course (the next version if the course is here)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", help="The .zip file.")
        parser.add_argument("--actor", required=True,
                            help="Mobile number of the course author or national admin importing it.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = user_with_phone(options["actor"])
        if actor is None:
            try:
                actor = user_with_phone(normalize_phone(options["actor"]))
            except ValidationError:
                actor = None
        if actor is None:
            raise CommandError(f"No person has the mobile number {options['actor']!r}.")
        try:
            with open(options["package"], "rb") as data:
                result = portability.course_import_detailed(actor=actor, data=data)
        except FileNotFoundError as exc:
            raise CommandError(f"There is no file {options['package']!r}.") from exc
        except PermissionDenied as exc:
            raise CommandError(f"{actor.phone} is not a course author or national admin.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        course = result.course
        notes = []
        if result.renamed:
            notes.append(f"the slug {result.asked_slug!r} is taken here, so it is {course.slug!r}")
        if result.short_codes_changed:
            notes.append(f"{result.short_codes_changed} short codes were changed")
        self.stdout.write(self.style.SUCCESS(
            f"Imported {course.slug} as version {course.version} (draft, id {course.pk}, "
            f"{'new course' if result.new_family else 'new version'}, {result.files} files)"
            + (f"; {'; '.join(notes)}." if notes else ".")))
