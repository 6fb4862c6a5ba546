"""`metacluster beat [CELERY OPTIONS]`: sends the periodic tasks (settings.CELERY_BEAT_SCHEDULE)
to the worker. Run exactly one beat per deployment."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run Celery beat, the scheduler of periodic tasks (needs REDIS_URL)."

    def add_arguments(self, parser):
        parser.add_argument("celery_args", nargs="*", help="options passed to `celery beat`")

    def run_from_argv(self, argv):
        self.execute(celery_args=argv[2:], no_color=False, force_color=False, skip_checks=False)

    def handle(self, *args, celery_args=(), **options):
        if not settings.REDIS_URL:
            raise CommandError("REDIS_URL is not set: periodic tasks need a worker and a broker.")
        from metacluster.celery import app

        app.start(
            [
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
                *celery_args,
            ]
        )
