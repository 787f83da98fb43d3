from django.core.management.base import BaseCommand
from django.utils import translation

from shikhon.demo.data import describe, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Bangla demo data and print a login for every role."

    def handle(self, *args: object, **options: object) -> None:
        with translation.override("en"):
            self.stdout.write(describe(load_demo()))
