"""`metacluster rank-markets --home SE --offering ict-services --json [--weight lpi=30 ...]`.

Prints ``{"home", "offering", "markets": [{"country", "name", "score", "components"}]}``, best
first; `--details` adds sources, weights and left-out markets. A thin wrapper over
`metacluster.core.markets.cli`; bad input exits with status 2.
"""

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.markets.cli import InputError, add_rank_arguments, run_rank
from metacluster.markets import adapters


class Command(BaseCommand):
    help = "Score every export market 0–100 for an offering, with each score's breakdown."

    def add_arguments(self, parser):
        add_rank_arguments(parser)

    def handle(self, *args, **options):
        try:
            # The goods ranking weighs the tariffs loaded with `metacluster load-tariffs`.
            data = adapters.ranking_data(options.get("product") or "")
            run_rank(options, stdout=self.stdout, data=data)
        except (InputError, ValueError) as error:
            raise CommandError(str(error), returncode=2) from None
