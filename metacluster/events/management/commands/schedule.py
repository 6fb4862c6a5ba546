"""`metacluster schedule EVENT.json --output SCHEDULE.json [--time-limit SECONDS]`.

A thin wrapper: the scheduler is `metacluster.core.scheduling`, pure Python over JSON, and
this command only gives it the project's entry point. Malformed input exits with status 2.
"""

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.scheduling.cli import InputError, add_arguments, run


class Command(BaseCommand):
    help = (
        "Schedule the B2B meetings of an event given as JSON: most weight first, then fewest "
        "gaps; writes meetings, unscheduled requests with reasons, and stats."
    )
    # JSON in, JSON out: no database, no URLs. The system checks would import every URL's
    # view and API schema first, seconds of start-up inside the `--time-limit`.
    requires_system_checks = []

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(options, stdout=self.stdout)
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
