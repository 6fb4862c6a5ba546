"""`metacluster generate-event --participants 700 --requests 2500 --tables 60 --output ev.json`.

A thin wrapper around `metacluster.core.scheduling.generate`: synthetic B2B events for
benchmarks and trials of `metacluster schedule`.
"""

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.scheduling.generate import add_arguments, run


class Command(BaseCommand):
    help = "Write a synthetic B2B event as JSON, the input of `metacluster schedule`."
    # JSON in, JSON out: no database, no URLs. The system checks would import every URL's
    # view and API schema first, seconds of start-up inside the `--time-limit`.
    requires_system_checks = []

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(options, stdout=self.stdout)
        except (ValueError, OSError) as error:
            raise CommandError(f"cannot generate event: {error}", returncode=2) from None
