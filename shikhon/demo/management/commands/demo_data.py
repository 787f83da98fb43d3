import logging
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from shikhon.demo.course import describe_course, load_demo_course, load_demo_stages
from shikhon.demo.data import describe, load_demo
from shikhon.demo.library import describe_library, load_demo_library
from shikhon.demo.practice import describe_practice, load_demo_practice


class Command(BaseCommand):
    help = ("Load (or refresh) the Bangla demo data — people, the demo course with its videos, teachers at "
            "each stage of it, supported practice in Hatia, the teachers' library with its champions — and print "
            "a login for every role.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-videos", action="store_true",
                            help="Do not make or copy the demo course's videos (faster).")

    def handle(self, *args: Any, **options: Any) -> None:
        # Issuing the demo certificates draws PDFs; WeasyPrint's step-by-step progress is noise here.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        with translation.override("en"):
            self.stdout.write(describe(load_demo()))
            course = load_demo_course(videos=not options["no_videos"], say=self.stdout.write)
            stages = load_demo_stages(course, say=self.stdout.write)
            self.stdout.write(describe_course(course, stages))
            practice = load_demo_practice(course, say=self.stdout.write)
            self.stdout.write(describe_practice(practice))
            library = load_demo_library(videos=not options["no_videos"], say=self.stdout.write)
            self.stdout.write(describe_library(library))
