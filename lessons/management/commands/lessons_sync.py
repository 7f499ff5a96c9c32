from django.core.management.base import BaseCommand
from django.db import transaction

from lessons.models import Lesson
from lessons.sync import lessons_load


class Command(BaseCommand):
    help = "Store the lessons of lessons/content.py; rows whose version changed are updated."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = lessons_load(Lesson)
        self.stdout.write(
            "lessons: {created} created, {updated} updated, {unchanged} unchanged".format(**counts)
        )
