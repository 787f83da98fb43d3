"""Write a course (one version) as a package that `course_import` reads on another server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shikhon.courses import portability
from shikhon.courses.models import Course


class Command(BaseCommand):
    help = "Export a course (its newest version, or --version N) with its media as one .zip package."

    def add_arguments(self, parser: CommandParser) -> None:
        # `--version N` names the course version here, in place of Django's "show Django's version".
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument("slug", help="The course's web address name.")
        parser.add_argument("--version", dest="course_version", type=int, help="Which version (default: the newest).")
        parser.add_argument("-o", "--output", required=True, help="Where to write the .zip file.")
        parser.add_argument("--no-videos", action="store_true",
                            help="Leave the videos out (the demo course's package: its videos are made on load).")

    def handle(self, *args: Any, **options: Any) -> None:
        courses = Course.objects.filter(slug=options["slug"])
        if options["course_version"] is not None:
            courses = courses.filter(version=options["course_version"])
        course = courses.order_by("-version").first()
        if course is None:
            raise CommandError(f"There is no course {options['slug']!r}"
                               + (f" version {options['course_version']}." if options["course_version"] else "."))
        target = Path(options["output"])
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as out:
                manifest = portability.course_export_to(actor=None, course=course, out=out,
                                                         videos=not options["no_videos"])
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(
            f"Exported {course.slug} version {course.version} with {len(manifest['files'])} media files "
            f"to {target} ({target.stat().st_size:,} bytes)."))
