"""`metacluster form-consortia INPUT.json --output OUTPUT.json [--time-limit SECONDS]`.

A thin wrapper: the optimiser is `metacluster.core.consortia`, pure Python over JSON, and this
command only gives it the project's entry point. Malformed input exits with status 2.
"""

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.consortia.cli import InputError, add_arguments, run


class Command(BaseCommand):
    help = (
        "Propose consortia for needs given as JSON: most needs fully covered, then quality; "
        "writes proposals with who covers what, what is missing, alternatives and a bound."
    )

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(options, stdout=self.stdout)
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
