"""`metacluster match --companies C.jsonl --opportunities O.jsonl --top 10 --output M.jsonl`.

A thin wrapper over `metacluster.core.matching`: JSON Lines in, JSON Lines out, no database.
Malformed input exits with status 2 and names the file and line.
"""

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.matching.cli import InputError, add_match_arguments, run_match


class Command(BaseCommand):
    help = (
        "Rank companies for each opportunity (or, with --direction companies, opportunities "
        "for each company) from JSON Lines files; every match with its reasons."
    )

    def add_arguments(self, parser):
        add_match_arguments(parser)

    def handle(self, *args, **options):
        try:
            run_match(options, stdout=self.stdout, stderr=self.stderr)
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
