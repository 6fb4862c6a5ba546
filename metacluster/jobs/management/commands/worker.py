"""`metacluster worker [CELERY OPTIONS]`: the Celery worker that runs the platform's tasks.

Needs REDIS_URL (without it tasks run inside the web process and no worker is needed).
Extra options go to Celery, e.g. `metacluster worker --concurrency 2 --loglevel INFO`.
The worker runs at the lowest CPU priority (settings.WORKER_NICENESS and SCHED_IDLE), and so
does the work PostgreSQL does for it on the same machine: people waiting for a page come
before a job nobody watches second by second (jobs/priority.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the Celery worker (needs REDIS_URL); options after it go to Celery."

    def add_arguments(self, parser):
        parser.add_argument("celery_args", nargs="*", help="options passed to `celery worker`")

    def run_from_argv(self, argv):
        # Everything after the command name is Celery's, options included.
        self.execute(celery_args=argv[2:], no_color=False, force_color=False, skip_checks=False)

    def handle(self, *args, celery_args=(), **options):
        if not settings.REDIS_URL:
            raise CommandError(
                "REDIS_URL is not set: without a broker, tasks run inside the web process "
                "and there is nothing for a worker to do (see docs/DEPLOYMENT.md)."
            )
        from metacluster.celery import app
        from metacluster.jobs.priority import lower_worker

        if settings.WORKER_NICENESS:
            lower_worker(settings.WORKER_NICENESS)  # inherited by the pool's processes

        argv = ["worker", "--loglevel", "INFO", *celery_args]
        app.worker_main(argv)
